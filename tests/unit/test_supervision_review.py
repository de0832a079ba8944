"""Review round trip: checklist-checked review, decisions reviewed, feedback acknowledged."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from firstresponse.checklist import load_checklist
from firstresponse.config import Settings
from firstresponse.demo.cases import assignment, decision, incident, person
from firstresponse.records import AuditEvent, Decision, Notification, OutboxItem, Review
from firstresponse.store import Store
from firstresponse.supervision import (
    ReviewIncomplete,
    acknowledge,
    draw,
    pending_feedback,
    queue,
    record_review,
)
from firstresponse.supervision.casefile import casefile
from firstresponse.supervision.cases import window

POINTS = [
    "victim_identified",
    "recorded_correctly",
    "grade_justified",
    "risk_quality",
    "referrals_made",
    "arrest_justified",
    "initial_investigation",
    "children_safeguarded",
    "victim_wishes_followed",
    "nfa_justified",
    "disposal_justified",
]


def answers(**extra: object) -> dict[str, object]:
    base: dict[str, object] = {p: "met" for p in POINTS}
    base.update(outcome="advice", feedback="Good account on video; ask about the children.")
    base.update(extra)
    return base


def _case(store: Store) -> str:
    with store.session() as db:
        inc = incident(
            db, "R-1", datetime(2026, 3, 2, 9, tzinfo=UTC), person(db, "Ava", "Review"),
            crime_recorded=True,
        )  # fmt: skip
        decision(db, inc, "no_arrest", "Suspect had left the area", "PC2002")
        briefing = {"summary": "Priority: Ava Review, threats", "sections": [
            {"title": "History", "lines": ["Two incidents this year"]}]}  # fmt: skip
        assignment(db, inc, "PC2002", briefing)
        return inc.id


def test_review_round_trip(settings: Settings, store: Store) -> None:
    checklist = load_checklist(settings.checklists_dir / "dip_sample_review.toml")
    incident_id = _case(store)
    start, end = window(date(2026, 3, 1), date(2026, 3, 31))
    with store.session() as db:
        sample = draw(db, start, end, rate=0.0, seed=5, created_by="SG3001")
        [item] = queue(db)
        assert item.incident_id == incident_id and item.item["reasons"] == ["no_arrest_crime"]
    with store.session() as db:
        review = record_review(
            db, checklist, "SG3001", incident_id, "PC2002", answers(), sample_id=sample.id
        )
    with store.session() as db:
        assert queue(db) == []
        assert all(d.reviewed for d in db.exec(select(Decision)))
        [note] = db.exec(select(Notification).where(Notification.kind == "feedback")).all()
        assert note.recipient == "PC2002" and "ask about the children" in note.body
        kinds = sorted(o.kind for o in db.exec(select(OutboxItem)))
        assert kinds == ["decision", "notification", "review"]
        [pending] = pending_feedback(db, "PC2002")
        assert pending.id == review.id and pending.outcome == "advice"
        assert pending_feedback(db, "PC2001") == []
        with pytest.raises(PermissionError):
            acknowledge(db, review.id, "PC2001")
    with store.session() as db:
        acknowledge(db, review.id, "PC2002")
    with store.session() as db:
        assert pending_feedback(db, "PC2002") == []
        stored = db.get(Review, review.id)
        assert stored is not None and stored.acknowledged_at is not None
        assert stored.checklist_hash == checklist.hash
        assert db.exec(select(Notification)).one().read_at is not None
        versions = sorted(
            o.version for o in db.exec(select(OutboxItem)) if o.record_id == review.id
        )
        assert versions == [1, 2]
        actions = [e.action for e in db.exec(select(AuditEvent))]
        assert actions == ["dip_sample.drawn", "review.recorded", "review.acknowledged"]


def test_incomplete_or_inconsistent_review_is_refused(settings: Settings, store: Store) -> None:
    checklist = load_checklist(settings.checklists_dir / "dip_sample_review.toml")
    incident_id = _case(store)
    with store.session() as db:
        with pytest.raises(ReviewIncomplete, match="feedback"):
            record_review(db, checklist, "SG3001", incident_id, "PC2002", answers(feedback=""))
        with pytest.raises(ReviewIncomplete):  # not met needs a comment
            record_review(
                db, checklist, "SG3001", incident_id, "PC2002", answers(arrest_justified="not_met")
            )
        with pytest.raises(ReviewIncomplete, match="outcome"):  # not met needs action outcome
            record_review(db, checklist, "SG3001", incident_id, "PC2002", answers(
                arrest_justified="not_met", **{"arrest_justified.reason": "Grounds were clear"}
            ))  # fmt: skip
        assert db.exec(select(Review)).all() == []


def test_casefile_shows_the_whole_record(settings: Settings, store: Store) -> None:
    incident_id = _case(store)
    with store.session() as db:
        sections = casefile(db, incident_id, {})
    assert sections is not None
    titles = [s.title for s in sections]
    assert titles == ["Summary", "Timeline", "Decisions and reasons", "Briefing the officer had"]
    text = "\n".join(line for s in sections for line in s.lines)
    assert "no arrest (PC2002): Suspect had left the area" in text
    assert (
        "To PC2002: Priority: Ava Review, threats" in text and "  - Two incidents this year" in text
    )


def test_opening_a_restricted_case_is_audited_and_tells_psd(store: Store) -> None:
    from firstresponse.supervision.casefile import open_casefile

    with store.session() as db:
        at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        inc = incident(db, "R-PSD", at, person(db, "Bea", "Review"), restricted=True)
    with store.session() as db:
        sections = open_casefile(db, "SG3001", inc.id, {})
        assert sections is not None and "RESTRICTED" in sections[0].lines[-1]
    with store.session() as db:
        [note] = db.exec(select(Notification)).all()
        assert (note.recipient, note.kind, note.subject_id) == ("PSD", "restricted_access", inc.id)
        [event] = db.exec(select(AuditEvent)).all()
        assert (event.action, event.actor, event.subject_id) == (
            "restricted.view",
            "SG3001",
            inc.id,
        )
        queued = db.exec(select(OutboxItem)).one()  # the hub notifies PSD from the event
        assert (queued.kind, queued.record_id) == ("audit", event.id)
