"""Answering checklist forms in Pilot tests the way an officer does: with the keys."""

from __future__ import annotations

import re
import time
from typing import Any

from textual import events
from textual._xterm_parser import XTermParser
from textual.app import App
from textual.constants import ESCAPE_DELAY
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from firstresponse.tui.widgets.checklist_form import ChecklistForm
from firstresponse.tui.widgets.choice import ChoiceField
from firstresponse.tui.widgets.form.item import ItemField
from tests.functional.pilot import press_to, sign_in, type_text


def field(form: ChecklistForm, path: str) -> ItemField:
    found = form.field(path)
    assert isinstance(found, ItemField), f"{path} is not shown"
    return found


async def answer(pilot: Pilot[Any], form: ChecklistForm, path: str, value: Any) -> None:
    """Focus the item's control and answer: arrows and Space for options, typing for text.

    For several-choice items `value` is one option to tick (call again for more).
    """
    await form.build_all()  # the question may be on a page still being mounted
    item = field(form, path)
    control = item.control
    assert control is not None, f"{path} has no control"
    control.focus()
    await pilot.pause()
    if isinstance(control, ChoiceField):
        target = [v for v, _ in item.item.options].index(value)
        steps = target - control.cursor
        await pilot.press(*(["right"] * steps if steps >= 0 else ["left"] * -steps), "space")
    elif isinstance(control, Input | TextArea):
        await type_text(pilot, value)
    await pilot.pause()


async def reason(pilot: Pilot[Any], form: ChecklistForm, path: str, text: str) -> None:
    await form.build_all()
    box = field(form, path).reason_box
    assert box is not None and box.display, f"{path} asks for no reason"
    box.focus()
    await type_text(pilot, text)
    await pilot.pause()


def burst(app: App[Any], keys: str) -> None:
    """Queue `keys` all at once, as a terminal delivers them when they are typed faster
    than the app answers: characters, "\r" Enter, "\t" Tab, "\b" Backspace, and any key
    by its name in angle brackets ("<right>", "<f2>")."""
    names = {"\r": "enter", "\t": "tab", "\b": "backspace", " ": "space"}
    for part in re.findall(r"<[a-z0-9+]+>|.", keys, re.DOTALL):
        if part.startswith("<") and len(part) > 1:
            app.post_message(events.Key(part[1:-1], None))
        else:
            character = None if part in "\r\t\b" else part
            app.post_message(events.Key(names.get(part, part), character))


def from_terminal(app: App[Any], data: str) -> None:
    """Post the keys a terminal's bytes `data` read as, all arriving together (as tmux sends
    Escape and the key typed within its escape time: "\\x1br" reads as Alt+r)."""
    parser = XTermParser()
    events_read = [*parser.feed(data)]
    time.sleep(ESCAPE_DELAY * 1.5)
    for event in [*events_read, *parser.tick()]:
        app.post_message(event)


async def new_call_thrive(pilot: Pilot[Any], victim: str) -> ChecklistForm:
    """Signed in as the call handler, a new call for `victim` typed and F5: its THRIVE form,
    every page built."""
    await sign_in(pilot, "CH1001")
    await press_to(pilot, "n", "NewCallScreen")
    await type_text(pilot, victim)
    await press_to(pilot, "f5", "ThriveScreen")
    form = pilot.app.screen.query_one(ChecklistForm)
    await form.build_all()
    return form
