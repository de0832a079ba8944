"""Feedback on an officer's cases: dip-sample reviews and same-shift high-risk reviews.

Both reach the officer's terminal (a dip-sample review written there; a high-risk review
written there or pulled from the hub) and read the same way: what was decided and why,
the actions and the supervisor's words, who reviewed it and when, and whether the officer
has acknowledged it. `feedback_for` and `acknowledge` work in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from firstresponse.checklist import Checklist
from firstresponse.records import HighRiskReview, Incident, Review
from firstresponse.supervision import high_risk, review
from firstresponse.supervision.cases import aware
from firstresponse.supervision.shifts import UK

DIP_SAMPLE = "dip_sample"
HIGH_RISK = "high_risk"
KINDS = {DIP_SAMPLE: "Dip sample", HIGH_RISK: "High risk"}


@dataclass(frozen=True)
class Feedback:
    """One review of the officer's work, as they read it."""

    kind: str
    review_id: str
    incident_id: str
    reference: str
    reviewer: str
    at: datetime
    result: str
    lines: tuple[str, ...]
    acknowledged_at: datetime | None = None

    @property
    def waiting(self) -> bool:
        """Not yet acknowledged by the officer."""
        return self.acknowledged_at is None


def local(at: datetime) -> str:
    """A UTC time as the UK clock reads it, e.g. "Mon 12 Jan 15:00"."""
    return aware(at).astimezone(UK).strftime("%a %d %b %H:%M")


def labels_of(checklists: Mapping[str, Checklist]) -> dict[str, str]:
    """The dip-sample review's points by id, to name those not met."""
    checklist = checklists.get(review.CHECKLIST_ID)
    return {item.id: item.label for item in checklist.items} if checklist else {}


def dip_sample(row: Review, reference: str, labels: Mapping[str, str]) -> Feedback:
    """A dip-sample review: outcome, points not met with comments, feedback."""
    outcome = review.OUTCOMES.get(row.outcome, row.outcome)
    lines = [
        f"Case {reference} · reviewed by {row.reviewer} on {row.created_at:%Y-%m-%d}",
        f"Outcome: {outcome}",
    ]
    if row.answers.get("action_by"):
        lines.append(f"Action to complete by {row.answers['action_by']}")
    missed = [k for k, v in row.answers.items() if v == "not_met"]
    if missed:
        lines.append("Not met:")
        for key in missed:
            lines.append(f"  - {labels.get(key, key)}")
            comment = row.answers.get(f"{key}.reason")
            if comment:
                lines.append(f"    {comment}")
    lines += ["Feedback:", row.feedback]
    return Feedback(
        DIP_SAMPLE, row.id, row.subject_id, reference, row.reviewer, aware(row.created_at),
        outcome, tuple(lines), row.acknowledged_at,
    )  # fmt: skip


def same_shift(row: HighRiskReview, reference: str) -> Feedback:
    """A same-shift high-risk review: the risk confirmed or regraded and why, the actions,
    any escalation and the supervisor's feedback."""
    if row.decision == "regrade":
        result = f"Regraded {row.level_before or '?'} to {row.level_after}"
        risk = f"Risk regraded from {row.level_before or 'not recorded'} to {row.level_after}"
    else:
        result = f"Confirmed {row.level_after}"
        risk = f"Risk confirmed: {row.level_after}"
    lines = [
        f"Case {reference} · same-shift high-risk review by {row.reviewer} on "
        f"{local(row.created_at)}",
        risk,
        f"Reason: {row.reason}",
    ]
    if row.actions:
        lines.append("Actions:")
        lines += [f"  - {action}" for action in row.actions]
    if row.escalate_to:
        lines.append(f"Escalated to: {high_risk.ESCALATIONS.get(row.escalate_to, row.escalate_to)}")
    lines += ["Feedback:", row.feedback or "(no further feedback)"]
    return Feedback(
        HIGH_RISK, row.id, row.incident_id, reference, row.reviewer, aware(row.created_at),
        result, tuple(lines), row.acknowledged_at,
    )  # fmt: skip


def feedback_for(db: Session, collar: str, labels: Mapping[str, str]) -> list[Feedback]:
    """Every review of `collar`'s cases held on this terminal, newest first."""
    dip = list(db.exec(select(Review).where(Review.officer == collar)))
    shift = list(db.exec(select(HighRiskReview).where(HighRiskReview.officer == collar)))
    ids = {r.subject_id for r in dip} | {r.incident_id for r in shift}
    query = select(Incident.id, Incident.reference).where(col(Incident.id).in_(sorted(ids)))
    refs = dict(db.exec(query).all()) if ids else {}
    items = [dip_sample(r, refs.get(r.subject_id, r.subject_id[:8]), labels) for r in dip]
    items += [same_shift(r, refs.get(r.incident_id, r.incident_id[:8])) for r in shift]
    return sorted(items, key=lambda f: (f.at, f.review_id), reverse=True)


def waiting_count(db: Session, collar: str) -> int:
    """How many reviews of `collar`'s cases they have not yet acknowledged."""
    total = 0
    for model in (Review, HighRiskReview):
        query = select(func.count()).where(
            col(model.officer) == collar, col(model.acknowledged_at).is_(None)
        )
        total += int(db.exec(query).one())
    return total


def acknowledge(db: Session, item: Feedback, collar: str) -> None:
    """The officer confirms they have read it (only the officer it is about may)."""
    if item.kind == HIGH_RISK:
        high_risk.acknowledge_review(db, item.review_id, collar)
    else:
        review.acknowledge(db, item.review_id, collar)
