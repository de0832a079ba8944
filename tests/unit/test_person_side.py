"""The suspect's side, linked records of one person, and needs saved as markers."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic_core import to_jsonable_python
from sqlmodel import select

from firstresponse.calls.briefing import briefing_for
from firstresponse.checklist import evaluate, load_checklist
from firstresponse.demo.showcase import add_showcase
from firstresponse.lookup import LookupQuery, person_history, rebuild_index, search
from firstresponse.lookup.links import proposals
from firstresponse.people.linking import LinkRefused, decide
from firstresponse.people.needs import MarkerRefused, end_marker, save_needs
from firstresponse.records import (
    AuditEvent,
    Incident,
    OutboxItem,
    PersonLink,
    PersonMarker,
    Role,
    User,
)
from firstresponse.security import audit
from firstresponse.security.restricted import guard_history
from firstresponse.store import Store
from tests.conftest import REPO

TODAY = date.today()
HANDLER = User(collar="CH1001", name="T", role=Role.CALL_HANDLER)
RESPONDER = User(collar="PC2001", name="T", role=Role.RESPONDER)


def _showcase(store: Store) -> dict[str, str]:
    with store.session() as db:
        people = add_showcase(db, TODAY)
        db.add_all([HANDLER.model_copy(), RESPONDER.model_copy()])
        rebuild_index(db)
        return {p.full_name: p.id for p in people}


def _unlink_demo(store: Store, _ids: dict[str, str]) -> None:
    with store.session() as db:
        for link in db.exec(select(PersonLink)):
            db.delete(link)


def test_the_suspects_side_reaches_the_victims_history(store: Store) -> None:
    ids = _showcase(store)
    with store.session() as db:
        liz = person_history(db, ids["Elizabeth Marsh"], TODAY)
    assert liz is not None
    craig, darren = liz.suspects
    assert craig.name == "Craig Holloway" and craig.markers == ["weapons"]
    assert any("Bail conditions" in b for b in craig.bail) and not craig.serial
    assert darren.markers == ["violence"] and darren.wanted
    assert darren.warrants[0].startswith("Arrest warrant, Breach of restraining order")
    assert darren.serial and darren.victim_count == 2  # Liz's two records count once
    assert any(v.startswith("Samantha Pryce: 1 incident") for v in darren.victims)
    assert any("DVDS right to ask, protecting Samantha Pryce" in d for d in darren.dvds)


def test_serial_threshold_is_configurable(store: Store) -> None:
    ids = _showcase(store)
    with store.session() as db:
        liz = person_history(db, ids["Elizabeth Marsh"], TODAY, serial_at=3)
    assert liz is not None and not any(p.serial for p in liz.suspects)


def test_a_restricted_suspect_is_never_named_but_what_protects_her_is_kept(store: Store) -> None:
    ids = _showcase(store)
    with store.session() as db:
        priya = person_history(db, ids["Priya Sandhu"], TODAY)
        assert priya is not None
        seen = guard_history(db, RESPONDER, priya)
    text = str(to_jsonable_python(seen, fallback=str))
    assert "Fenwick" not in text
    assert seen.suspects[0].name == "[restricted]"
    assert seen.suspects[0].markers == ["police_workforce_suspect"]
    with store.session() as db:
        mark = person_history(db, ids["Mark Fenwick"], TODAY)
    assert mark is not None and mark.perpetrator is not None
    assert mark.perpetrator.victims == ["1 more in restricted record(s)"]


def test_linked_records_are_proposed_with_reasons(store: Store) -> None:
    ids = _showcase(store)
    _unlink_demo(store, ids)
    with store.session() as db:
        found = proposals(db, ids["Elizabeth Marsh"])
    assert [p.other_name for p in found] == ["Lizzie Thornbury"]
    reasons = found[0].reasons
    assert "DOB day/month swapped" in reasons and "same phone" in reasons
    assert any("Liz" in r and "Lizzie" in r for r in reasons)
    assert any("Thornbury" in r and "surname" in r for r in reasons)


def test_confirming_merges_every_view_and_unlinking_reverses_it(store: Store) -> None:
    ids = _showcase(store)
    _unlink_demo(store, ids)
    liz, lizzie = ids["Elizabeth Marsh"], ids["Lizzie Thornbury"]
    with store.session() as db:
        before = person_history(db, liz, TODAY)
        assert before is not None and len(before.incidents) == 4
        reasons = proposals(db, liz)[0].reasons
        decide(db, HANDLER, liz, lizzie, "confirmed", reasons=reasons)
    with store.session() as db:
        merged = person_history(db, liz, TODAY)
        other = person_history(db, lizzie, TODAY)
        match = search(db, LookupQuery(name="Lizzie Thornbury"), 3)[0]
        counted = search(db, LookupQuery(name="Elizabeth Marsh"), 3)[0]
    assert merged is not None and other is not None
    assert len(merged.incidents) == 5 and merged.linked_records[0].startswith("Lizzie")
    assert {i.reference for i in other.incidents} == {i.reference for i in merged.incidents}
    assert match.person_id == lizzie and match.da_incidents_12m == counted.da_incidents_12m
    with store.session() as db, pytest.raises(LinkRefused):
        decide(db, HANDLER, liz, lizzie, "unlinked", note="no")
    with store.session() as db:
        decide(db, HANDLER, lizzie, liz, "unlinked", note="Different women: checked with PNC")
    with store.session() as db:
        apart = person_history(db, liz, TODAY)
        assert apart is not None and len(apart.incidents) == 4
        assert proposals(db, liz) == []  # decided: not proposed again
        versions = [o.version for o in db.exec(select(OutboxItem).where(
            OutboxItem.kind == "person_link"))]  # fmt: skip
        actions = [e.action for e in db.exec(select(AuditEvent))]
        assert audit.verify(db) == []
    assert versions == [1, 2] and actions[-2:] == ["link.confirmed", "link.unlinked"]


def test_a_responder_may_not_link_records(store: Store) -> None:
    ids = _showcase(store)
    with store.session() as db, pytest.raises(PermissionError):
        decide(
            db, RESPONDER, ids["Samantha Pryce"], ids["Bethan Pritchard"], "confirmed", note="same"
        )


def test_needs_become_markers_that_can_be_ended_not_deleted(store: Store) -> None:
    ids = _showcase(store)
    liz = ids["Elizabeth Marsh"]
    answers = {"vulnerabilities": ["pregnant", "language", "isolated"], "vulnerability": "Farsi"}
    with store.session() as db:
        saved = save_needs(db, HANDLER, liz, answers, "call")
        again = save_needs(db, RESPONDER, liz, {"interpreter_needed": "yes"}, "scene")
        assert [m.marker for m in saved] == ["language_need", "pregnancy"]
        assert again[0].id == saved[0].id  # already held: not added twice
        with pytest.raises(MarkerRefused):
            end_marker(db, HANDLER, saved[1].id, "")
        end_marker(db, HANDLER, saved[1].id, "Baby born; no longer pregnant")
    with store.session() as db:
        history = person_history(db, liz, TODAY)
        kept = db.exec(select(PersonMarker).where(PersonMarker.marker == "pregnancy")).one()
        queued = [o.kind for o in db.exec(select(OutboxItem))]
    assert history is not None and "pregnancy" not in history.markers
    assert "language_need" in history.markers
    line = next(m for m in history.marker_details if m.startswith("pregnancy"))
    assert "at call by CH1001" in line and "ENDED" in line and "Baby born" in line
    assert kept.ended_by == "CH1001" and queued.count("marker") == 3


def test_responders_briefing_for_the_showcase_call(store: Store) -> None:
    ids = _showcase(store)
    thrive = load_checklist(REPO / "checklists" / "thrive.toml")
    with store.session() as db:
        history = to_jsonable_python(person_history(db, ids["Elizabeth Marsh"]), fallback=str)
        call = Incident(
            reference="WM-LIVE",
            occurred_at=datetime.now(UTC),
            victim_id=ids["Elizabeth Marsh"],
            suspect_id=ids["Darren Kettley"],
            status="open",
        )
        db.add(call)
        db.flush()
        ev = evaluate(thrive, {}, {})
        out = briefing_for(db, call, {"grade": "immediate"}, ev, history)
        unknown = Incident(
            reference="WM-LIVE2", occurred_at=datetime.now(UTC), victim_id=ids["Elizabeth Marsh"]
        )
        fallback = briefing_for(db, unknown, {"grade": "immediate"}, ev, history)
    sections = {s["title"]: s["lines"] for s in out["sections"]}
    suspect = "\n".join(sections["Suspect"])
    assert "Darren Kettley: SERIAL PERPETRATOR (2 victims); WANTED; VIOLENCE" in suspect
    assert "Warrant: Arrest warrant, Breach of restraining order" in suspect
    assert any("Restraining order" in line for line in sections["Orders"])
    assert any(line.startswith("Serial perpetrator: Darren") for line in sections["Risks"])
    assert any("Linked record: Lizzie Thornbury" in line for line in sections["History"])
    first = [line for line in sections["History"] if "Pushed into a door frame" in line]
    assert first and first[0].startswith("First recorded:")
    names = "\n".join({s["title"]: s["lines"] for s in fallback["sections"]}["Suspect"])
    assert "Craig Holloway: WEAPONS" in names and "Darren Kettley" in names
    assert "not identified" in names
