"""A whole call at 80x24, keyboard only: sign in, new call, lookup, history, THRIVE, grade."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace

import pytest
from sqlmodel import select
from textual.widgets import Input, OptionList

from firstresponse.calls import LocalLookup
from firstresponse.records import (
    Assessment,
    Assignment,
    AuditEvent,
    Decision,
    Incident,
    Person,
    User,
)
from firstresponse.security.pins import hash_pin
from firstresponse.tui.app import FirstResponseApp
from firstresponse.tui.screenshots import on_screen, press_to, settle, sign_in, type_text
from firstresponse.tui.widgets.checklist_form import ChecklistForm
from tests.functional.forms import answer, burst, reason

SIZE = (80, 24)


@dataclass
class FakeMatch:
    person_id: str
    name: str
    dob: date | None
    postcode: str
    score: float
    reasons: list[str] = field(default_factory=list)
    markers: list[str] = field(default_factory=list)
    da_incidents_12m: int = 0


@pytest.fixture
def engine(store) -> SimpleNamespace:
    """Users, one known repeat victim (`engine.person`), and a stand-in lookup engine."""
    with store.session() as db:
        for collar, role in (("CH1001", "call_handler"), ("SG3001", "supervisor")):
            db.add(User(collar=collar, name=collar, role=role, pin_hash=hash_pin("1234")))
        person = Person(
            forename="Jonathan",
            surname="Testperson",
            dob=date(1990, 4, 3),
            postcode="TT1 1AA",
            address="3 Example Close",
        )
        db.add(person)

    def search(db, query, limit=10):
        if "officer" in query.name.lower():
            return [
                FakeMatch(
                    "s1",
                    "Sam Officerton",
                    None,
                    "",
                    0.9,
                    ["exact name"],
                    ["police_workforce_suspect"],
                )
            ]
        if "jon" not in query.name.lower():
            return []
        return [
            FakeMatch(
                person.id,
                "Jonathan Testperson",
                person.dob,
                "TT1 1AA",
                0.93,
                ["nickname Jon=Jonathan"],
                ["repeat_victim"],
                2,
            )
        ]

    def person_history(db, person_id, today=None):
        if person_id == "s1":
            return {
                "person_id": "s1",
                "name": "Sam Officerton",
                "markers": ["police_workforce_suspect"],
                "narrative": [],
            }
        return {
            "person_id": person_id,
            "name": "Jonathan Testperson",
            "dob": "1990-04-03",
            "markers": ["repeat_victim"],
            "last_risk_level": "medium",
            "da_incidents_12m": 2,
            "previous_partners": ["Former Partner"],
            "orders": [],
            "on_marac": False,
            "bail_conditions": [],
            "dvds": [],
            "aliases": ["Jon Testperson"],
            "incidents": [{"incident_id": "h1", "role": "victim"}],
            "narrative": ["2026-09-01 partner threatened him, medium risk"],
        }

    return SimpleNamespace(search=search, person_history=person_history, person=person)


@pytest.fixture
def known(engine) -> Person:
    return engine.person


@pytest.fixture
def lookup_app(settings, store, engine):
    """The app with the stand-in engine behind the local lookup."""
    return lambda: FirstResponseApp(
        settings, store, lookup=lambda context: LocalLookup(store, context.signed_in, engine)
    )


CALM = [
    ("caller_role", "victim"),
    ("caller_can_talk", "yes"),
    ("happening_now", "no"),
    ("suspect_present", "no"),
    ("children_present", "no"),
    ("injuries", "no"),
    ("weapons", "no"),
    ("strangulation", "no"),
    ("threats_to_kill", "no"),
    ("suspect_workforce", "no"),
    ("vulnerabilities", "none_known"),
    ("threat", "Texts"),
    ("harm", "Fear"),
    ("risk", "Rising"),
    ("investigation", "Texts"),
    ("vulnerability", "Her"),
    ("engagement", "Visit"),
]


async def test_call_flow_with_lookup_floor_and_override(lookup_app, store, known) -> None:
    app = lookup_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "CH1001")
        assert type(app.screen).__name__ == "CallHandlerHome"
        await pilot.press("n")
        await pilot.pause()
        assert type(app.screen).__name__ == "NewCallScreen"
        await type_text(pilot, "jon testperson")
        await settle(pilot, lambda: "F3 to choose" in _status(app))
        await pilot.wait_for_scheduled_animations()
        matches = app.screen.query_one("#matches", OptionList)
        assert matches.option_count == 1
        await pilot.press("f3", "enter")
        await settle(pilot, lambda: type(app.screen).__name__ == "HistoryScreen")
        text = str(app.screen.query_one("#history-text").render())
        assert "Former Partner" in text and "partner threatened him" in text
        await pilot.press("enter")
        await pilot.pause()
        assert "Victim: Jonathan Testperson REPEAT" in str(
            app.screen.query_one("#selected").render()
        )
        await press_to(pilot, "f5", "ThriveScreen")
        assert "Repeat victim" in str(app.screen.query_one("#floor").render())
        form = app.screen.query_one(ChecklistForm)
        for path, value in CALM:
            await answer(pilot, form, path, value)
        await answer(pilot, form, "grade", "scheduled")
        await reason(pilot, form, "grade", "Asked")
        await answer(pilot, form, "appointment_at", "2026-11-24 10:00")
        await answer(pilot, form, "safe_until_appointment", "yes")
        await answer(pilot, form, "safety_advice_given", "yes")
        assert "BELOW FLOOR" in str(app.screen.query_one("#floor").render())
        await pilot.press("f5")
        await pilot.pause()
        assert type(app.screen).__name__ == "OverrideDialog"
        await type_text(pilot, "SG3001")
        await pilot.press("enter")
        await type_text(pilot, "9999")
        await pilot.press("enter")
        await type_text(pilot, "Away")
        await pilot.press("enter")
        await pilot.pause()
        assert "PIN" in str(app.screen.query_one("#ov-error").render())
        await type_text(pilot, "1234")
        await pilot.press("enter")  # the rationale is kept: verified and closed
        await settle(pilot, lambda: type(app.screen).__name__ == "BriefingScreen")
        assert "SCHEDULED: Jonathan Testperson" in str(
            app.screen.query_one("#briefing-text").render()
        )
        await type_text(pilot, "pc2001")
        await press_to(pilot, "f5", "SafetyAdviceScreen")
        await press_to(pilot, "escape", "CallHandlerHome")
    with store.session() as db:
        incident = db.exec(select(Incident)).one()
        assert incident.victim_id == known.id and incident.status == "graded"
        assert incident.grade == "scheduled"
        kinds = sorted(d.kind for d in db.exec(select(Decision)))
        assert kinds == ["grade_override", "low_grade"]
        assert db.exec(select(Assignment)).one().assignee == "PC2001"
        assert db.exec(select(Assessment)).one().answers["floor_override_supervisor"] == "SG3001"
        actions = [e.action for e in db.exec(select(AuditEvent))]
        assert "lookup" in actions and "view" in actions and "grade_call" in actions


def _status(app: FirstResponseApp) -> str:
    return str(app.screen.query_one("#lookup-status").render())


@pytest.fixture
def app_factory(settings, store):
    return lambda: FirstResponseApp(settings, store)


async def test_home_lists_calls_and_opens_a_briefing(app_factory, store, settings) -> None:
    from firstresponse.demo.live_calls import seed

    with store.session() as db:
        for collar, role in (("CH1001", "call_handler"), ("SG3001", "supervisor")):
            db.add(User(collar=collar, name=collar, role=role, pin_hash=hash_pin("1234")))
    with store.session() as db:
        refs = seed(db, settings)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "CH1001")
        table = app.screen.query_one("#calls")
        assert table.row_count == 3
        await pilot.press("enter")  # newest first: the scheduled call sent to Bravo
        await settle(pilot, lambda: type(app.screen).__name__ == "BriefingView")
        text = str(app.screen.query_one("#briefing-text").render())
        assert text.startswith("SCHEDULED: Example Messager") and "CHILDREN" in text
        assert refs[2] in app.screen.sub_title and "Bravo" in app.screen.sub_title
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "CallHandlerHome"


async def test_suspect_lookup_sets_workforce_floor(lookup_app, store, known) -> None:
    with store.session() as db:
        db.add(Person(id="s1", forename="Sam", surname="Officerton"))
    app = lookup_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "CH1001")
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "New Caller")
        app.screen.query_one("#suspect", Input).focus()
        await type_text(pilot, "sam officerton")
        await settle(pilot, lambda: "F3 to choose" in _status(app))
        assert "Suspect: 1 match" in str(app.screen.query_one("#lookup-status").render())
        await pilot.press("f3", "enter")
        await settle(pilot, lambda: type(app.screen).__name__ == "HistoryScreen")
        await pilot.press("enter")
        await pilot.pause()
        assert "POLICE WORKFORCE" in str(app.screen.query_one("#selected").render())
        await press_to(pilot, "f5", "ThriveScreen")
        assert "Suspect is police workforce" in str(app.screen.query_one("#floor").render())
        assert app.screen.state.facts["police_workforce_suspect"] is True
    with store.session() as db:
        incident = db.exec(select(Incident)).one()
        assert incident.suspect_id == "s1"
        assert db.get(Person, incident.victim_id).full_name == "New Caller"


async def test_open_call_resumes_with_history_facts(lookup_app, store, known) -> None:
    from firstresponse.calls import CallDetails, open_call

    with store.session() as db:
        handler = db.exec(select(User).where(User.collar == "CH1001")).one()
        incident = open_call(
            db, handler, CallDetails(happening_now="Call dropped"), victim_id=known.id
        )
    app = lookup_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "CH1001")
        await press_to(pilot, "enter", "ThriveScreen")
        assert app.screen.state.incident_id == incident.id
        assert app.screen.state.facts["repeat_victim"] is True
        assert "Repeat victim" in str(app.screen.query_one("#floor").render())


def test_lookup_source_goes_online_only_with_hub_and_a_session(settings, store) -> None:
    from firstresponse.calls import FallbackLookup, LocalLookup
    from firstresponse.sync.client import SessionToken
    from firstresponse.tui.context import Once, TerminalContext, default_lookup

    user = User(collar="CH1001", name="x", role="call_handler")
    context = TerminalContext(settings, Once.made(store))
    context.sign_in(user)
    assert isinstance(default_lookup(context), LocalLookup)
    settings.hub_url, settings.device_token = "http://hub.test", "token"
    assert isinstance(default_lookup(context), LocalLookup)  # no hub session: stay local
    context.sync = SimpleNamespace(worker=SimpleNamespace(session=SessionToken("CH1001", "t")))
    source = default_lookup(context)
    assert isinstance(source, FallbackLookup) and source.name == "hub"


async def test_a_new_victims_self_defined_ethnicity_is_kept(app_factory, store, known) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "CH1001")
        await press_to(pilot, "n", "NewCallScreen")
        await type_text(pilot, "Nova Testnew")
        app.screen.query_one("#ethnicity").focus()
        await pilot.press("b", "b")  # the answers starting with B: B1, then B2
        await settle(pilot, lambda: app.screen.choice("ethnicity") == "B2")
        await press_to(pilot, "f5", "ThriveScreen")
    with store.session() as db:
        victim = db.exec(select(Person).where(Person.surname == "Testnew")).one()
        assert victim.ethnicity == "B2"


async def test_a_choice_moves_on_to_the_next_box(app_factory, store, known) -> None:
    """Enter on a choice moves on, as Enter in a box does (the header says so)."""
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "CH1001")
        await press_to(pilot, "n", "NewCallScreen")
        assert "Enter or Tab: next box" in app.screen.sub_title
        app.screen.query_one("#relationship").focus()
        await pilot.press("right", "right", "enter")  # Choose…, partner, ex partner
        await settle(pilot, lambda: app.screen.choice("relationship") == "ex_partner")
        await settle(pilot, lambda: app.focused is not None and app.focused.id == "caller")
        await type_text(pilot, "victim")
        assert app.screen.query_one("#caller", Input).value == "victim"


async def test_details_typed_ahead_each_reach_their_box(app_factory, store, known) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "CH1001")
        await press_to(pilot, "n", "NewCallScreen")
        burst(app, "Tessa Varley\r199")
        await pilot.pause()  # the box takes its focus between two keys typed into it
        burst(app, "0-04-12\r07700 900123\rZZ1 4AB\r12 Quarry Lane\r")
        burst(app, "<right>\rvictim\rShouting\rGary Pellow\ry\rn\rAmy 6")
        await settle(pilot, lambda: app.screen.value("children") == "Amy 6")
        boxes = ("name", "dob", "phone", "postcode", "address", "caller", "happening", "suspect")
        values = [app.screen.value(box) for box in boxes]
        choices = [app.screen.choice(c) for c in ("relationship", "suspect_present", "weapons")]
    assert values == [
        "Tessa Varley",
        "1990-04-12",
        "07700 900123",
        "ZZ1 4AB",
        "12 Quarry Lane",
        "victim",
        "Shouting",
        "Gary Pellow",
    ]
    assert choices == ["partner", "yes", "no"]


async def test_a_call_typed_on_from_the_sign_in_reaches_the_new_call(
    app_factory, store, known
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: on_screen(pilot, "LoginScreen"))
        burst(app, "CH1001\r1234\rnTessa Varley")  # sign in, n for a new call, the name
        await settle(pilot, lambda: on_screen(pilot, "NewCallScreen"))
        await settle(pilot, lambda: app.screen.value("name") == "Tessa Varley")
