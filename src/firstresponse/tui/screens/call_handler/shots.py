"""Screenshot walks for the call handler's screens (`firstresponse screenshots`)."""

from __future__ import annotations

from textual.pilot import Pilot

from firstresponse.calls.terminal import shift_call_lines
from firstresponse.demo.live_calls import repeat_victim_name
from firstresponse.tui.screenshots import app_of, settle, shot, sign_in, type_text


def _known_name(pilot: Pilot[None]) -> str:
    """A historic repeat victim's name, typed with the surname first to show the matching."""
    return repeat_victim_name(app_of(pilot).context.store) or "Testa Example"


@shot("call_handler_home", "Call handler: this shift's calls, n for a new call")
async def home(pilot: Pilot[None]) -> None:
    await sign_in(pilot, "CH1001")


async def _new_call_with_matches(pilot: Pilot[None]) -> None:
    await sign_in(pilot, "CH1001")
    await pilot.press("n")
    await settle(pilot, lambda: type(pilot.app.screen).__name__ == "NewCallScreen")
    await type_text(pilot, _known_name(pilot))
    await settle(pilot, lambda: "F3 to choose" in _lookup_status(pilot))


def _lookup_status(pilot: Pilot[None]) -> str:
    return str(pilot.app.screen.query_one("#lookup-status").render())


@shot("call_handler_new_call", "New call: repeat-victim matches as you type, with reasons")
async def new_call(pilot: Pilot[None]) -> None:
    await _new_call_with_matches(pilot)


@shot("call_handler_history", "The chosen person's history as one narrative")
async def history(pilot: Pilot[None]) -> None:
    await _new_call_with_matches(pilot)
    await pilot.press("f3", "enter")
    await settle(pilot, lambda: type(pilot.app.screen).__name__ == "HistoryScreen")


@shot("call_handler_thrive", "THRIVE with the grade floor set by the history and answers")
async def thrive(pilot: Pilot[None]) -> None:
    await history(pilot)
    await pilot.press("enter")
    await settle(pilot, lambda: type(pilot.app.screen).__name__ == "NewCallScreen")
    await pilot.press("f5")
    await settle(pilot, lambda: type(pilot.app.screen).__name__ == "ThriveScreen")


@shot("call_handler_briefing", "The briefing sent to attending officers with the assignment")
async def briefing(pilot: Pilot[None]) -> None:
    await sign_in(pilot, "CH1001")
    calls = shift_call_lines(app_of(pilot).context.store)
    graded = next((n for n, call in enumerate(calls) if call.status == "graded"), 0)
    await pilot.press(*["down"] * graded, "enter")
    await settle(pilot, lambda: type(pilot.app.screen).__name__ == "BriefingView")
