"""A whole call at 80x24, keyboard only: sign in, new call, lookup, history, THRIVE, grade."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlmodel import select
from textual.widgets import Input, OptionList

from firstresponse.calls import LocalLookup
from firstresponse.lookup import PersonHistory
from firstresponse.records import (
    Assessment,
    Assignment,
    AuditEvent,
    Child,
    Decision,
    Incident,
    OutboxItem,
    Person,
    PersonMarker,
    User,
)
from firstresponse.security.pins import hash_pin
from firstresponse.tui.app import FirstResponseApp
from firstresponse.tui.widgets.checklist_form import ChecklistForm
from tests.functional.forms import answer, burst, new_call_thrive, reason
from tests.functional.pilot import on_screen, press_to, settle, sign_in, type_text

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
        partner = Person(forename="Former", surname="Partner")
        db.add_all([person, partner])
        db.flush()  # THRIVE reads the records held: her earlier call makes her a repeat victim
        db.add(
            Incident(
                reference="WM-EARLIER-1",
                occurred_at=datetime.now(UTC) - timedelta(days=40),
                victim_id=person.id,
                suspect_id=partner.id,
                relationship="partner",
                risk_level="medium",
                source="import",
            )
        )
        db.add(PersonMarker(person_id=person.id, marker="repeat_victim"))

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
            return PersonHistory(
                person_id="s1", name="Sam Officerton", markers=["police_workforce_suspect"]
            )
        return PersonHistory.model_validate(
            {
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
                "incidents": [
                    {
                        "incident_id": "h1",
                        "reference": "CAD-H1",
                        "occurred_at": "2026-09-01T20:00:00+00:00",
                        "role": "victim",
                        "other_party": "Sam Officerton",
                        "relationship": "partner",
                        "summary": "Partner threatened him",
                    }
                ],
                "narrative": ["2026-09-01 partner threatened him, medium risk"],
            }
        )

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
    ("honour_abuse", "no"),
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
        incident = db.exec(select(Incident).where(Incident.source == "call")).one()
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
        db.flush()
        db.add(PersonMarker(person_id="s1", marker="police_workforce_suspect"))
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
        incident = db.exec(select(Incident).where(Incident.source == "call")).one()
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


@pytest.fixture
def hub_app(settings, store, tmp_path):
    """The app online against a real hub (SQLite, loopback) whose history holds the couple
    of `tests.hub.hub_people`; yields (app factory, the couple, the hub)."""
    from firstresponse.calls import FallbackLookup, HubLookup
    from firstresponse.hub.db import transaction
    from tests.hub.hub_people import seed_couple
    from tests.hub.support import serve

    with store.session() as db:
        db.add(User(collar="CH1001", name="CH1001", role="call_handler", pin_hash=hash_pin("1234")))
    served = serve(str(tmp_path / "hub.db"))
    hub = next(served)
    with transaction(hub.engine) as db:
        couple = seed_couple(db)
    token = hub.enrol("CONTROL-TUI")

    def online(context):
        client = hub.client(token, "CH1001")
        return FallbackLookup(HubLookup(client, store), LocalLookup(store, context.signed_in))

    yield (lambda: FirstResponseApp(settings, store, lookup=online)), couple, hub
    next(served, None)


async def _choose_match(pilot, app: FirstResponseApp, box: str, text: str, role: str) -> None:
    app.screen.query_one(f"#{box}", Input).focus()
    await type_text(pilot, text)
    wanted = (f"{role}: 1 match (hub)", "F3 to choose")
    await settle(pilot, lambda: all(part in _status(app) for part in wanted))
    await pilot.press("f3", "enter")
    await settle(pilot, lambda: on_screen(pilot, "HistoryScreen"))
    await press_to(pilot, "enter", "NewCallScreen")


async def test_a_call_on_the_hubs_people_with_thrive_kept_through_escape_and_reopening(
    hub_app, store
) -> None:
    from firstresponse.hub.db import transaction

    make, couple, hub = hub_app
    with transaction(hub.engine, read_only=True) as db:
        hub_people = len(db.exec(select(Person)).all())
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "CH1001")
        await press_to(pilot, "n", "NewCallScreen")
        await _choose_match(pilot, app, "name", "Wrenna Quillfeather", "Victim")
        await _choose_match(pilot, app, "suspect", "Corvin Ashdowne", "Suspect")
        selected = str(app.screen.query_one("#selected").render())
        assert "Victim: Wrenna Quillfeather" in selected and "Suspect: Corvin Ashdowne" in selected
        app.screen.query_one("#children", Input).focus()
        await type_text(pilot, "Amy 6")
        await press_to(pilot, "f5", "ThriveScreen")  # crashed here: FOREIGN KEY constraint
        floor = str(app.screen.query_one("#floor").render())
        assert "Floor: IMMEDIATE" in floor and "Last assessed at high risk" in floor
        assert "A protective order or bail condition is in force" in floor
        form = app.screen.query_one(ChecklistForm)
        assert form.answers["children_present"] == "yes"  # filled in by the call form
        await answer(pilot, form, "caller_role", "victim")
        await answer(pilot, form, "threat", "Texts saying he is coming round")
        await press_to(pilot, "escape", "CallHandlerHome")
        await press_to(pilot, "enter", "ThriveScreen")  # the call is the only one listed
        form = app.screen.query_one(ChecklistForm)
        assert form.answers["caller_role"] == "victim"
        assert form.answers["threat"] == "Texts saying he is coming round"
        assert form.answers["children_present"] == "yes"
        assert str(app.screen.query_one("#floor").render()) == floor
    with store.session() as db:
        incident = db.exec(select(Incident).where(Incident.source == "call")).one()
        assert (incident.victim_id, incident.suspect_id) == (couple.victim_id, couple.suspect_id)
        people = {
            o.record_id for o in db.exec(select(OutboxItem).where(OutboxItem.kind == "person"))
        }
        assert not people, "a person chosen from the hub's matches is never sent as new"
    with transaction(hub.engine, read_only=True) as db:
        assert len(db.exec(select(Person)).all()) == hub_people


async def test_thrive_answers_survive_ctrl_q_and_a_new_app(app_factory, store, known) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "CH1001")
        await press_to(pilot, "n", "NewCallScreen")
        await type_text(pilot, "Nova Testnew")
        app.screen.query_one("#weapons").focus()
        await pilot.press("right", "right", "enter")  # Choose…, Yes, No
        await settle(pilot, lambda: app.screen.choice("weapons") == "no")
        await press_to(pilot, "f5", "ThriveScreen")
        form = app.screen.query_one(ChecklistForm)
        await answer(pilot, form, "caller_role", "third_party")
        await pilot.press("ctrl+q")
    again = app_factory()
    async with again.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "CH1001")
        await press_to(pilot, "enter", "ThriveScreen")
        form = again.screen.query_one(ChecklistForm)
        assert form.answers["caller_role"] == "third_party"
        assert form.answers["weapons"] == "no"  # what the call form filled in
    with store.session() as db:
        drafts = db.exec(select(Assessment).where(Assessment.checklist_id == "thrive")).all()
        assert [d.status for d in drafts] == ["draft"]


async def _to_jons_history(pilot, app: FirstResponseApp) -> None:
    """Signed in, a new call, "jon testperson" typed and his match opened (HistoryScreen)."""
    await sign_in(pilot, "CH1001")
    await press_to(pilot, "n", "NewCallScreen")
    await type_text(pilot, "jon testperson")
    await settle(pilot, lambda: "F3 to choose" in _status(app))
    await pilot.press("f3", "enter")
    await settle(pilot, lambda: on_screen(pilot, "HistoryScreen"))


class SlowHub(LocalLookup):
    """A hub that takes its time to give a chosen person's record: `hold` waits until the
    test lets it answer (or 5 s, what a blocked screen would sit through)."""

    name = "hub"

    def __init__(self, store, user, engine) -> None:
        super().__init__(store, user, engine)
        self.answer = threading.Event()
        self.asked = threading.Event()

    def hold(self, person_id: str) -> bool:
        self.asked.set()
        self.answer.wait(5)
        return super().hold(person_id)


@pytest.fixture
def slow_app(settings, store, engine):
    """(app factory, the slow hub the app's lookup is)."""
    hubs: list[SlowHub] = []

    def lookup(context):
        hubs.append(SlowHub(store, context.signed_in, engine))
        return hubs[-1]

    return (lambda: FirstResponseApp(settings, store, lookup=lookup)), hubs


async def test_a_slow_hub_at_f5_leaves_the_new_call_answering_keys(slow_app, known) -> None:
    make, hubs = slow_app
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await _to_jons_history(pilot, app)
        await press_to(pilot, "enter", "NewCallScreen")
        await pilot.press("f5")
        await settle(pilot, lambda: hubs[-1].asked.is_set())
        note = str(app.screen.query_one("#selected").render())
        assert note == "fetching Jonathan Testperson's record from the hub…"
        app.screen.query_one("#happening", Input).focus()
        await type_text(pilot, "shouting")  # the screen answers while the hub is slow
        assert app.screen.value("happening") == "shouting"
        assert on_screen(pilot, "NewCallScreen") and not hubs[-1].answer.is_set()
        hubs[-1].answer.set()
        await settle(pilot, lambda: on_screen(pilot, "ThriveScreen"))
        assert app.screen.state.facts["repeat_victim"] is True


async def test_a_slow_hub_when_reopening_a_call_leaves_the_list_usable(
    slow_app, store, known
) -> None:
    from firstresponse.calls import CallDetails, open_call

    with store.session() as db:
        handler = db.exec(select(User).where(User.collar == "CH1001")).one()
        open_call(db, handler, CallDetails(happening_now="Call dropped"), victim_id=known.id)
    make, hubs = slow_app
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "CH1001")
        await pilot.press("enter")
        await settle(pilot, lambda: hubs[-1].asked.is_set())
        hint = str(app.screen.query_one("#calls-hint").render())
        assert hint == "fetching Jonathan Testperson's record from the hub…"
        await pilot.press("r")  # still answering: r refreshes the list
        assert on_screen(pilot, "CallHandlerHome") and not hubs[-1].answer.is_set()
        hubs[-1].answer.set()
        await settle(pilot, lambda: on_screen(pilot, "ThriveScreen"))
        assert app.screen.state.facts["repeat_victim"] is True


async def test_a_child_chosen_from_the_matches_keeps_their_own_id(settings, store, engine) -> None:
    with store.session() as db:
        child = Person(forename="Poppy", surname="Testchild", dob=date(2018, 5, 2))
        db.add(child)
        db.flush()
        child_id = child.id

    def search(db, query, limit=10):
        if "poppy" not in query.name.lower():
            return engine.search(db, query, limit)
        return [FakeMatch(child_id, "Poppy Testchild", date(2018, 5, 2), "", 0.9, ["name"])]

    def person_history(db, person_id, today=None):
        return PersonHistory(person_id=person_id, name="Poppy Testchild")

    both = SimpleNamespace(search=search, person_history=person_history)
    app = FirstResponseApp(
        settings, store, lookup=lambda context: LocalLookup(store, context.signed_in, both)
    )
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "CH1001")
        await press_to(pilot, "n", "NewCallScreen")
        await type_text(pilot, "Nova Testnew")
        app.screen.query_one("#children", Input).focus()
        await type_text(pilot, "Amy 6, poppy 8")
        await settle(pilot, lambda: "Child: 1 match" in _status(app))
        await pilot.press("f3", "enter")
        await settle(pilot, lambda: on_screen(pilot, "HistoryScreen"))
        await press_to(pilot, "enter", "NewCallScreen")
        assert app.screen.value("children") == "Amy 6, Poppy Testchild 8"
        assert "Known: Poppy Testchild" in str(app.screen.query_one("#selected").render())
        await press_to(pilot, "f5", "ThriveScreen")
    with store.session() as db:
        children = {c.name: c for c in db.exec(select(Child))}
        assert children["Poppy Testchild"].person_id == child_id  # her id and history kept
        assert children["Poppy Testchild"].dob == date(2018, 5, 2)
        assert children["Poppy Testchild"].age == 8
        assert children["Amy"].person_id is None  # nobody chosen: recorded on the call only
        assert len(db.exec(select(Person).where(Person.forename == "Poppy")).all()) == 1


async def test_letters_typed_on_after_choosing_a_match_do_not_pick_the_relationship(
    lookup_app, known
) -> None:
    from firstresponse.tui.widgets.type_ahead import BURST_GAP

    app = lookup_app()
    async with app.run_test(size=SIZE) as pilot:
        await _to_jons_history(pilot, app)
        burst(app, "\rex partner")  # use this person, and typing on as if in a text box
        await settle(pilot, lambda: on_screen(pilot, "NewCallScreen"))
        await settle(pilot, lambda: app.focused is app.screen.query_one("#relationship"))
        await pilot.pause(0.1)
        assert app.screen.choice("relationship") == ""  # nothing chosen for the officer
        await pilot.pause(BURST_GAP)  # the officer looks at the box, then types its letter
        await pilot.press("e")
        await settle(pilot, lambda: app.screen.choice("relationship") != "")
        assert app.screen.choice("relationship").startswith("e")


async def test_the_grade_rationale_box_comes_into_view_once_a_grade_is_chosen(
    app_factory, store, known
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        form = await new_call_thrive(pilot, "Nova Testnew")
        grade = form.field("grade")
        assert grade is not None and grade.control is not None
        grade.control.focus()
        await pilot.pause()
        body = form.body  # the grade's last line on the body's last row, as Tab leaves it
        body.scroll_relative(y=grade.control.region.bottom - body.region.bottom, animate=False)
        await pilot.pause()
        assert grade.control.region.bottom == body.region.bottom
        await pilot.press("space")  # Immediate attendance
        await pilot.pause()
        box = grade.reason_box
        assert box is not None and box.display
        await settle(pilot, lambda: body.region.contains_region(box.region))
        assert box.region.height == 1 and app.screen.region.contains_region(box.region)
        box.focus()
        await type_text(pilot, "Threats to kill tonight")
        await pilot.pause()
        assert form.answers["grade.reason"] == "Threats to kill tonight"
        assert "Threats to kill tonight" in box.render_line(0).text


async def test_a_call_sent_to_nobody_is_assigned_from_the_call_list(settings, store) -> None:
    from textual.widgets import DataTable

    from firstresponse.calls import grade_call
    from tests.unit.test_calls_support import NO_FACTS, add_users, calm_answers, lists, new_call

    users = add_users(store)
    incident = new_call(store, users["CH1001"])
    with store.session() as db:
        thrive = lists(settings)["thrive"]
        grade_call(db, users["CH1001"], incident.id, thrive, calm_answers("priority"), NO_FACTS)
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "CH1001")
        table = app.screen.query_one("#calls", DataTable)
        assert str(table.get_row_at(0)[-1]) == "NOT ASSIGNED"
        await press_to(pilot, "enter", "BriefingView")
        header = str(app.screen.query_one("HeaderTitle").render())
        assert header.endswith("NOT ASSIGNED") and "…" not in header  # not "not yet assig…"
        await press_to(pilot, "escape", "CallHandlerHome")
        await press_to(pilot, "a", "ReasonDialog")
        await pilot.press("enter")  # empty: refused, the dialog stays
        assert "collar number or a team" in str(app.screen.query_one("#reason-error").render())
        await type_text(pilot, "pc2001")
        await press_to(pilot, "enter", "CallHandlerHome")
        table = app.screen.query_one("#calls", DataTable)
        await settle(pilot, lambda: str(table.get_row_at(0)[-1]) == "graded")
        await press_to(pilot, "enter", "BriefingView")
        assert str(app.screen.query_one("HeaderTitle").render()).endswith("sent to PC2001")
    with store.session() as db:
        assert db.exec(select(Assignment)).one().assignee == "PC2001"
        versions = db.exec(select(OutboxItem).where(OutboxItem.kind == "assignment")).all()
        assert sorted(v.version for v in versions) == [1, 2]
