"""What is waiting to reach the hub, most urgent first, in words an officer reads."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from firstresponse.records import Kind
from firstresponse.store.outbox import PRIORITY_CHILD, PRIORITY_HIGH_RISK, quarantined, waiting


@dataclass(frozen=True)
class OutboxLine:
    """One envelope not yet acknowledged by the hub."""

    record_id: str
    kind: str
    version: int
    priority: int
    tag: str  # "HIGH RISK", "CHILD" or ""
    summary: str
    status: str
    attempts: int
    last_error: str


def tag_for(priority: int) -> str:
    if priority >= PRIORITY_HIGH_RISK:
        return "HIGH RISK"
    if priority >= PRIORITY_CHILD:
        return "CHILD"
    return ""


#: Each kind of record, as an officer would name it.
KIND_WORDS: dict[str, str] = {
    Kind.ASSESSMENT: "Checklist",
    Kind.DECISION: "Decision",
    Kind.CHILD: "Child",
    Kind.INCIDENT: "Incident",
    Kind.NOTIFICATION: "Notice",
    Kind.PERSON: "Person",
    Kind.ASSIGNMENT: "Assignment",
    Kind.REVIEW: "Review",
}
CHECKLIST_WORDS = {
    "first_response": "First response checklist",
    "risk": "Risk checklist",
    "thrive": "THRIVE assessment",
    "safety_advice": "Safety advice",
    "dip_sample_review": "Dip-sample review",
}
RECIPIENT_WORDS = {"childrens_services": "children's services"}


def words(code: str) -> str:
    """A stored code (`no_arrest`, `childrens_services`) as words."""
    return RECIPIENT_WORDS.get(code, code.replace("_", " "))


def describe(kind: str, body: dict[str, Any]) -> str:
    """A short description of an envelope's record, in words."""
    if kind == Kind.ASSESSMENT:
        checklist = str(body.get("checklist_id", ""))
        text = (
            f"{CHECKLIST_WORDS.get(checklist, words(checklist))}, version {body.get('version', 1)}"
        )
        return text + (" (amendment)" if body.get("replaces_id") else "")
    if kind == Kind.DECISION:
        return f"{words(str(body.get('kind', ''))).capitalize()}: {body.get('reason', '')}"
    if kind == Kind.CHILD:
        return f"{body.get('name', '')}, age {body.get('age', 'not known')}"
    if kind == Kind.INCIDENT:
        risk = body.get("risk_level")
        state = f"risk {words(risk)}" if risk else "risk not assessed yet"
        return f"{body.get('reference', '')}, {words(str(body.get('status', '')))}, {state}"
    if kind == Kind.NOTIFICATION:
        first = str(body.get("body", "")).split("\n", 1)[0]
        return f"To {words(str(body.get('recipient', '')))}: {first}"
    if kind == Kind.PERSON:
        return f"{body.get('forename', '')} {body.get('surname', '')}".strip()
    return str(body.get("id", ""))[:8]


def outbox_lines(db: Session) -> list[OutboxLine]:
    """Quarantined first (they need a person), then waiting by priority, oldest first."""
    lines = []
    for item in [*quarantined(db), *waiting(db)]:
        try:
            body = json.loads(item.body)
        except ValueError:
            body = {}
        lines.append(
            OutboxLine(
                record_id=item.record_id,
                kind=item.kind,
                version=item.version,
                priority=item.priority,
                tag=tag_for(item.priority),
                summary=describe(item.kind, body if isinstance(body, dict) else {}),
                status=item.status,
                attempts=item.attempts,
                last_error=item.last_error,
            )
        )
    return lines
