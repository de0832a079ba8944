"""A supervisor's review of a sampled case, and the feedback round trip to the officer.

`record_review` checks the answers against `dip_sample_review` with the checklist
engine, stores a `Review`, marks the case's decisions reviewed and leaves a "feedback"
`Notification` for the officer. The officer sees `pending_feedback` at next sign-in and
`acknowledge`s it. Every change is audited and queued for the hub.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from firstresponse.checklist import Checklist, Evaluation, evaluate
from firstresponse.records import Decision, Notification, Review, utcnow
from firstresponse.security import audit
from firstresponse.store import outbox

CHECKLIST_ID = "dip_sample_review"
FEEDBACK = "feedback"
OUTCOMES = {
    "compliant": "Compliant",
    "advice": "Compliant, with advice",
    "action_required": "Action required by the officer",
    "escalated": "Escalated",
}


class ReviewIncomplete(ValueError):
    """The review answers are not complete; `evaluation` says what is missing."""

    def __init__(self, evaluation: Evaluation) -> None:
        issues = [*evaluation.missing_required, *evaluation.missing_reasons, *evaluation.errors]
        super().__init__("; ".join(f"{i.item}: {i.message}" for i in issues) or "incomplete")
        self.evaluation = evaluation


def record_review(
    db: Session,
    checklist: Checklist,
    reviewer: str,
    incident_id: str,
    officer: str,
    answers: dict[str, Any],
    sample_id: str | None = None,
) -> Review:
    """Store a complete review; raise `ReviewIncomplete` if the checklist is not satisfied."""
    evaluation = evaluate(checklist, answers, {})
    if not evaluation.complete:
        raise ReviewIncomplete(evaluation)
    review = Review(
        subject_kind="incident",
        subject_id=incident_id,
        sample_id=sample_id,
        reviewer=reviewer,
        officer=officer,
        checklist_id=checklist.id,
        checklist_version=checklist.version,
        checklist_hash=checklist.hash,
        answers=dict(answers),
        outcome=str(answers.get("outcome", "")),
        feedback=str(answers.get("feedback", "")).strip(),
    )
    outbox.enqueue_record(db, review)
    decisions = db.exec(
        select(Decision)
        .where(Decision.incident_id == incident_id)
        .where(col(Decision.reviewed).is_(False))
    ).all()
    for decision in decisions:
        decision.reviewed = True
        outbox.enqueue_record(db, decision)
    if officer:
        note = Notification(
            kind=FEEDBACK,
            recipient=officer,
            subject_kind="review",
            subject_id=review.id,
            body=f"{OUTCOMES.get(review.outcome, review.outcome)}: {review.feedback}",
        )
        outbox.enqueue_record(db, note)
    audit.record(
        db, reviewer, "review.recorded", "incident", incident_id,
        review_id=review.id, outcome=review.outcome, decisions=len(decisions),
    )  # fmt: skip
    return review


def pending_feedback(db: Session, collar: str) -> list[Review]:
    """Reviews of `collar`'s work with feedback not yet acknowledged, oldest first."""
    return list(
        db.exec(
            select(Review)
            .where(Review.officer == collar, col(Review.acknowledged_at).is_(None))
            .order_by(col(Review.created_at))
        )
    )


def acknowledge(db: Session, review_id: str, collar: str) -> Review:
    """The officer confirms they have read the feedback. Only that officer may."""
    review = db.get(Review, review_id)
    if review is None:
        raise LookupError(f"no review {review_id}")
    if review.officer != collar:
        raise PermissionError(f"{collar} may not acknowledge feedback for {review.officer}")
    if review.acknowledged_at is None:
        review.acknowledged_at = utcnow()
        outbox.enqueue_record(db, review)
        for note in db.exec(
            select(Notification).where(
                Notification.kind == FEEDBACK,
                Notification.subject_id == review_id,
                Notification.recipient == collar,
            )
        ):
            note.read_at = review.acknowledged_at
            outbox.enqueue_record(db, note)
        audit.record(db, collar, "review.acknowledged", "review", review_id)
    return review
