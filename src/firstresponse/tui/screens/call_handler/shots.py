"""Screenshot walks for the call handler's screens (`firstresponse screenshots`)."""

from __future__ import annotations

from textual.pilot import Pilot

from firstresponse.calls import todays_calls
from firstresponse.calls.demo import _repeat_victim
from firstresponse.records import Person
from firstresponse.tui.screenshots import shot, sign_in, type_text


def _known_name(pilot: Pilot[None]) -> str:
    """A historic repeat victim's name, typed with the surname first to show the matching."""
    with pilot.app.store.session() as db:  # type: ignore[attr-defined]
        person_id = _repeat_victim(db)
        person = db.get(Person, person_id) if person_id else None
    return f"{person.surname} {person.forename}" if person else "Testa Example"


@shot("call_handler_home", "Call handler: today's calls, n for a new call")
async def home(pilot: Pilot[None]) -> None:
    await sign_in(pilot, "CH1001")


async def _new_call_with_matches(pilot: Pilot[None]) -> None:
    await sign_in(pilot, "CH1001")
    await pilot.press("n")
    await pilot.pause()
    await type_text(pilot, _known_name(pilot))
    await pilot.pause(1.0)


@shot("call_handler_new_call", "New call: repeat-victim matches as you type, with reasons")
async def new_call(pilot: Pilot[None]) -> None:
    await _new_call_with_matches(pilot)


@shot("call_handler_history", "The chosen person's history as one narrative")
async def history(pilot: Pilot[None]) -> None:
    await _new_call_with_matches(pilot)
    await pilot.press("f3", "enter")
    await pilot.pause(0.5)


@shot("call_handler_thrive", "THRIVE with the grade floor set by the history and answers")
async def thrive(pilot: Pilot[None]) -> None:
    await _new_call_with_matches(pilot)
    await pilot.press("f3", "enter")
    await pilot.pause(0.5)
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("f5")
    await pilot.pause(0.5)


@shot("call_handler_briefing", "The briefing sent to attending officers with the assignment")
async def briefing(pilot: Pilot[None]) -> None:
    await sign_in(pilot, "CH1001")
    with pilot.app.store.session() as db:  # type: ignore[attr-defined]
        calls = todays_calls(db)
    graded = next((n for n, call in enumerate(calls) if call.status == "graded"), 0)
    await pilot.press(*["down"] * graded, "enter")
    await pilot.pause(0.5)
