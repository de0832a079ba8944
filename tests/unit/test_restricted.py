"""Restricted cases: redacted for most roles, safeguarding kept, each access audited."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from firstresponse.lookup import HistoryIncident, OrderLine, PersonHistory
from firstresponse.records import AuditEvent, Incident, Notification, OutboxItem, Person, Role, User
from firstresponse.security import audit
from firstresponse.security.restricted import (
    PSD,
    WITHHELD,
    RestrictedError,
    can_view_restricted,
    flag_restricted,
    guard_history,
)
from firstresponse.store import Store

ORDER = OrderLine(kind="non_molestation_order", detail="Non-molestation order", in_force=True)


def _history() -> PersonHistory:
    at = datetime(2026, 3, 1, tzinfo=UTC)
    return PersonHistory(
        person_id="p1",
        name="Ada Testfield",
        previous_partners=["Rex Hollowmere", "Tom Openshaw"],
        bail_conditions=["Rex Hollowmere not to contact Ada Testfield"],
        orders=[ORDER],
        incidents=[
            HistoryIncident(
                incident_id="i1",
                reference="WM-1",
                occurred_at=at,
                role="victim",
                other_party="Rex Hollowmere",
                relationship="ex_partner",
                summary="Threats made by text, officer's warrant card shown",
                risk_level="high",
                grade="immediate",
                children=["Kit Testfield (6)"],
                restricted=True,
            ),
            HistoryIncident(
                incident_id="i2",
                reference="WM-2",
                occurred_at=at,
                role="victim",
                other_party="Tom Openshaw",
                relationship="partner",
                summary="Verbal argument",
                risk_level="standard",
                grade="scheduled",
                children=[],
                restricted=False,
            ),
        ],
        narrative=["2026-03-01 threats from Rex Hollowmere (high)", "verbal with Tom Openshaw"],
    )


def _user(role: Role) -> User:
    return User(collar="PC2001" if role == Role.RESPONDER else "SG3001", name="T", role=role)


def test_roles_that_may_view_restricted() -> None:
    assert can_view_restricted(_user(Role.SUPERVISOR))
    assert not can_view_restricted(_user(Role.RESPONDER))
    assert not can_view_restricted(_user(Role.CALL_HANDLER))
    assert not can_view_restricted(None)


def test_responder_sees_safeguarding_but_not_the_suspect(store: Store) -> None:
    original = _history()
    with store.session() as db:
        seen = guard_history(db, _user(Role.RESPONDER), original)
    assert original == _history()  # a guarded copy: the history read is left as it was
    hidden, open_ = seen.incidents
    assert hidden.other_party == WITHHELD and "withheld" in hidden.summary
    assert (hidden.risk_level, hidden.grade, hidden.children) == (
        "high",
        "immediate",
        ["Kit Testfield (6)"],
    )
    assert open_.other_party == "Tom Openshaw" and open_.summary == "Verbal argument"
    assert seen.previous_partners == [WITHHELD, "Tom Openshaw"]
    assert seen.orders == [ORDER]
    assert seen.bail_conditions == [f"{WITHHELD} not to contact Ada Testfield"]
    text = " ".join(seen.narrative)
    assert "Rex Hollowmere" not in text and "Tom Openshaw" in text and "restricted" in text


def test_supervisor_sees_everything_and_both_are_audited_and_notified(store: Store) -> None:
    with store.session() as db:
        full = guard_history(db, _user(Role.SUPERVISOR), _history())
        guard_history(db, _user(Role.RESPONDER), _history())
    assert full.incidents[0].other_party == "Rex Hollowmere"
    assert full.previous_partners == ["Rex Hollowmere", "Tom Openshaw"]
    with store.session() as db:
        events = [(e.actor, e.action, e.subject_id) for e in db.exec(select(AuditEvent))]
        notes = list(db.exec(select(Notification)))
        queued = [o.kind for o in db.exec(select(OutboxItem))]
        assert audit.verify(db) == []
    assert events == [
        ("SG3001", "restricted.view", "i1"),
        ("PC2001", "restricted.redacted", "i1"),
    ]
    assert [n.recipient for n in notes] == [PSD, PSD]
    assert "PC2001 (responder)" in " ".join(n.body for n in notes)
    assert queued == ["audit", "audit"]  # the hub notifies PSD from each access it is sent


def test_a_history_without_restricted_cases_is_untouched(store: Store) -> None:
    history = _history()
    history.incidents = [history.incidents[1]]
    with store.session() as db:
        assert guard_history(db, _user(Role.RESPONDER), history) is history
        assert db.exec(select(AuditEvent)).first() is None


def _incident(db: Session) -> Incident:
    victim = Person(forename="Ada", surname="Testfield")
    db.add(victim)
    db.flush()
    incident = Incident(reference="WM-9", occurred_at=datetime.now(UTC), victim_id=victim.id)
    db.add(incident)
    db.flush()
    return incident


def test_flag_restricted_audits_notifies_and_queues(store: Store) -> None:
    handler = User(collar="CH1001", name="T", role=Role.CALL_HANDLER)
    with store.session() as db:
        incident = _incident(db)
        with pytest.raises(RestrictedError, match="reason"):
            flag_restricted(db, handler, incident, "  ")
        with pytest.raises(PermissionError):
            flag_restricted(db, None, incident, "suspect is a serving officer")
        flag_restricted(db, handler, incident, "suspect is a serving officer")
    with store.session() as db:
        stored = db.get(Incident, incident.id)
        assert stored is not None and stored.restricted
        flag = db.exec(select(AuditEvent).where(AuditEvent.action == "restricted.flag")).one()
        assert flag.detail["reason"] == "suspect is a serving officer"
        assert sorted(n.recipient for n in db.exec(select(Notification))) == ["PSD", "inspector"]
        kinds = sorted((o.kind, o.version) for o in db.exec(select(OutboxItem)))
        assert kinds == [("incident", 2)]  # the hub notifies PSD and the inspector from it
