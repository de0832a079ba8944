"""The people on a call: held under their own id, never duplicated; the call in hand is not
their history; THRIVE answers are a draft that grading submits; a hub copy is never sent."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from firstresponse.calls import Candidate, LocalLookup, grade_call, open_call
from firstresponse.calls.people import call_people, hold_people
from firstresponse.checklist import evaluate
from firstresponse.records import (
    Assessment,
    HubVersion,
    Incident,
    OutboxItem,
    Person,
    ProtectiveOrder,
)
from firstresponse.store.outbox import enqueue_record, next_version
from firstresponse.sync.client import NetworkFailure
from firstresponse.sync.lookup_protocol import PersonRecord
from firstresponse.sync.person_copy import write_copy
from tests.unit.test_calls_support import add_users, calm_answers, details, lists


def test_reopening_a_call_for_a_new_person_does_not_count_the_call_as_her_history(
    store, settings
) -> None:
    user = add_users(store)["CH1001"]
    with store.session() as db:
        incident = open_call(db, user, details())
    people = call_people(store, user, incident.id)
    assert people.victim is not None and people.victim["incidents"] == []
    assert people.facts["repeat_victim"] is False
    assert people.facts["incidents_12m"] == 0
    ev = evaluate(lists(settings)["thrive"], calm_answers("scheduled"), people.facts)
    assert "Repeat victim" not in ev.grade_floor_reasons
    assert people.suspect is not None and people.suspect.get("perpetrator") is None


def test_the_call_in_hand_is_not_held_against_the_suspect(store) -> None:
    """Her earlier incident with him counts; this call does not (no second 'victim')."""
    user = add_users(store)["CH1001"]
    with store.session() as db:
        first = open_call(db, user, details())
        second = open_call(
            db, user, details(), victim_id=first.victim_id, suspect_id=first.suspect_id
        )
    people = call_people(store, user, second.id)
    assert people.facts["repeat_victim"] is True
    assert [i["incident_id"] for i in people.victim["incidents"]] == [first.id]
    assert people.suspect["perpetrator"]["victim_count"] == 1
    assert "1 incident," in people.suspect["perpetrator"]["victims"][0]


def test_a_chosen_person_who_is_not_held_is_refused_never_made_again(store) -> None:
    user = add_users(store)["CH1001"]
    with store.session() as db:
        before = len(db.exec(select(Person)).all())
        with pytest.raises(ValueError, match="suspect chosen"):
            open_call(db, user, details(), suspect_id="hub-only-person")
        db.rollback()
    with store.session() as db:
        assert len(db.exec(select(Person)).all()) == before


class _Unreachable:
    name = "hub"

    def hold(self, person_id: str) -> bool:
        raise NetworkFailure("hub away")


def test_a_match_that_cannot_be_fetched_is_held_as_a_placeholder_under_its_id(store) -> None:
    user = add_users(store)["CH1001"]
    chosen = Candidate("hub-7", "Mara Testwell", dob="1990-02-01", postcode="TT2 2BB")
    placeholders = hold_people(store, _Unreachable(), [chosen])  # type: ignore[arg-type]
    assert placeholders == [chosen]  # the call handler is told her history is not here
    with store.session() as db:
        held = db.get(Person, "hub-7")
        assert held is not None
        assert (held.forename, held.surname, held.dob) == ("Mara", "Testwell", date(1990, 2, 1))
        incident = open_call(db, user, details(), victim_id="hub-7")
        assert incident.victim_id == "hub-7"
        queued = {o.record_id for o in db.exec(select(OutboxItem))}
    assert "hub-7" not in queued and incident.id in queued  # the hub has her: never re-sent
    assert LocalLookup(store, user).hold("hub-7")


def _record(person: Person, order: ProtectiveOrder, version: int) -> PersonRecord:
    return PersonRecord(
        person_id=person.id,
        rows={
            "person": [person.model_dump(mode="json")],
            "protectiveorder": [order.model_dump(mode="json")],
        },
        versions={person.id: version},
    )


def test_a_copy_is_written_without_an_envelope_and_keeps_unsent_local_changes(store) -> None:
    hub_person = Person(id="hub-p", forename="Ona", surname="Testmere")
    other = Person(id="hub-s", forename="Ned", surname="Testmere")
    order = ProtectiveOrder(
        id="hub-o", kind="dvpo", subject_id="hub-s", protected_id="hub-p", detail="Stay away"
    )
    record = _record(hub_person, order, 3)
    record.rows["person"].append(other.model_dump(mode="json"))
    with store.session() as db:
        assert write_copy(db, record) == 3
        assert next_version(db, "hub-p") == 4  # a change made here goes out after the hub's
        assert db.exec(select(OutboxItem)).all() == []
        assert db.get(HubVersion, "hub-p") is not None
    with store.session() as db:  # a change made here, not yet sent, is not overwritten
        mine = db.get(Person, "hub-p")
        mine.phone = "07700 900999"
        assert enqueue_record(db, mine).version == 4
    with store.session() as db:
        write_copy(db, _record(hub_person, order, 3))
        assert db.get(Person, "hub-p").phone == "07700 900999"
        assert db.get(ProtectiveOrder, "hub-o").detail == "Stay away"


def test_grading_submits_the_thrive_draft_it_was_answered_in(store, settings) -> None:
    from firstresponse.attendance import save_answers
    from firstresponse.attendance.terminal import open_checklist

    user = add_users(store)["CH1001"]
    thrive = lists(settings)["thrive"]
    with store.session() as db:
        incident = open_call(db, user, details())
    facts = call_people(store, user, incident.id).facts
    draft = open_checklist(store, incident.id, thrive, user.collar, facts).draft
    assert draft is not None
    save_answers(store, draft.id, calm_answers("priority"), thrive, facts)
    with store.session() as db:
        graded = grade_call(db, user, incident.id, thrive, calm_answers("priority"), facts)
        assert graded.assessment.id == draft.id
    with store.session() as db:
        rows = db.exec(select(Assessment).where(Assessment.incident_id == incident.id)).all()
        assert [(a.id, a.status) for a in rows] == [(draft.id, "submitted")]
        sent = db.exec(select(OutboxItem).where(OutboxItem.record_id == draft.id)).all()
        assert [o.version for o in sent] == [1]
        assert db.get(Incident, incident.id).grade == "priority"


def test_a_copy_refreshed_on_reopening_reads_the_hubs_newer_order(store) -> None:
    """`call_people(refresh=...)` asks the source to hold each person again first."""
    user = add_users(store)["CH1001"]
    with store.session() as db:
        incident = open_call(db, user, details())
        victim_id, suspect_id = incident.victim_id, incident.suspect_id
    asked: list[str] = []

    class Refreshing:
        name = "hub"

        def hold(self, person_id: str) -> bool:
            asked.append(person_id)
            if person_id == victim_id:  # the hub's copy now holds an order made since
                with store.session() as db:
                    order = ProtectiveOrder(
                        kind="restraining_order",
                        subject_id=suspect_id,
                        protected_id=victim_id,
                        starts_on=datetime.now(UTC).date(),
                    )
                    db.add(order)
            return True

    people = call_people(store, user, incident.id, Refreshing())  # type: ignore[arg-type]
    assert asked == [victim_id, suspect_id]
    assert people.facts["live_orders"] == 2  # her order, on both sides


def test_a_restricted_incident_held_whole_is_not_replaced_by_a_redacted_copy(store) -> None:
    victim = Person(id="v-r", forename="Ada", surname="Testfield")
    officer = Person(id="s-r", forename="Rex", surname="Hollowmere")
    whole = Incident(
        id="i-r", reference="WM-R7", occurred_at=datetime(2026, 3, 1, tzinfo=UTC),
        victim_id="v-r", suspect_id="s-r", summary="Threats by text", restricted=True,
    )  # fmt: skip
    with store.session() as db:
        db.add_all([victim, officer])
        db.flush()
        db.add(whole)
    redacted = whole.model_copy(update={"suspect_id": None, "summary": "withheld"})
    record = PersonRecord(
        person_id="v-r",
        rows={
            "person": [victim.model_dump(mode="json")],
            "incident": [redacted.model_dump(mode="json")],
        },
    )
    with store.session() as db:
        write_copy(db, record)
        held = db.get(Incident, "i-r")
        assert (held.suspect_id, held.summary) == ("s-r", "Threats by text")
