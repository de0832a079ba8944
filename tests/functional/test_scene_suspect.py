"""Issue 25: the responder identifies the suspect at the scene (i on the incident), with the
call handler's lookup; the checklist's facts follow, so the order restrains that person."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import Input, Static

from firstresponse.config import Settings
from firstresponse.demo.answers import first_response_answers
from firstresponse.lookup import index_person
from firstresponse.records import Decision, Incident, Person
from firstresponse.store import Store
from firstresponse.store.form_drafts import FormDraft
from firstresponse.tui.app import FirstResponseApp
from firstresponse.tui.screens.responder.dialogs import ReasonDialog
from firstresponse.tui.screens.responder.suspect import SuspectScreen
from tests.functional.pilot import on_screen, press_to, settle, type_text
from tests.functional.test_responder import _open_incident, _prepare
from tests.unit.test_attendance_orders import AUTHORISED

SIZE = (80, 24)


def _rex(store: Store, incident_id: str | None = None) -> str:
    """Rex Testsuspect, held on the terminal and indexed for the lookup; named as the
    incident's suspect (by the call handler) when `incident_id` is given."""
    with store.session() as db:
        rex = Person(forename="Rex", surname="Testsuspect", dob=date(1988, 5, 1),
                     address="3 Test Lane")  # fmt: skip
        db.add(rex)
        db.flush()
        index_person(db, rex.id)
        if incident_id:
            incident = db.get(Incident, incident_id)
            assert incident is not None
            incident.suspect_id = rex.id
            db.add(incident)
        return rex.id


def _index_victim(store: Store, incident_id: str) -> None:
    with store.session() as db:
        incident = db.get(Incident, incident_id)
        assert incident is not None
        index_person(db, incident.victim_id)


def _text(pilot: Pilot[Any]) -> str:
    return "\n".join(str(w.render()) for w in pilot.app.screen.query(Static))


async def _suspect_step(pilot: Pilot[Any]) -> SuspectScreen:
    await _open_incident(pilot)
    await press_to(pilot, "i", "SuspectScreen")
    screen = pilot.app.screen
    assert isinstance(screen, SuspectScreen)
    return screen


async def test_the_officer_finds_the_suspect_and_the_order_question_goes(
    settings: Settings, store: Store
) -> None:
    first = first_response_answers(**AUTHORISED, risk_checklist_done="no")
    incident_id = _prepare(store, first)
    rex = _rex(store)
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        await _open_incident(pilot)
        assert "Suspect: none named yet" in _text(pilot)
        assert "ORDER NOT RECORDED" in _text(pilot)  # the notice has nobody to restrain
        assert pilot.app.screen.facts(incident_id)["suspect_identified"] is False
        await press_to(pilot, "i", "SuspectScreen")
        screen = app.screen
        assert isinstance(screen, SuspectScreen)
        await type_text(pilot, "Rex Testsuspect")
        await settle(pilot, lambda: bool(screen.candidates))
        assert screen.candidates[0].person_id == rex
        await press_to(pilot, "f3", "IncidentScreen")
        await settle(pilot, lambda: "Suspect: Rex Testsuspect" in _text(pilot))
        assert "ORDER NOT RECORDED" not in _text(pilot)
        assert pilot.app.screen.facts(incident_id)["suspect_identified"] is True
        await press_to(pilot, "c", "ChecklistScreen")
        assert app.screen.fact_values["suspect_identified"] is True  # type: ignore[attr-defined]
    with store.session() as db:
        incident = db.get(Incident, incident_id)
        assert incident is not None and incident.suspect_id == rex
        assert db.exec(select(FormDraft)).all() == []  # set: the typing's draft went


async def test_the_call_handlers_suspect_is_shown_and_can_be_corrected_with_a_new_person(
    settings: Settings, store: Store
) -> None:
    incident_id = _prepare(store)
    rex = _rex(store, incident_id)
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _suspect_step(pilot)
        assert "Suspect now: Rex Testsuspect · 1988-05-01 · 3 Test Lane" in _text(pilot)
        await pilot.press("f4")  # not identified is refused while someone is named
        await settle(pilot)
        assert on_screen(pilot, "SuspectScreen")
        assert "is named" in str(screen.query_one("#sus-status", Static).render())
        await type_text(pilot, "Zed Testnew")
        await pilot.press("enter")  # Enter moves on to the date of birth
        await type_text(pilot, "1990-02-03")
        await pilot.press("tab")
        await type_text(pilot, "9 Other Road")
        await press_to(pilot, "ctrl+n", "IncidentScreen")
        await settle(pilot, lambda: "Suspect: Zed Testnew · 1990-02-03" in _text(pilot))
    with store.session() as db:
        incident = db.get(Incident, incident_id)
        assert incident is not None and incident.suspect_id not in (None, rex)
        zed = db.get(Person, incident.suspect_id)
        assert zed is not None
        assert (zed.forename, zed.surname, zed.dob, zed.address) == (
            "Zed", "Testnew", date(1990, 2, 3), "9 Other Road"
        )  # fmt: skip


async def test_the_victim_cannot_be_chosen_and_a_new_person_needs_a_surname(
    settings: Settings, store: Store
) -> None:
    incident_id = _prepare(store)
    _index_victim(store, incident_id)
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _suspect_step(pilot)
        await type_text(pilot, "Alex Testperson")
        await settle(pilot, lambda: bool(screen.candidates))
        await pilot.press("f3")
        status = screen.query_one("#sus-status", Static)
        await settle(pilot, lambda: "person at risk cannot be" in str(status.render()))
        assert on_screen(pilot, "SuspectScreen")
        box = screen.query_one("#sus-name", Input)
        box.value = "Zed"
        await pilot.press("ctrl+n")
        await settle(pilot, lambda: "forename and surname" in str(status.render()))
        assert on_screen(pilot, "SuspectScreen")
    with store.session() as db:
        incident = db.get(Incident, incident_id)
        assert incident is not None and incident.suspect_id is None


async def test_not_identified_needs_a_reason_a_supervisor_sees(
    settings: Settings, store: Store
) -> None:
    incident_id = _prepare(store)
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _suspect_step(pilot)
        await press_to(pilot, "f4", "ReasonDialog")
        await type_text(pilot, "Ran")
        await press_to(pilot, "enter", "SuspectScreen")  # too short: refused, with why
        assert "at least 10 characters" in str(screen.query_one("#sus-status").render())
        await press_to(pilot, "f4", "ReasonDialog")
        assert isinstance(app.screen, ReasonDialog)
        await type_text(pilot, "Victim will not name him; he left before we arrived")
        await press_to(pilot, "enter", "IncidentScreen")
        await settle(pilot, lambda: "Suspect: NOT IDENTIFIED: Victim will not" in _text(pilot))
    with store.session() as db:
        decision = db.exec(select(Decision).where(Decision.incident_id == incident_id)).one()
    assert decision.kind == "suspect_not_identified"
    assert decision.reason.startswith("Victim will not name him")


async def test_escape_keeps_what_was_typed(settings: Settings, store: Store) -> None:
    _prepare(store)
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _suspect_step(pilot)
        await type_text(pilot, "Rex Test")
        await pilot.press("tab")
        await type_text(pilot, "1988")
        await press_to(pilot, "escape", "IncidentScreen")
        await press_to(pilot, "i", "SuspectScreen")
        screen = app.screen
        assert isinstance(screen, SuspectScreen)
        await settle(pilot, lambda: screen.value("sus-name") == "Rex Test")
        assert screen.value("sus-dob") == "1988"


async def test_a_dvpn_submitted_before_the_suspect_was_named_is_recorded_on_amendment(
    settings: Settings, store: Store
) -> None:
    """Done when (issue 25): a DVPN made at an incident with no suspect named is stored
    against the suspect the officer identifies, not the victim."""
    from firstresponse.checklist import load_checklists
    from firstresponse.records import ProtectiveOrder
    from tests.unit.test_attendance_orders import _submit

    incident_id = _prepare(store)
    rex = _rex(store)
    first = first_response_answers(**AUTHORISED, risk_checklist_done="no")
    first["risk_checklist_done.reason"] = "Tomorrow"
    first["order_subject"] = "Rex, about 35, left before we arrived"
    _submit(store, incident_id, load_checklists(settings.checklists_dir), first_response=first)
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        await _open_incident(pilot)
        assert "no suspect is identified. Press i" in _text(pilot).replace("\n", " ")
        await press_to(pilot, "i", "SuspectScreen")
        screen = app.screen
        assert isinstance(screen, SuspectScreen)
        await type_text(pilot, "Rex Testsuspect")
        await settle(pilot, lambda: bool(screen.candidates))
        await press_to(pilot, "f3", "IncidentScreen")
        await settle(pilot, lambda: "named after the first response was" in _text(pilot))
        await press_to(pilot, "a", "AmendDialog")
        await type_text(pilot, "Suspect identified after submission")
        await press_to(pilot, "enter", "ChecklistScreen")
        await press_to(pilot, "escape", "IncidentScreen")
        await pilot.press("s")
        await settle(pilot, lambda: "ORDER NOT RECORDED" not in _text(pilot))
    with store.session() as db:
        (notice,) = db.exec(select(ProtectiveOrder).where(ProtectiveOrder.kind == "dvpn")).all()
        victim = db.get(Incident, incident_id).victim_id  # type: ignore[union-attr]
    assert (notice.subject_id, notice.protected_id) == (rex, victim)


async def test_the_suspect_found_on_the_hub_keeps_the_hubs_id(
    settings: Settings, store: Store, tmp_path: Any
) -> None:
    """Online, the officer searches the hub (the call handler's lookup); the person chosen is
    held on the terminal under the hub's id, with their details, and named on the incident."""
    from firstresponse.calls import FallbackLookup, HubLookup, LocalLookup
    from firstresponse.hub.db import transaction
    from tests.hub.hub_people import SUSPECT, seed_couple
    from tests.hub.support import serve

    incident_id = _prepare(store)
    served = serve(str(tmp_path / "hub.db"))
    hub = next(served)
    try:
        with transaction(hub.engine) as db:
            couple = seed_couple(db)
        token = hub.enrol("LAPTOP-TUI")

        def online(context: Any) -> Any:
            client = hub.client(token, "PC2001")
            return FallbackLookup(HubLookup(client, store), LocalLookup(store, context.signed_in))

        app = FirstResponseApp(settings, store, lookup=online)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _suspect_step(pilot)
            await type_text(pilot, f"{SUSPECT[0]} {SUSPECT[1]}")
            status = screen.query_one("#sus-status", Static)
            await settle(pilot, lambda: "1 match (hub)" in str(status.render()))
            assert screen.candidates[0].person_id == couple.suspect_id
            await press_to(pilot, "f3", "IncidentScreen")
            await settle(pilot, lambda: "Suspect: Corvin Ashdowne · 1988-02-03" in _text(pilot))
    finally:
        next(served, None)
    with store.session() as db:
        incident = db.get(Incident, incident_id)
        assert incident is not None and incident.suspect_id == couple.suspect_id
        held = db.get(Person, couple.suspect_id)
        assert held is not None and held.dob == SUSPECT[2]


async def test_the_search_typed_at_full_speed_survives_ctrl_q(
    settings: Settings, store: Store
) -> None:
    from tests.functional.forms import burst

    _prepare(store)
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        await _suspect_step(pilot)
        burst(app, "Rex Test\r1988-05-01\t3 Test Lane<ctrl+q>")  # Enter and Tab move on
        await settle(pilot, lambda: not app.is_running)
    again = FirstResponseApp(settings, store)
    async with again.run_test(size=SIZE) as pilot:
        screen = await _suspect_step(pilot)
        await settle(pilot, lambda: screen.value("sus-address") == "3 Test Lane")
        assert (screen.value("sus-name"), screen.value("sus-dob")) == ("Rex Test", "1988-05-01")
