"""The safety advice given while officers travel, stored as a submitted Assessment."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from firstresponse.calls.grading import GradeRefused
from firstresponse.checklist import Checklist, evaluate
from firstresponse.records import Assessment, Incident, User, utcnow
from firstresponse.security import audit
from firstresponse.security.permissions import Action, require
from firstresponse.store.outbox import PRIORITY_NORMAL, enqueue_record


def record_safety_advice(
    db: Session, user: User, incident_id: str, checklist: Checklist, answers: dict[str, Any]
) -> Assessment:
    """Submit the safety-advice answers for a call; refused while anything is missing."""
    require(user, Action.TAKE_CALL)
    if db.get(Incident, incident_id) is None:
        raise GradeRefused("no such call")
    ev = evaluate(checklist, answers, {})
    if not ev.complete:
        problems = [i.message for i in (*ev.missing_required, *ev.missing_reasons, *ev.errors)]
        raise GradeRefused(f"safety advice is not complete ({len(problems)} to do)", problems)
    now = utcnow()
    assessment = Assessment(
        incident_id=incident_id,
        checklist_id=checklist.id,
        checklist_version=checklist.version,
        checklist_hash=checklist.hash,
        answers=dict(answers),
        result=ev.as_dict(),
        status="submitted",
        author=user.collar,
        created_at=now,
        updated_at=now,
        submitted_at=now,
    )
    enqueue_record(db, assessment, priority=PRIORITY_NORMAL)
    audit.record(db, user.collar, "safety_advice", "incident", incident_id)
    return assessment
