"""Same-shift supervision of high risk: every high-risk submission is reviewed in the shift.

Separate from the random dip sample. A submission is in the queue when its latest submitted
risk assessment is high, or computed high and lowered by the officer's judgement; or, where
the assessment has not reached this terminal, when an attended incident is recorded as high
risk; or when strangulation, threats to kill or a weapon was reported at the call or
recorded at the scene and the suspect was not arrested, the victim was not found or the risk
was not assessed (`indicators`). The supervisor confirms or regrades the risk, always with a
reason, may add actions and feedback, and may escalate to the duty inspector or the DA team.
The review itself carries all of it: the hub sends it to the officer and raises the
escalation's notification (hub.notices), never a terminal. A regrade also records a
`Decision` (risk lowered or raised), so a lowered risk is dip-sampled like any other. The
officer reads the review on their terminal and `acknowledge_review`s it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_
from sqlmodel import Session, col, select

from firstresponse.records import (
    Assessment,
    Decision,
    HighRiskReview,
    Incident,
    RiskLevel,
    User,
    utcnow,
)
from firstresponse.security import audit
from firstresponse.security.permissions import Action, require
from firstresponse.store import outbox
from firstresponse.supervision.cases import aware, teams
from firstresponse.supervision.indicators import trigger
from firstresponse.supervision.shifts import ShiftPattern, configured

RISK = "risk"
FIRST_RESPONSE = "first_response"
HIGH = RiskLevel.HIGH.value
DECISIONS = {"confirm": "Confirm the risk level", "regrade": "Regrade the risk level"}
ESCALATIONS = {"": "No escalation", "duty_inspector": "Duty inspector", "da_team": "DA team"}
#: Fewest characters a review's reason may have.
MIN_REASON = 10


@dataclass(frozen=True)
class Submission:
    """A high-risk submission waiting for (or given) its same-shift review."""

    incident_id: str
    reference: str
    officer: str
    team: str
    submitted_at: datetime
    due_by: datetime
    level: str
    computed_level: str
    assessment_id: str | None
    restricted: bool = False
    reason: str = ""  # why it is here when the level is not high (see `indicators`)

    def overdue(self, now: datetime) -> bool:
        return aware(now) > self.due_by

    @property
    def why(self) -> str:
        if self.reason:
            return self.reason
        if self.level == HIGH:
            return "High risk"
        return f"Computed high, officer judged {self.level or 'not recorded'}"


class ReviewRefused(ValueError):
    """The review is not complete; the message says what is missing."""


def _latest_risk(db: Session) -> dict[str, Assessment]:
    latest: dict[str, Assessment] = {}
    for a in db.exec(
        select(Assessment).where(Assessment.checklist_id == RISK, Assessment.status == "submitted")
    ):
        held = latest.get(a.incident_id or "")
        if held is None or a.version > held.version:
            latest[a.incident_id or ""] = a
    return latest


def submissions(db: Session, pattern: ShiftPattern | None = None) -> list[Submission]:
    """Every high-risk submission on this terminal, reviewed or not, each due by the end
    of its shift in `pattern` (default: the configured one)."""
    pattern = pattern or configured()
    team_of = teams(db)
    latest = _latest_risk(db)
    out: list[Submission] = []
    assessed = select(Assessment.incident_id).where(
        Assessment.checklist_id == RISK, Assessment.status == "submitted"
    )
    incidents = {
        i.id: i
        for i in db.exec(
            select(Incident).where(
                or_(col(Incident.id).in_(assessed), col(Incident.risk_level) == HIGH)
            )
        )
    }
    for incident_id, incident in incidents.items():
        if incident.status == "historic":
            continue
        found = latest.get(incident_id)
        if found is not None:
            level = str(found.result.get("risk_level") or found.answers.get("officer_level") or "")
            computed = str(found.result.get("computed_risk_level") or level)
            if HIGH not in (level, computed):
                continue
            at = aware(found.submitted_at or found.updated_at)
            officer, assessment_id = found.author, found.id
        elif incident.status == "attended":
            level = computed = HIGH
            at, officer, assessment_id = aware(incident.occurred_at), "", None
        else:
            continue
        out.append(
            Submission(
                incident_id=incident_id,
                reference=incident.reference,
                officer=officer,
                team=team_of.get(officer, ""),
                submitted_at=at,
                due_by=pattern.review_due(at),
                level=level,
                computed_level=computed,
                assessment_id=assessment_id,
                restricted=incident.restricted,
            )
        )
    listed = {s.incident_id for s in out}
    return out + [s for s in _triggered(db, pattern, team_of) if s.incident_id not in listed]


def _triggered(db: Session, pattern: ShiftPattern, team_of: dict[str, str]) -> list[Submission]:
    """Attendances sent to same-shift review by high-risk indicators (see `indicators`)."""
    attended = select(Assessment.incident_id).where(
        Assessment.checklist_id == FIRST_RESPONSE, Assessment.status == "submitted"
    )
    out = []
    for incident in db.exec(select(Incident).where(col(Incident.id).in_(attended))):
        found = trigger(db, incident) if incident.status != "historic" else None
        if found is None:
            continue
        at = aware(found.assessment.submitted_at or found.assessment.updated_at)
        out.append(
            Submission(
                incident_id=incident.id,
                reference=incident.reference,
                officer=found.assessment.author,
                team=team_of.get(found.assessment.author, ""),
                submitted_at=at,
                due_by=pattern.review_due(at),
                level=incident.risk_level or "",
                computed_level=incident.risk_level or "",
                assessment_id=found.assessment.id,
                restricted=incident.restricted,
                reason=found.why,
            )
        )
    return out


def _reviewed(db: Session) -> set[tuple[str, str | None]]:
    return {(r.incident_id, r.assessment_id) for r in db.exec(select(HighRiskReview))}


def review_queue(
    db: Session, now: datetime | None = None, pattern: ShiftPattern | None = None
) -> list[Submission]:
    """Unreviewed high-risk submissions: overdue first, then the soonest due."""
    now = aware(now or utcnow())
    done = _reviewed(db)
    waiting = [s for s in submissions(db, pattern) if (s.incident_id, s.assessment_id) not in done]
    return sorted(waiting, key=lambda s: (not s.overdue(now), s.due_by, s.reference))


def effective_level(db: Session, incident_id: str) -> str | None:
    """The risk level after the newest same-shift review, else the incident's."""
    review = db.exec(
        select(HighRiskReview)
        .where(HighRiskReview.incident_id == incident_id)
        .order_by(col(HighRiskReview.created_at).desc())
    ).first()
    if review is not None:
        return review.level_after
    incident = db.get(Incident, incident_id)
    return incident.risk_level if incident is not None else None


def _check(
    submission: Submission, decision: str, level_after: str, reason: str, escalate_to: str
) -> str:
    """The level after review, or raise `ReviewRefused` with every problem."""
    problems = []
    if decision not in DECISIONS:
        problems.append("choose confirm or regrade")
    if len(reason.strip()) < MIN_REASON:
        problems.append(f"give the reason for the decision (at least {MIN_REASON} characters)")
    if escalate_to not in ESCALATIONS:
        problems.append("escalate to the duty inspector, the DA team, or nobody")
    if decision == "confirm":
        level_after = submission.level
    elif decision == "regrade":
        if level_after not in {r.value for r in RiskLevel}:
            problems.append("choose the new risk level")
        elif level_after == submission.level:
            problems.append("a regrade must change the risk level (or confirm it)")
    if problems:
        raise ReviewRefused("; ".join(problems))
    return level_after


def record_high_risk_review(
    db: Session,
    reviewer: User,
    submission: Submission,
    decision: str,
    reason: str,
    *,
    level_after: str = "",
    actions: list[str] | None = None,
    feedback: str = "",
    escalate_to: str = "",
) -> HighRiskReview:
    """Store a same-shift review, its feedback, any escalation and regrade decision."""
    require(reviewer, Action.REVIEW)
    level_after = _check(submission, decision, level_after, reason, escalate_to)
    listed = [a.strip() for a in actions or [] if a.strip()]
    review = HighRiskReview(
        incident_id=submission.incident_id,
        assessment_id=submission.assessment_id,
        officer=submission.officer,
        reviewer=reviewer.collar,
        submitted_at=submission.submitted_at,
        due_by=submission.due_by,
        level_before=submission.level,
        decision=decision,
        level_after=level_after,
        reason=reason.strip(),
        actions=listed,
        feedback=feedback.strip(),
        escalate_to=escalate_to,
    )
    outbox.enqueue_record(db, review, priority=outbox.PRIORITY_HIGH_RISK)
    if level_after != submission.level:
        lowered = RiskLevel(level_after).rank < RiskLevel(submission.level or HIGH).rank
        regrade = Decision(
            incident_id=submission.incident_id,
            assessment_id=submission.assessment_id,
            kind="risk_lowered" if lowered else "risk_raised",
            reason=f"Supervisor regraded {submission.level} to {level_after}: {review.reason}",
            made_by=reviewer.collar,
        )
        outbox.enqueue_record(db, regrade, priority=outbox.PRIORITY_HIGH_RISK)
    audit.record(
        db, reviewer.collar, "high_risk.reviewed", "incident", submission.incident_id,
        review_id=review.id, decision=decision, level_before=submission.level,
        level_after=level_after, escalate_to=escalate_to,
        overdue=review.created_at > submission.due_by,
    )  # fmt: skip
    return review


def acknowledge_review(db: Session, review_id: str, collar: str) -> HighRiskReview:
    """The officer the review is about confirms they have read it. Only that officer may."""
    review = db.get(HighRiskReview, review_id)
    if review is None:
        raise LookupError(f"no same-shift review {review_id}")
    if review.officer != collar:
        whose = review.officer or "nobody"
        raise PermissionError(f"{collar} may not acknowledge a review of {whose}'s case")
    if review.acknowledged_at is None:
        review.acknowledged_at = utcnow()
        # A review pulled from a hub that did not say its version is version 1 there.
        outbox.enqueue_record(db, review, floor=2)
        audit.record(db, collar, "high_risk.acknowledged", "highriskreview", review_id)
    return review
