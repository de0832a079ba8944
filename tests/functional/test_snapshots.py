"""Every screen at 80x24, as SVG snapshots: a change to what an officer sees shows as a
diff in review. Update on purpose with `pytest tests/functional/test_snapshots.py
--snapshot-update` and look at the SVGs in `__snapshots__/`.

The store is built from fixed records (fixed references, dates and names), so nothing on
screen depends on the day the tests run.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from firstresponse.config import Settings
from firstresponse.records import HighRiskReview, Review, Role, User
from firstresponse.security.pins import hash_pin
from firstresponse.store import Store
from firstresponse.supervision import QueueItem
from firstresponse.tui.app import FirstResponseApp
from firstresponse.tui.screenshots import app_of, settle, sign_in
from firstresponse.tui.widgets.checklist_form import ChecklistForm
from tests.builders import assigned_incident

SIZE = (80, 24)
Steps = Callable[[Pilot[Any]], Awaitable[None]]
BRIEFING = ("Weapons", ["Knife mentioned by caller"])


#: The one incident in the store (set by the `app` fixture), for screens pushed directly.
CASE: dict[str, str] = {}


@pytest.fixture
def app(settings: Settings, store: Store) -> FirstResponseApp:
    pin = hash_pin("1234")
    with store.session() as db:
        incident = assigned_incident(db, "PC2001", BRIEFING, pin_hash=pin)
        for collar, name, role in (
            ("CH1001", "Call Handler Test", Role.CALL_HANDLER),
            ("SG3001", "Sgt Test", Role.SUPERVISOR),
        ):
            db.add(User(collar=collar, name=name, role=role, team="Alpha", pin_hash=pin))
        CASE["incident_id"] = incident.id
    settings.idle_lock_seconds = 0
    return FirstResponseApp(settings, store)


def on(pilot: Pilot[Any], name: str) -> Callable[[], bool]:
    return lambda: type(pilot.app.screen).__name__ == name


def keys(*steps: str | tuple[str, str]) -> Steps:
    """Sign in as needed, press keys, and wait for the named screen after each step."""

    async def run(pilot: Pilot[Any]) -> None:
        for step in steps:
            if isinstance(step, tuple):
                key, screen = step
                await pilot.press(key)
                await settle(pilot, on(pilot, screen))
            elif step.startswith("as:"):
                collar, _, pin = step[3:].partition(":")
                await sign_in(pilot, collar, pin or "1234")
            else:
                await pilot.press(step)
        await settle(pilot)

    return run


def push(make: Callable[[FirstResponseApp], Any], collar: str = "") -> Steps:
    """Sign in (if a collar is given) and push a screen built from the app."""

    async def run(pilot: Pilot[Any]) -> None:
        if collar:
            await sign_in(pilot, collar)
        screen = make(app_of(pilot))
        pilot.app.push_screen(screen)
        await settle(pilot, lambda: pilot.app.screen is screen)

    return run


def _state(app: FirstResponseApp) -> Any:
    from firstresponse.tui.screens.call_handler.state import CallState

    return CallState(
        incident_id=CASE["incident_id"],
        reference="T-1",
        victim_name="Alex Testperson",
        facts={"repeat_victim": True, "incidents_12m": 3},
    )


def _thrive(app: FirstResponseApp) -> Any:
    from firstresponse.tui.screens.call_handler.thrive import ThriveScreen

    return ThriveScreen(_state(app))


def _safety(app: FirstResponseApp) -> Any:
    from firstresponse.tui.screens.call_handler.safety import SafetyAdviceScreen

    return SafetyAdviceScreen(_state(app))


def _history(_app: FirstResponseApp) -> Any:
    from firstresponse.tui.screens.call_handler.history import HistoryScreen

    return HistoryScreen(
        {
            "name": "Alex Testperson",
            "dob": "1990-02-03",
            "da_incidents_12m": 3,
            "last_risk_level": "medium",
            "on_marac": True,
            "markers": ["repeat_victim"],
            "orders": [
                {"kind": "non_molestation", "detail": "Non-molestation order", "in_force": True}
            ],
            "narrative": ["2026-01-02 Ex-partner threatened her at the door"],
        }
    )


def _briefing_view(_app: FirstResponseApp) -> Any:
    from firstresponse.tui.screens.call_handler.briefing import BriefingView

    briefing = {"summary": "Immediate: Alex Testperson, 1 Test Row", "sections": []}
    return BriefingView("T-1", briefing, "PC2001")


def _override(_app: FirstResponseApp) -> Any:
    from firstresponse.tui.screens.call_handler.override import OverrideDialog

    return OverrideDialog("priority", ["Repeat victim: 3 incidents in 12 months"])


def _review(app: FirstResponseApp) -> Any:
    from firstresponse.tui.screens.supervisor.review import ReviewScreen

    item = {
        "subject_id": CASE["incident_id"],
        "reference": "T-1",
        "why": ["No arrest where a crime was recorded"],
        "reasons": ["no_arrest_crime"],
        "officer": "PC2001",
        "occurred_at": "2026-01-10",
        "risk_level": "medium",
    }
    return ReviewScreen(QueueItem("sample-1", item))


def _feedback(app: FirstResponseApp) -> Any:
    from firstresponse.supervision.feedback import dip_sample
    from firstresponse.tui.screens.feedback import FeedbackScreen

    review = Review(
        subject_id=CASE["incident_id"],
        reviewer="SG3001",
        officer="PC2001",
        outcome="advice",
        feedback="Good scene work; record the child's view in their own words.",
        answers={},
        created_at=datetime(2026, 1, 12, 9, 0, tzinfo=UTC),
    )
    return FeedbackScreen([dip_sample(review, "T-1", {})])


def _case_feedback(app: FirstResponseApp) -> Any:
    """Two reviews of PC2001's case: a same-shift regrade waiting, a dip sample read."""
    from firstresponse.tui.screens.feedback import CaseFeedbackScreen

    with app.context.store.session() as db:
        db.add(
            Review(
                subject_kind="incident",
                subject_id=CASE["incident_id"],
                reviewer="SG3001",
                officer="PC2001",
                outcome="advice",
                feedback="Good scene work; record the child's own words.",
                answers={},
                created_at=datetime(2026, 1, 12, 9, 0, tzinfo=UTC),
                acknowledged_at=datetime(2026, 1, 12, 10, 0, tzinfo=UTC),
            )
        )
        db.add(
            HighRiskReview(
                incident_id=CASE["incident_id"], officer="PC2001", reviewer="SG3001",
                submitted_at=datetime(2026, 1, 12, 13, 0, tzinfo=UTC),
                due_by=datetime(2026, 1, 12, 15, 0, tzinfo=UTC), level_before="medium",
                decision="regrade", level_after="high",
                reason="Strangulation disclosed: a high-risk factor on its own",
                actions=["MARAC referral today", "IDVA referral"],
                feedback="Ask about strangulation in every DA call.",
                escalate_to="duty_inspector", created_at=datetime(2026, 1, 12, 14, 10, tzinfo=UTC),
            )
        )  # fmt: skip
    return CaseFeedbackScreen()


def _dialog(kind: str) -> Callable[[FirstResponseApp], Any]:
    def make(_app: FirstResponseApp) -> Any:
        from firstresponse.tui.screens.responder import dialogs
        from firstresponse.tui.screens.responder.new_attendance import NewAttendance

        return {
            "reason": lambda: dialogs.ReasonDialog("Why is 'MARAC referral' declined?"),
            "amend": lambda: dialogs.AmendDialog([("a1", "First response checklist v1")]),
            "attend": NewAttendance,
        }[kind]()

    return make


async def _too_small(pilot: Pilot[Any]) -> None:
    await settle(pilot, lambda: type(pilot.app.screen).__name__ == "LoginScreen")
    await pilot.resize_terminal(70, 20)
    await settle(pilot, on(pilot, "TooSmallScreen"))


async def _locked(pilot: Pilot[Any]) -> None:
    await sign_in(pilot, "PC2001")
    app_of(pilot).lock_terminal("idle")
    await settle(pilot, on(pilot, "LockScreen"))


INCIDENT = ("enter", "IncidentScreen")
SCREENS: dict[str, Steps] = {
    "login": keys(),
    "login_wrong_pin": keys("as:CH1001:9999"),
    "too_small": _too_small,
    "lock": _locked,
    "responder_home": keys("as:PC2001"),
    "responder_incident": keys("as:PC2001", INCIDENT),
    "responder_checklist": keys("as:PC2001", INCIDENT, ("c", "ChecklistScreen")),
    "responder_risk_checklist": keys("as:PC2001", INCIDENT, ("r", "ChecklistScreen")),
    "responder_risk_level": keys("as:PC2001", INCIDENT, ("k", "RiskScreen")),
    "responder_referrals": keys("as:PC2001", INCIDENT, ("f", "ReferralsScreen")),
    "responder_submit_refused": keys("as:PC2001", INCIDENT, ("s", "ProblemsDialog")),
    "responder_outbox": keys("as:PC2001", ("o", "OutboxScreen")),
    "responder_new_attendance": push(_dialog("attend"), "PC2001"),
    "responder_reason": push(_dialog("reason"), "PC2001"),
    "responder_amend": push(_dialog("amend"), "PC2001"),
    "officer_feedback": push(_feedback, "PC2001"),
    "officer_case_feedback": push(_case_feedback, "PC2001"),
    "call_handler_home": keys("as:CH1001"),
    "call_handler_new_call": keys("as:CH1001", ("n", "NewCallScreen")),
    "call_handler_history": push(_history, "CH1001"),
    "call_handler_thrive": push(_thrive, "CH1001"),
    "call_handler_override": push(_override, "CH1001"),
    "call_handler_briefing_view": push(_briefing_view, "CH1001"),
    "call_handler_safety": push(_safety, "CH1001"),
    "supervisor_home": keys("as:SG3001"),
    "supervisor_review_form": push(_review, "SG3001"),
}


@pytest.mark.parametrize("name", sorted(SCREENS))
def test_screen(name: str, app: FirstResponseApp, snap_compare: Any) -> None:
    walk = SCREENS[name]

    async def steps(pilot: Pilot[Any]) -> None:
        await walk(pilot)
        for form in pilot.app.screen.query(ChecklistForm):
            await form.build_all()  # a form mounts its later pages after the first frame
        if name == "supervisor_review_form":
            await pilot.press("f4")  # the form tab (the record tab shows today's audit times)
        # A blinking cursor would differ from run to run.
        for box in pilot.app.screen.query(Input):
            box.cursor_blink = False
        for area in pilot.app.screen.query(TextArea):
            area.cursor_blink = False
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=steps)
