"""Issue 25: an order made at the scene goes on to its hearing (granted, refused, adjourned)
or its bail end, recorded by whoever learns it; the next call reads the order in force."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from firstresponse.attendance.facts import facts_for
from firstresponse.calls.facts import facts_from_history
from firstresponse.checklist import Checklist, evaluate, load_checklists
from firstresponse.config import Settings
from firstresponse.demo.answers import first_response_answers
from firstresponse.followup.orders import (
    OrderOutcomeRefused,
    record_order_outcome,
    week_ahead,
)
from firstresponse.lookup import person_history
from firstresponse.records import (
    Incident,
    OrderOutcome,
    OutboxItem,
    ProtectiveOrder,
    Role,
    User,
)
from firstresponse.store import Store
from tests.unit.test_attendance_orders import AUTHORISED, _incident, _submit
from tests.unit.test_calls_support import calm_answers

HEARING = date(2026, 1, 12)
NEXT_CALL = datetime(2026, 1, 18, 20, 0, tzinfo=UTC)  # eight days after the DVPN


@pytest.fixture
def lists(settings: Settings) -> dict[str, Checklist]:
    return load_checklists(settings.checklists_dir)


def _dvpn(store: Store, lists: dict[str, Checklist]) -> tuple[str, ProtectiveOrder]:
    incident_id = _incident(store, suspect=True)
    first = first_response_answers(**AUTHORISED, risk_checklist_done="no")
    first["risk_checklist_done.reason"] = "Tomorrow"
    _submit(store, incident_id, lists, first_response=first)
    with store.session() as db:
        db.add(User(collar="SG3001", name="Sam Sergeant", role=Role.SUPERVISOR))
        (notice,) = db.exec(select(ProtectiveOrder).where(ProtectiveOrder.kind == "dvpn")).all()
        db.expunge(notice)
    return incident_id, notice


def _user(store: Store, collar: str) -> User:
    with store.session() as db:
        user = db.exec(select(User).where(User.collar == collar)).one()
        db.expunge(user)
        return user


def db_outcome(store: Store, record_id: str) -> OrderOutcome:
    with store.session() as db:
        found = db.get(OrderOutcome, record_id)
        assert found is not None
        db.expunge(found)
        return found


def _next_call(store: Store, incident_id: str) -> str:
    with store.session() as db:
        first = db.get(Incident, incident_id)
        assert first is not None
        later = Incident(reference="T-2", occurred_at=NEXT_CALL, victim_id=first.victim_id,
                         suspect_id=first.suspect_id, status="graded")  # fmt: skip
        db.add(later)
        db.flush()
        return later.id


def test_a_dvpo_granted_at_the_hearing_is_in_force_at_the_victims_next_call(
    store: Store, lists: dict[str, Checklist]
) -> None:
    incident_id, notice = _dvpn(store, lists)
    with store.session() as db:
        incident = db.get(Incident, incident_id)
        assert incident is not None and notice.subject_id == incident.suspect_id
        assert notice.protected_id == incident.victim_id and notice.ends_on == HEARING
    with store.session() as db:  # the sergeant hears from the court, not the officer
        record_order_outcome(db, _user(store, "SG3001"), notice.id, "granted", HEARING,
                             ends_on=HEARING + timedelta(days=28), court="Testford")  # fmt: skip
    later = _next_call(store, incident_id)
    with store.session() as db:
        victim = db.get(Incident, later).victim_id  # type: ignore[union-attr]
        facts = facts_for(db, later)
        history = person_history(db, victim, today=NEXT_CALL.date(), exclude=frozenset({later}))
        (sent,) = db.exec(select(OutboxItem).where(OutboxItem.kind == "orderoutcome")).all()
    assert db_outcome(store, sent.record_id).decided_by == "SG3001"
    # the officer at the next call is asked about a breach of the DVPO
    (in_force,) = facts["orders_in_force"]
    assert (
        in_force["label"].startswith("Domestic violence protection order")
        and "2026-02-09" in in_force["label"]
    )
    ev = evaluate(lists["first_response"], first_response_answers(), facts)
    assert "orders_in_force" in {i.item.split(".")[0] for i in ev.missing_required}
    # the call handler's floor and the history read it too
    assert history is not None
    dvpo = [o for o in history.orders if o.kind == "dvpo"]
    assert len(dvpo) == 1 and dvpo[0].in_force and dvpo[0].role == "protected"
    thrive = facts_from_history(
        {"orders": [vars(o) for o in history.orders]}, today=NEXT_CALL.date()
    )
    assert thrive["live_orders"] == 1
    floors = evaluate(lists["thrive"], calm_answers("scheduled"), thrive).grade_floor_reasons
    assert "A protective order or bail condition is in force" in floors


def test_an_adjourned_hearing_keeps_the_notice_and_a_refusal_ends_it(
    store: Store, lists: dict[str, Checklist]
) -> None:
    incident_id, notice = _dvpn(store, lists)
    officer = _user(store, "PC2001")
    with store.session() as db:
        with pytest.raises(OrderOutcomeRefused, match="adjourned hearing"):
            record_order_outcome(db, officer, notice.id, "adjourned", HEARING)
        record_order_outcome(db, officer, notice.id, "adjourned", HEARING,
                             next_hearing_on=HEARING + timedelta(days=7))  # fmt: skip
    later = _next_call(store, incident_id)
    with store.session() as db:
        (kept,) = facts_for(db, later)["orders_in_force"]
        assert (
            kept["label"].startswith("Domestic violence protection notice")
            and "2026-01-19" in kept["label"]
        )
        ahead = week_ahead(db, date(2026, 1, 14))
    assert (
        ahead.hearings_due
        and "2026-01-19 hearing: DVPN against Rex Testperson" in (ahead.hearings_due[0])
    )
    with store.session() as db:
        with pytest.raises(OrderOutcomeRefused, match="why the court refused"):
            record_order_outcome(db, officer, notice.id, "refused", date(2026, 1, 19))
        record_order_outcome(db, officer, notice.id, "refused", date(2026, 1, 19),
                             note="Magistrates not satisfied on the evidence")  # fmt: skip
    with store.session() as db:
        facts = facts_for(db, later)
        with pytest.raises(OrderOutcomeRefused, match="already refused"):
            record_order_outcome(db, officer, notice.id, "granted", date(2026, 1, 19),
                                 ends_on=date(2026, 2, 10))  # fmt: skip
    assert facts["live_orders"] == 1  # the next call came before the refusal
    with store.session() as db:
        assert facts_for(db, later)["live_orders"] == 1
        assert len(db.exec(select(OrderOutcome)).all()) == 2


def test_a_dvpo_must_last_14_to_28_days_and_the_week_ahead_lists_what_ends(
    store: Store, lists: dict[str, Checklist]
) -> None:
    _, notice = _dvpn(store, lists)
    supervisor = _user(store, "SG3001")
    with store.session() as db:
        with pytest.raises(OrderOutcomeRefused, match="14 to 28 days"):
            record_order_outcome(db, supervisor, notice.id, "granted", HEARING,
                                 ends_on=HEARING + timedelta(days=40))  # fmt: skip
        with pytest.raises(OrderOutcomeRefused, match="choose an outcome"):
            record_order_outcome(db, supervisor, notice.id, "bail_ended", HEARING)
        overdue = week_ahead(db, date(2026, 1, 13))
        assert overdue.hearings_overdue and "no outcome" in overdue.hearings_overdue[0]
        record_order_outcome(db, supervisor, notice.id, "granted", HEARING,
                             ends_on=HEARING + timedelta(days=14))  # fmt: skip
    with store.session() as db:
        ahead = week_ahead(db, date(2026, 1, 21))
    assert ahead.hearings_due == [] and ahead.hearings_overdue == []
    assert ahead.ending == [
        "2026-01-26 ends: DVPO against Rex Testperson, protecting Alex Testperson"
    ]
