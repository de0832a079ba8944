"""Key decisions in a case (charge, caution, no further action ...), each with its reason.

A decision not to prosecute (no further action, a caution, a community resolution)
could reduce protection, so it also records a `Decision`: it reaches the dip sample
like any other. Every outcome starts a due contact with the victim (followup.contacts).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from firstresponse.records import CaseOutcome, Decision, Incident, User, utcnow
from firstresponse.security import audit
from firstresponse.security.permissions import Action, allowed
from firstresponse.store import outbox

OUTCOMES = {
    "charged": "Charged",
    "cautioned": "Caution",
    "community_resolution": "Community resolution",
    "nfa_evidential": "No further action: not enough evidence",
    "nfa_public_interest": "No further action: not in the public interest",
    "nfa_victim_withdrew": "No further action: victim withdrew support",
    "released_under_investigation": "Released under investigation",
    "bailed": "Bailed with conditions",
}
NFA = frozenset({"nfa_evidential", "nfa_public_interest", "nfa_victim_withdrew"})
#: Outcomes that end without a prosecution: a reason is required and they are sampled.
SAMPLED = NFA | {"cautioned", "community_resolution"}
MIN_REASON = 10
#: A decision time may be this far ahead of the terminal's clock (clock drift).
CLOCK_SLACK = timedelta(minutes=5)


def not_a_recorded_time(moment: datetime, now: datetime) -> bool:
    """A time a record may not carry: without its zone, or later than the clock allows."""
    return moment.tzinfo is None or moment > now + CLOCK_SLACK


class OutcomeRefused(ValueError):
    """The outcome cannot be recorded as given; the message says why."""


def may_record_casework(user: User | None) -> bool:
    """Attending officers and supervisors record outcomes and contacts."""
    return allowed(user, Action.ATTEND) or allowed(user, Action.REVIEW)


def require_casework(user: User | None) -> User:
    if user is None or not may_record_casework(user):
        who = f"{user.collar} ({user.role.replace('_', ' ')})" if user else "nobody signed in"
        raise PermissionError(f"{who} may not record case outcomes or victim contacts")
    return user


def record_outcome(
    db: Session,
    user: User,
    incident_id: str,
    outcome: str,
    reason: str,
    decided_at: datetime | None = None,
) -> CaseOutcome:
    """Store an outcome (and, for one without prosecution, its sampled `Decision`)."""
    require_casework(user)
    now = utcnow()
    decided_at = decided_at or now
    problems = []
    if db.get(Incident, incident_id) is None:
        problems.append("no such incident on this terminal")
    if outcome not in OUTCOMES:
        problems.append(f"choose an outcome ({', '.join(OUTCOMES)})")
    if outcome in SAMPLED and len(reason.strip()) < MIN_REASON:
        problems.append(f"give the reason for this decision (at least {MIN_REASON} characters)")
    if not_a_recorded_time(decided_at, now):
        problems.append("the decision time must be a UTC time not in the future")
    if problems:
        raise OutcomeRefused("; ".join(problems))
    row = CaseOutcome(
        incident_id=incident_id,
        outcome=outcome,
        reason=reason.strip(),
        decided_by=user.collar,
        decided_at=decided_at,
    )
    outbox.enqueue_record(db, row)
    if outcome in SAMPLED:
        decision = Decision(
            incident_id=incident_id,
            kind="no_further_action" if outcome in NFA else outcome,
            reason=f"{OUTCOMES[outcome]}: {row.reason}",
            made_by=user.collar,
        )
        outbox.enqueue_record(db, decision)
    audit.record(db, user.collar, "outcome.recorded", "incident", incident_id, outcome=outcome)
    return row


def outcomes_for(db: Session, incident_ids: list[str]) -> dict[str, list[CaseOutcome]]:
    """Every outcome of these incidents, oldest first."""
    found: dict[str, list[CaseOutcome]] = {i: [] for i in incident_ids}
    for start in range(0, len(incident_ids), 500):
        chunk = incident_ids[start : start + 500]
        for row in db.exec(
            select(CaseOutcome)
            .where(col(CaseOutcome.incident_id).in_(chunk))
            .order_by(col(CaseOutcome.decided_at), col(CaseOutcome.created_at))
        ):
            found[row.incident_id].append(row)
    return found
