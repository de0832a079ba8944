"""The demo's live calls: graded, with briefings for PC2001 and an override to review."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from firstresponse.demo.live_calls import seed
from firstresponse.records import Assignment, Decision, Incident, Person
from tests.unit.test_calls_support import add_users


def test_seed_creates_graded_calls_with_briefings(store, settings) -> None:
    add_users(store)
    with store.session() as db:
        victim = Person(forename="Historic", surname="Victim", postcode="TT9 9ZZ")
        db.add(victim)
        db.flush()
        for n in range(2):
            db.add(
                Incident(
                    reference=f"H-{n}",
                    occurred_at=datetime(2026, 5 + n, 1, tzinfo=UTC),
                    victim_id=victim.id,
                    summary="Argument",
                    risk_level="medium",
                )
            )
    with store.session() as db:
        refs = seed(db, settings)
    assert len(refs) == 3
    with store.session() as db:
        live = db.exec(select(Incident).where(Incident.source == "call")).all()
        assert {i.status for i in live} == {"graded"}
        first = next(i for i in live if i.grade == "immediate")
        assert first.victim_id == victim.id
        mine = db.exec(select(Assignment).where(Assignment.assignee == "PC2001")).all()
        assert len(mine) == 2
        for assignment in mine:
            assert assignment.briefing["summary"] and assignment.briefing["sections"]
        kinds = sorted(d.kind for d in db.exec(select(Decision)))
        assert kinds == ["grade_override", "low_grade"]


def test_seed_without_users_does_nothing(store, settings) -> None:
    with store.session() as db:
        assert seed(db, settings) == []
