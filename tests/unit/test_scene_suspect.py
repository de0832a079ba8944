"""Issue 25: the suspect identified at the scene, with the call handler's lookup; an order
made there restrains that person; "not identified" is a decision with its reason."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from firstresponse.calls.scene_suspect import (
    NewSuspect,
    SuspectRefused,
    search_suspect,
    set_suspect,
    suspect_not_identified,
)
from firstresponse.calls.sources import LocalLookup
from firstresponse.checklist import load_checklists
from firstresponse.config import Settings
from firstresponse.demo.answers import first_response_answers
from firstresponse.lookup import index_person
from firstresponse.records import Decision, Incident, OutboxItem, Person, ProtectiveOrder, User
from firstresponse.store import Store
from tests.builders import assigned_incident
from tests.unit.test_attendance_orders import AUTHORISED, _submit

OFFICER = "PC2001"


def _scene(store: Store) -> tuple[str, str, User]:
    with store.session() as db:
        incident = assigned_incident(db, OFFICER, ("Risks", []))  # no suspect named
        rex = Person(forename="Rex", surname="Testsuspect", dob=date(1988, 5, 1))
        db.add(rex)
        db.flush()
        index_person(db, rex.id)
        user = db.exec(select(User).where(User.collar == OFFICER)).one()
        db.expunge(user)
        return incident.id, rex.id, user


def test_the_officer_finds_the_suspect_and_the_dvpn_restrains_him(
    store: Store, settings: Settings
) -> None:
    incident_id, rex, officer = _scene(store)
    source = LocalLookup(store, officer)
    (match, *_) = search_suspect(source, name="Rex Testsuspect", dob="1988-05-01")
    assert match.person_id == rex
    set_suspect(store, officer, incident_id, chosen=match, source=source)
    first = first_response_answers(**AUTHORISED, risk_checklist_done="no")
    first["risk_checklist_done.reason"] = "Tomorrow"
    _submit(store, incident_id, load_checklists(settings.checklists_dir), first_response=first)
    with store.session() as db:
        incident = db.get(Incident, incident_id)
        assert incident is not None and incident.suspect_id == rex
        (notice,) = db.exec(select(ProtectiveOrder).where(ProtectiveOrder.kind == "dvpn")).all()
        versions = [o.version for o in db.exec(select(OutboxItem)) if o.record_id == incident_id]
    assert (notice.subject_id, notice.protected_id) == (rex, incident.victim_id)
    assert max(versions) >= 2  # the incident naming him goes to the hub


def test_a_new_suspect_and_the_victim_refused(store: Store) -> None:
    incident_id, _, officer = _scene(store)
    with store.session() as db:
        victim = db.get(Incident, incident_id).victim_id  # type: ignore[union-attr]
    source = LocalLookup(store, officer)
    (her, *_) = search_suspect(source, name="Alex Testperson")
    assert her.person_id == victim
    with pytest.raises(SuspectRefused, match="person at risk"):
        set_suspect(store, officer, incident_id, chosen=her, source=source)
    with pytest.raises(SuspectRefused, match="forename and surname"):
        set_suspect(store, officer, incident_id, new=NewSuspect("Zed", " "))
    person = set_suspect(store, officer, incident_id,
                         new=NewSuspect("Zed", "Testnew", address="2 Test Row"))  # fmt: skip
    with store.session() as db:
        assert db.get(Incident, incident_id).suspect_id == person.id  # type: ignore[union-attr]
    assert search_suspect(source, name="Zed Testnew")[0].person_id == person.id
    with pytest.raises(SuspectRefused, match="names a suspect"):
        suspect_not_identified(store, officer, incident_id, "He ran off before we arrived")


def test_not_identified_is_a_decision_with_its_reason(store: Store) -> None:
    incident_id, _, officer = _scene(store)
    with pytest.raises(SuspectRefused, match="say why"):
        suspect_not_identified(store, officer, incident_id, "unknown")
    suspect_not_identified(
        store, officer, incident_id, "Victim will not name him; neighbours saw a man leave"
    )
    with store.session() as db:
        (decision,) = db.exec(select(Decision)).all()
    assert decision.kind == "suspect_not_identified" and decision.made_by == OFFICER
    assert decision.reason.startswith("Victim will not name him")
