"""guard_history on the lookup's real PersonHistory: the suspect's name appears nowhere."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from firstresponse.lookup import PersonHistory, person_history
from firstresponse.records import Incident, Person, Role, User
from firstresponse.security.restricted import guard_history
from firstresponse.store import Store
from tests.builders import restricted_case


def _seed(store: Store) -> str:
    with store.session() as db:
        hidden = restricted_case(db, "WM-1")
        other = Person(forename="Tom", surname="Openshaw")
        db.add(other)
        db.flush()
        db.add(
            Incident(
                reference="WM-2",
                occurred_at=datetime(2025, 3, 1, tzinfo=UTC),
                victim_id=hidden.victim_id,
                suspect_id=other.id,
                relationship="partner",
                summary="Verbal argument",
                risk_level="standard",
            )
        )
        return hidden.victim_id


def _text(history: PersonHistory) -> str:
    return json.dumps(history.model_dump(mode="json"))


def test_responder_never_sees_the_restricted_suspect(store: Store) -> None:
    person_id = _seed(store)
    responder = User(collar="PC2001", name="T", role=Role.RESPONDER)
    supervisor = User(collar="SG3001", name="T", role=Role.SUPERVISOR)
    with store.session() as db:
        history = person_history(db, person_id)
        assert history is not None and "Hollowmere" in _text(history)
        seen = guard_history(db, responder, history)
        full = guard_history(db, supervisor, history)
    assert "Hollowmere" not in _text(seen)
    assert "Openshaw" in _text(seen)
    restricted = next(i for i in seen.incidents if i.restricted)
    assert restricted.risk_level == "high" and restricted.children
    assert "Hollowmere" in _text(full)
