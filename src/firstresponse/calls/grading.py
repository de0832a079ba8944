"""Grade a call from its THRIVE answers, with the grade floor enforced.

A grade below `Evaluation.grade_floor` is refused unless a supervisor, identified by collar
number and verified by PIN, agrees with a written rationale. Grading writes, in the caller's
transaction and each with its outbox envelope: the submitted THRIVE Assessment (the call
handler's draft, saved answer by answer, when there is one), the graded
Incident, a Decision for every scheduled appointment, no-deployment and override (the
dip-sample queue), the restricted flag for a police-workforce suspect, and the Assignment
with its briefing when anyone is sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, select

from firstresponse.calls.briefing import briefing_for
from firstresponse.checklist import Checklist, Evaluation, evaluate
from firstresponse.records import (
    Assessment,
    Assignment,
    Decision,
    Grade,
    Incident,
    RecordStatus,
    User,
    utcnow,
)
from firstresponse.security import audit
from firstresponse.security.permissions import Action, allowed, require
from firstresponse.security.pins import verify_pin
from firstresponse.security.restricted import flag_restricted
from firstresponse.store.outbox import (
    PRIORITY_CHILD,
    PRIORITY_HIGH_RISK,
    PRIORITY_NORMAL,
    enqueue_record,
)

BELOW_FLOOR = "grade_below_floor"
WORKFORCE = "police_workforce_suspect"
OVERRIDE_REASON = "floor_override_reason"
OVERRIDE_SUPERVISOR = "floor_override_supervisor"
#: Checklist decision kinds -> the agreed Decision kinds (CONTRACTS.md "decisions").
DECISION_KINDS = {BELOW_FLOOR: "grade_override", "scheduled_without_safety": "low_grade"}


class GradeRefused(ValueError):
    """The grade cannot be recorded: below the floor without a valid override, or incomplete."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@dataclass(frozen=True)
class Override:
    """A supervisor agreeing a grade below the floor."""

    supervisor: str
    pin: str
    rationale: str


@dataclass
class Graded:
    """What grading wrote."""

    incident: Incident
    assessment: Assessment
    decisions: list[Decision] = field(default_factory=list)
    assignment: Assignment | None = None
    briefing: dict[str, Any] = field(default_factory=dict)


def verify_supervisor(db: Session, override: Override) -> User:
    """The supervisor's User row if collar, role and PIN check out and a rationale is given."""
    if not override.rationale.strip():
        raise GradeRefused("an override needs the supervisor's rationale")
    collar = override.supervisor.strip().upper()
    supervisor = db.exec(select(User).where(User.collar == collar)).first()
    if supervisor is None or not allowed(supervisor, Action.OVERRIDE_GRADE_FLOOR):
        raise GradeRefused(f"{collar or 'no collar'} is not an active supervisor")
    if not verify_pin(supervisor.pin_hash, override.pin):
        raise GradeRefused(f"the PIN for {collar} is not correct")
    return supervisor


def prepare(
    checklist: Checklist,
    answers: dict[str, Any],
    facts: dict[str, Any],
    override: Override | None = None,
) -> tuple[dict[str, Any], Evaluation]:
    """The answers with any override written in, and their evaluation."""
    answers = dict(answers)
    if override is not None:
        answers[OVERRIDE_REASON] = override.rationale.strip()
        answers[OVERRIDE_SUPERVISOR] = override.supervisor.strip().upper()
    return answers, evaluate(checklist, answers, facts)


def _draft(db: Session, incident_id: str, checklist_id: str, author: str) -> Assessment | None:
    """The call handler's THRIVE draft (saved answer by answer), which grading submits."""
    query = select(Assessment).where(
        Assessment.incident_id == incident_id,
        Assessment.checklist_id == checklist_id,
        Assessment.author == author,
        Assessment.status == RecordStatus.DRAFT,
    )
    return db.exec(query).first()


def _priority(ev: Evaluation, grade: Grade, facts: dict[str, Any]) -> int:
    if grade is Grade.IMMEDIATE or facts.get("previous_risk_level") == "high":
        return PRIORITY_HIGH_RISK
    return PRIORITY_CHILD if "child_present" in ev.flags else PRIORITY_NORMAL


def grade_call(
    db: Session,
    user: User,
    incident_id: str,
    checklist: Checklist,
    answers: dict[str, Any],
    facts: dict[str, Any],
    *,
    override: Override | None = None,
    history: dict[str, Any] | None = None,
    suspect_markers: list[str] | None = None,
    assignee: str = "",
) -> Graded:
    """Record the grade and everything that follows from it, or raise `GradeRefused`."""
    require(user, Action.GRADE_CALL)
    incident = db.get(Incident, incident_id)
    if incident is None:
        raise GradeRefused("no such call")
    if incident.status != "open":
        raise GradeRefused(f"{incident.reference} is already {incident.status}")
    answers, ev = prepare(checklist, answers, facts, override)
    supervisor: User | None = None
    if BELOW_FLOOR in ev.flags:
        if override is None:
            floor = ev.grade_floor.value if ev.grade_floor else ""
            raise GradeRefused(
                f"the lowest grade allowed is {floor.replace('_', ' ')}: a supervisor must agree",
                list(ev.grade_floor_reasons),
            )
        supervisor = verify_supervisor(db, override)
    if not ev.complete:
        problems = [i.message for i in (*ev.missing_required, *ev.missing_reasons, *ev.errors)]
        raise GradeRefused(f"THRIVE is not complete ({len(problems)} to do)", problems)
    grade = Grade(answers["grade"])
    priority = _priority(ev, grade, facts)
    now = utcnow()
    assessment = _draft(db, incident.id, checklist.id, user.collar) or Assessment(
        incident_id=incident.id,
        checklist_id=checklist.id,
        checklist_version=checklist.version,
        checklist_hash=checklist.hash,
        author=user.collar,
        created_at=now,
    )
    assessment.checklist_version = checklist.version
    assessment.checklist_hash = checklist.hash
    assessment.answers = answers
    assessment.result = ev.as_dict()
    assessment.status = RecordStatus.SUBMITTED
    assessment.updated_at = assessment.submitted_at = now
    enqueue_record(db, assessment, priority=priority)
    from firstresponse.people.needs import save_needs  # needs found at the call become markers

    save_needs(db, user, incident.victim_id, answers, "call")
    if WORKFORCE in ev.flags and not incident.restricted:
        flag_restricted(db, user, incident, "Suspect is police workforce (THRIVE)", queue=False)
    incident.grade = grade.value
    incident.status = "graded"
    enqueue_record(db, incident, priority=priority)  # version 2, restricted or not
    decisions = []
    for needed in ev.decisions:
        kind = DECISION_KINDS.get(needed.kind, needed.kind)
        decision = Decision(
            incident_id=incident.id,
            assessment_id=assessment.id,
            kind=kind,
            reason=needed.reason,
            made_by=user.collar,
            authorised_by=supervisor.collar if kind == "grade_override" and supervisor else "",
            made_at=now,
        )
        enqueue_record(db, decision, priority=priority)
        decisions.append(decision)
    db.flush()
    briefing = briefing_for(
        db, incident, answers, ev, history, suspect_markers, checklist=checklist
    )
    assignment = None
    if grade.deploys:
        assignment = Assignment(
            incident_id=incident.id, assignee=assignee.strip(), grade=grade.value, briefing=briefing
        )
        enqueue_record(db, assignment, priority=priority)
    audit.record(
        db,
        user.collar,
        "grade_call",
        "incident",
        incident.id,
        grade=grade.value,
        floor=ev.grade_floor.value if ev.grade_floor else None,
        floor_reasons=list(ev.grade_floor_reasons),
        override_by=supervisor.collar if supervisor else None,
        decisions=[d.kind for d in decisions],
        assignee=assignee.strip(),
        facts=facts,
    )
    return Graded(incident, assessment, decisions, assignment, briefing)
