"""Answering checklist forms in Pilot tests the way an officer does: with the keys."""

from __future__ import annotations

import re
from typing import Any

from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from firstresponse.tui.screenshots import type_text
from firstresponse.tui.widgets.checklist_form import ChecklistForm, ItemField
from firstresponse.tui.widgets.choice import ChoiceField


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
    """Queue `keys` all at once ("\r" Enter, "\t" Tab, "\b" Backspace, "\x1b[C" Right), as
    a terminal delivers them when they are typed faster than the app answers."""
    names = {"\r": "enter", "\t": "tab", "\b": "backspace", " ": "space", "\x1b[C": "right"}
    for part in re.findall(r"\x1b\[C|.", keys, re.DOTALL):
        character = part if part not in names or part == " " else None
        app.post_message(events.Key(names.get(part, part), character))
