"""The terminal's forms hold names to the one rule (records.validate): control, bidirectional
and zero-width characters and a formula start are refused in words, with the cursor put
back in the box, and nothing is written."""

from __future__ import annotations

import pytest
from sqlmodel import select
from textual import events

from firstresponse.config import Settings
from firstresponse.records import Incident, Person, User
from firstresponse.security.pins import hash_pin
from firstresponse.store import Store
from firstresponse.tui.app import FirstResponseApp
from tests.functional.forms import burst
from tests.functional.pilot import on_screen, press_to, settle, sign_in

SIZE = (80, 24)


def _messages(app: FirstResponseApp) -> str:
    return " ".join(str(n.message) for n in app._notifications)


@pytest.mark.parametrize(
    ("surname", "said"),
    [
        ("Var\u200fley", "U+200F"),
        ("Var\u061cley", "U+061C"),
        ("Var\u200bley", "U+200B"),
        ("+1+1", "formula"),
    ],
)
async def test_the_new_call_refuses_what_is_not_a_name(
    settings: Settings, store: Store, surname: str, said: str
) -> None:
    with store.session() as db:
        db.add(User(collar="CH1001", name="CH1001", role="call_handler", pin_hash=hash_pin("1234")))
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "CH1001")
        await press_to(pilot, "n", "NewCallScreen")
        box = app.screen.query_one("#suspect")
        box.focus()
        await pilot.pause()
        box.post_message(events.Paste(f"Gary {surname}"))  # as a name copied from elsewhere
        await settle(pilot, lambda: app.screen.value("suspect") == f"Gary {surname}")
        app.screen.query_one("#name").focus()
        await pilot.pause()
        burst(app, "Tessa Example<f5>")
        await settle(pilot, lambda: said in _messages(app))
        assert "The suspect's surname" in _messages(app)
        assert on_screen(pilot, "NewCallScreen") and app.focused is app.screen.query_one("#suspect")
    with store.session() as db:
        assert db.exec(select(Incident)).all() == []
        assert db.exec(select(Person)).all() == []


async def test_the_scene_refuses_a_bidi_mark_in_a_name(settings: Settings, store: Store) -> None:
    from tests.functional.test_responder_flows import OFFICER, _prepare

    _prepare(store)
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, OFFICER)
        await press_to(pilot, "n", "NewAttendance")
        burst(app, "Jo\r")
        await pilot.pause()
        surname = app.screen.query_one("#new-surname")
        surname.post_message(events.Paste("Sam\u200fple"))
        await settle(pilot, lambda: surname.value == "Sam\u200fple")
        burst(app, "\r5 Nowhere Lane\rZZ9 9ZZ\rFlagged down\r")
        error = app.screen.query_one("#new-error")
        await settle(pilot, lambda: "U+200F" in str(error.render()))
        assert "Victim's surname" in str(error.render())
        assert app.focused is app.screen.query_one("#new-surname")
