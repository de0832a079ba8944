"""Every screen at 80x24, as SVG snapshots: a change to what an officer sees shows as a
diff in review. Update on purpose with `pytest tests/functional/test_snapshots.py
--snapshot-update` and look at the SVGs in `__snapshots__/`. They are the README's pictures
too: `make screenshots` updates them and copies each to `screens/<name>.svg`.

The store is built from fixed records (fixed references, dates and names), so nothing on
screen depends on the day the tests run.
"""

from __future__ import annotations

import ast
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from firstresponse.config import Settings
from firstresponse.records import DvdsApplication, HighRiskReview, Review, Role, User
from firstresponse.security.pins import hash_pin
from firstresponse.store import Store
from firstresponse.supervision import QueueItem
from firstresponse.tui.app import FirstResponseApp
from firstresponse.tui.screens.followup import contacts, dvds, figures, high_risk, orders
from firstresponse.tui.screens.supervisor import dashboard
from firstresponse.tui.widgets.checklist_form import ChecklistForm
from firstresponse.tui.widgets.status_bar import StatusBar
from tests.builders import assigned_incident
from tests.followup_builders import incident, submitted
from tests.functional.pilot import app_of, settle, sign_in

SIZE = (80, 24)
Steps = Callable[[Pilot[Any]], Awaitable[None]]
BRIEFING = ("Weapons", ["Knife mentioned by caller"])


#: The one incident in the store (set by the `app` fixture), for screens pushed directly.
CASE: dict[str, str] = {}

#: "Now" for the screens that count from the clock (due, overdue, last N days).
NOW = datetime(2026, 1, 12, 14, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in (contacts, dvds, figures, high_risk, dashboard, orders):
        monkeypatch.setattr(module, "utcnow", lambda: NOW)


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
            "incidents_12m_as_victim": 3,
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


def _link(_app: FirstResponseApp) -> Any:
    from firstresponse.tui.screens.call_handler.person_side import LinkScreen

    return LinkScreen(
        {
            "name": "Alex Testperson",
            "person_id": "p-1",
            "possible_links": [
                {"other_id": "p-2", "other_name": "Alexandra Testperson",
                 "reasons": ["same surname", "DOB day/month swapped"]},
            ],
        }
    )  # fmt: skip


def _briefing(app: FirstResponseApp) -> Any:
    from firstresponse.calls import prepare
    from firstresponse.tui.screens.call_handler.briefing import BriefingScreen

    state = _state(app)
    answers, ev = prepare(app.context.checklists["thrive"], {"grade": "immediate"}, state.facts)
    return BriefingScreen(state, answers, ev, None)


def _high_risk_case(app: FirstResponseApp) -> None:
    with app.context.store.session() as db:
        row = incident(db, "HR-100", NOW - timedelta(hours=1))
        submitted(db, row, "risk", NOW - timedelta(hours=1), result={"risk_level": "high"})


def _high_risk_queue(app: FirstResponseApp) -> Any:
    _high_risk_case(app)
    return high_risk.HighRiskQueueScreen()


def _high_risk_review(app: FirstResponseApp) -> Any:
    from firstresponse.supervision.terminal import high_risk_queue

    _high_risk_case(app)
    return high_risk.HighRiskReviewScreen(high_risk_queue(app.context.store, NOW)[0])


def _contact_due(app: FirstResponseApp) -> str:
    """A first response submitted an hour ago, with how to contact the victim; its id."""
    answers = {"contact_method": "phone", "contact_safety": "Mobile only, no voicemail"}
    with app.context.store.session() as db:
        row = incident(db, "VC-1", NOW - timedelta(hours=1))
        submitted(db, row, "first_response", NOW - timedelta(hours=1), answers=answers)
        return row.id


def _contacts(app: FirstResponseApp) -> Any:
    _contact_due(app)
    return contacts.ContactsScreen("mine")


def _contact_form(app: FirstResponseApp) -> Any:
    from firstresponse.followup.terminal import contacts_due

    _contact_due(app)
    return contacts.ContactForm(contacts_due(app.context.store, NOW, owner="PC2001")[0])


def _outcome_form(app: FirstResponseApp) -> Any:
    return contacts.OutcomeForm(_contact_due(app), "VC-1")


def _dvds_case(app: FirstResponseApp) -> None:
    with app.context.store.session() as db:
        db.add(
            DvdsApplication(
                reference="DV-1", route="right_to_ask", received_at=NOW - timedelta(days=1),
                applicant_name="Sam Testvictim", applicant_is_victim=True,
                victim_name="Sam Testvictim", subject_name="Lee Testsubject",
                relationship="partner", concerns="Checks her phone, jealous",
                safe_contact="Work phone only", created_by="CH1001", team="Alpha",
                created_at=NOW - timedelta(days=1),
            )
        )  # fmt: skip


def _dvds_list(app: FirstResponseApp) -> Any:
    _dvds_case(app)
    return dvds.DvdsListScreen()


def _dvds_step(app: FirstResponseApp) -> Any:
    from firstresponse.followup.terminal import dvds_applications

    _dvds_case(app)
    applications, _ = dvds_applications(
        app.context.store, NOW, include_closed=False, prompts_since=NOW
    )
    return dvds.DvdsStepForm(applications[0])


def _order_case(app: FirstResponseApp) -> None:
    """A DVPN heard today and bail to Thursday against Rex Testsuspect at the case."""
    from datetime import date

    from firstresponse.records import Incident, Person, ProtectiveOrder

    with app.context.store.session() as db:
        rex = Person(forename="Rex", surname="Testsuspect", dob=date(1988, 5, 1))
        db.add(rex)
        db.flush()
        row = db.get(Incident, CASE["incident_id"])
        assert row is not None
        row.suspect_id = rex.id
        for kind, ends in (("dvpn", date(2026, 1, 12)), ("bail_conditions", date(2026, 1, 15))):
            db.add(
                ProtectiveOrder(
                    kind=kind, subject_id=rex.id, protected_id=row.victim_id,
                    incident_id=row.id, starts_on=date(2026, 1, 10), ends_on=ends,
                    detail="No contact with Alex Testperson",
                )
            )  # fmt: skip


def _order_outcomes(app: FirstResponseApp) -> Any:
    _order_case(app)
    return orders.OrderOutcomesScreen()


def _order_outcome_form(app: FirstResponseApp) -> Any:
    from firstresponse.followup.orders import awaiting_outcome

    _order_case(app)
    return orders.OrderOutcomeForm(app.context.store.run(awaiting_outcome)[0])


def _week_ahead(app: FirstResponseApp) -> Any:
    _order_case(app)
    return orders.WeekAheadScreen()


async def _too_small(pilot: Pilot[Any]) -> None:
    await settle(pilot, lambda: type(pilot.app.screen).__name__ == "LoginScreen")
    await pilot.resize_terminal(70, 20)
    await settle(pilot, on(pilot, "TooSmallScreen"))


async def _locked(pilot: Pilot[Any]) -> None:
    await sign_in(pilot, "PC2001")
    app_of(pilot).lock_terminal("idle")
    await settle(pilot, on(pilot, "LockScreen"))


INCIDENT = ("enter", "IncidentScreen")
#: Each snapshot: the screen class it shows, and the walk to it.
SCREENS: dict[str, tuple[str, Steps]] = {
    "login": ("LoginScreen", keys()),
    "login_wrong_pin": ("LoginScreen", keys("as:CH1001:9999")),
    "too_small": ("TooSmallScreen", _too_small),
    "lock": ("LockScreen", _locked),
    "responder_home": ("ResponderHome", keys("as:PC2001")),
    "responder_incident": ("IncidentScreen", keys("as:PC2001", INCIDENT)),
    "responder_checklist": (
        "ChecklistScreen",
        keys("as:PC2001", INCIDENT, ("c", "ChecklistScreen")),
    ),
    "responder_risk_checklist": (
        "ChecklistScreen",
        keys("as:PC2001", INCIDENT, ("r", "ChecklistScreen")),
    ),
    "responder_risk_level": ("RiskScreen", keys("as:PC2001", INCIDENT, ("k", "RiskScreen"))),
    "responder_referrals": (
        "ReferralsScreen",
        keys("as:PC2001", INCIDENT, ("f", "ReferralsScreen")),
    ),
    "responder_submit_refused": (
        "ProblemsDialog",
        keys("as:PC2001", INCIDENT, ("s", "ProblemsDialog")),
    ),
    "responder_outbox": ("OutboxScreen", keys("as:PC2001", ("o", "OutboxScreen"))),
    "responder_suspect": ("SuspectScreen", keys("as:PC2001", INCIDENT, ("i", "SuspectScreen"))),
    "responder_new_attendance": ("NewAttendance", push(_dialog("attend"), "PC2001")),
    "responder_reason": ("ReasonDialog", push(_dialog("reason"), "PC2001")),
    "responder_amend": ("AmendDialog", push(_dialog("amend"), "PC2001")),
    "officer_feedback": ("FeedbackScreen", push(_feedback, "PC2001")),
    "officer_case_feedback": ("CaseFeedbackScreen", push(_case_feedback, "PC2001")),
    "victim_contacts": ("ContactsScreen", push(_contacts, "PC2001")),
    "victim_contact_form": ("ContactForm", push(_contact_form, "PC2001")),
    "case_outcome_form": ("OutcomeForm", push(_outcome_form, "PC2001")),
    "call_handler_home": ("CallHandlerHome", keys("as:CH1001")),
    "call_handler_new_call": ("NewCallScreen", keys("as:CH1001", ("n", "NewCallScreen"))),
    "call_handler_history": ("HistoryScreen", push(_history, "CH1001")),
    "call_handler_link": ("LinkScreen", push(_link, "CH1001")),
    "call_handler_thrive": ("ThriveScreen", push(_thrive, "CH1001")),
    "call_handler_override": ("OverrideDialog", push(_override, "CH1001")),
    "call_handler_briefing": ("BriefingScreen", push(_briefing, "CH1001")),
    "call_handler_briefing_view": ("BriefingView", push(_briefing_view, "CH1001")),
    "call_handler_safety": ("SafetyAdviceScreen", push(_safety, "CH1001")),
    "dvds_list": ("DvdsListScreen", push(_dvds_list, "CH1001")),
    "dvds_new_application": (
        "DvdsApplicationForm",
        keys("as:CH1001", ("c", "DvdsListScreen"), ("n", "DvdsApplicationForm")),
    ),
    "dvds_step": ("DvdsStepForm", push(_dvds_step, "CH1001")),
    "supervisor_home": ("SupervisorHome", keys("as:SG3001")),
    "supervisor_review_form": ("ReviewScreen", push(_review, "SG3001")),
    "supervisor_dashboard": (
        "DashboardScreen",
        push(lambda _app: dashboard.DashboardScreen(), "SG3001"),
    ),
    "supervisor_high_risk_queue": ("HighRiskQueueScreen", push(_high_risk_queue, "SG3001")),
    "supervisor_high_risk_review": ("HighRiskReviewScreen", push(_high_risk_review, "SG3001")),
    "order_outcomes": ("OrderOutcomesScreen", push(_order_outcomes, "PC2001")),
    "order_outcome_form": ("OrderOutcomeForm", push(_order_outcome_form, "PC2001")),
    "supervisor_week_ahead": ("WeekAheadScreen", push(_week_ahead, "SG3001")),
    "leaders_figures": ("FiguresScreen", push(lambda _app: figures.FiguresScreen(), "SG3001")),
}


@pytest.mark.parametrize("name", sorted(SCREENS))
def test_screen(name: str, app: FirstResponseApp, snap_compare: Any) -> None:
    shown, walk = SCREENS[name]

    async def steps(pilot: Pilot[Any]) -> None:
        await walk(pilot)
        assert type(pilot.app.screen).__name__ == shown
        for form in pilot.app.screen.query(ChecklistForm):
            await form.build_all()  # a form mounts its later pages after the first frame
        if name == "supervisor_review_form":
            await pilot.press("f4")  # the form tab (the record tab shows today's audit times)
        # A blinking cursor would differ from run to run.
        for box in pilot.app.screen.query(Input):
            box.cursor_blink = False
        for area in pilot.app.screen.query(TextArea):
            area.cursor_blink = False
        bars = pilot.app.screen.query(StatusBar)
        await settle(pilot, lambda: all(bar.text for bar in bars))  # read on a thread

    assert snap_compare(app, terminal_size=SIZE, run_before=steps)


#: Screens no officer sees on their own: bases the real screens are built on.
BASES = {"TerminalScreen", "ResponderScreen", "FollowupScreen", "FollowupList", "FollowupForm"}


def _screen_classes() -> set[str]:
    """Every class under tui/ that is (through any base) a Screen or ModalScreen."""
    from pathlib import Path

    import firstresponse.tui as package

    bases: dict[str, list[str]] = {}
    for path in Path(package.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef):
                names = [ast.unparse(b).split("[")[0].split(".")[-1] for b in node.bases]
                bases[node.name] = names

    def is_screen(name: str, seen: frozenset[str] = frozenset()) -> bool:
        if name in ("Screen", "ModalScreen"):
            return True
        return name not in seen and any(
            is_screen(base, seen | {name}) for base in bases.get(name, [])
        )

    return {name for name in bases if is_screen(name)}


def test_every_screen_has_a_snapshot() -> None:
    classes = _screen_classes()
    assert {"LoginScreen", "LockScreen", "DvdsStepForm"} <= classes  # the walk finds them
    covered = {shown for shown, _ in SCREENS.values()}
    assert classes - BASES - covered == set(), "screens with no snapshot"
    assert covered - classes == set(), "snapshots of screens that no longer exist"


def test_the_readme_shows_every_snapshot() -> None:
    """`make screenshots` copies each snapshot to screens/; the README links every one."""
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    missing = [name for name in sorted(SCREENS) if f"(screens/{name}.svg)" not in readme]
    assert missing == []
