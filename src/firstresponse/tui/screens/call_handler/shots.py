"""Screenshot walks for the call handler's screens (`firstresponse screenshots`)."""

from __future__ import annotations

from textual.pilot import Pilot

from firstresponse.calls import prepare
from firstresponse.calls.terminal import shift_call_lines
from firstresponse.demo.live_calls import BASE, repeat_victim_name
from firstresponse.tui.screens.call_handler.briefing import BriefingScreen
from firstresponse.tui.screens.call_handler.override import OverrideDialog
from firstresponse.tui.screens.call_handler.safety import SafetyAdviceScreen
from firstresponse.tui.screens.call_handler.state import CallState
from firstresponse.tui.screens.call_handler.thrive import ThriveScreen
from firstresponse.tui.screenshots import app_of, settle, shot, sign_in, type_text


def _known_name(pilot: Pilot[None]) -> str:
    """A historic repeat victim's name, typed with the surname first to show the matching."""
    return repeat_victim_name(app_of(pilot).context.store) or "Testa Example"


@shot("call_handler_home", "Call handler: this shift's calls, n for a new call", "CallHandlerHome")
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


@shot(
    "call_handler_new_call",
    "New call: repeat-victim matches as you type, with reasons",
    "NewCallScreen",
)
async def new_call(pilot: Pilot[None]) -> None:
    await _new_call_with_matches(pilot)


@shot("call_handler_history", "The chosen person's history as one narrative", "HistoryScreen")
async def history(pilot: Pilot[None]) -> None:
    await _new_call_with_matches(pilot)
    await pilot.press("f3", "enter")
    await settle(pilot, lambda: type(pilot.app.screen).__name__ == "HistoryScreen")


@shot(
    "call_handler_thrive",
    "THRIVE with the grade floor set by the history and answers",
    "ThriveScreen",
)
async def thrive(pilot: Pilot[None]) -> None:
    await history(pilot)
    await pilot.press("enter")
    await settle(pilot, lambda: type(pilot.app.screen).__name__ == "NewCallScreen")
    await pilot.press("f5")
    await settle(pilot, lambda: type(pilot.app.screen).__name__ == "ThriveScreen")


@shot(
    "call_handler_briefing",
    "The briefing sent to attending officers with the assignment",
    "BriefingView",
)
async def briefing(pilot: Pilot[None]) -> None:
    await sign_in(pilot, "CH1001")
    calls = shift_call_lines(app_of(pilot).context.store)
    graded = next((n for n, call in enumerate(calls) if call.status == "graded"), 0)
    await pilot.press(*["down"] * graded, "enter")
    await settle(pilot, lambda: type(pilot.app.screen).__name__ == "BriefingView")


@shot("call_handler_link", "Possibly the same person: confirm, reject or undo a link", "LinkScreen")
async def link(pilot: Pilot[None]) -> None:
    await sign_in(pilot, "CH1001")
    await pilot.press("n")
    await settle(pilot, lambda: type(pilot.app.screen).__name__ == "NewCallScreen")
    await type_text(pilot, "Liz Marsh")
    await settle(pilot, lambda: "F3 to choose" in _lookup_status(pilot))
    await pilot.press("f3", "enter")
    await settle(pilot, lambda: type(pilot.app.screen).__name__ == "HistoryScreen")
    await pilot.press("l")
    await settle(pilot, lambda: type(pilot.app.screen).__name__ == "LinkScreen")


def _thrive_state(pilot: Pilot[None]) -> CallState:
    screen = pilot.app.screen
    assert isinstance(screen, ThriveScreen)
    return screen.state


@shot(
    "call_handler_briefing_preview",
    "F5 on a complete THRIVE: the briefing to send, and whom to assign",
    "BriefingScreen",
)
async def briefing_preview(pilot: Pilot[None]) -> None:
    await thrive(pilot)
    state = _thrive_state(pilot)
    answers = {**BASE, "grade": "immediate", "grade.reason": "Threats to come back tonight"}
    answers, ev = prepare(app_of(pilot).context.checklists["thrive"], answers, state.facts)
    pilot.app.push_screen(BriefingScreen(state, answers, ev, None))
    await settle(pilot, lambda: type(pilot.app.screen).__name__ == "BriefingScreen")


@shot(
    "call_handler_override",
    "A grade below the history's floor needs a supervisor's collar, PIN and rationale",
    "OverrideDialog",
)
async def override(pilot: Pilot[None]) -> None:
    await thrive(pilot)
    state = _thrive_state(pilot)
    answers = {**BASE, "grade": "scheduled", "grade.reason": "Caller asked for the morning"}
    _, ev = prepare(app_of(pilot).context.checklists["thrive"], answers, state.facts)
    floor = ev.grade_floor.value.replace("_", " ") if ev.grade_floor else ""
    pilot.app.push_screen(OverrideDialog(floor, list(ev.grade_floor_reasons)))
    await settle(pilot, lambda: type(pilot.app.screen).__name__ == "OverrideDialog")


@shot(
    "call_handler_safety",
    "After sending: the safety advice to read to the caller",
    "SafetyAdviceScreen",
)
async def safety(pilot: Pilot[None]) -> None:
    await thrive(pilot)
    pilot.app.switch_screen(SafetyAdviceScreen(_thrive_state(pilot)))
    await settle(pilot, lambda: type(pilot.app.screen).__name__ == "SafetyAdviceScreen")
