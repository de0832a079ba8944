"""What is waiting to reach the hub, most urgent first, in words an officer reads."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

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


def describe(kind: str, body: dict[str, Any]) -> str:
    """A short description of an envelope's record."""
    if kind == "assessment":
        text = f"{body.get('checklist_id', '')} v{body.get('version', 1)}"
        return text + (" (amendment)" if body.get("replaces_id") else "")
    if kind == "decision":
        return f"{body.get('kind', '')}: {body.get('reason', '')}"
    if kind == "child":
        return f"{body.get('name', '')}, age {body.get('age', '?')}"
    if kind == "incident":
        risk = body.get("risk_level") or "-"
        return f"{body.get('reference', '')} {body.get('status', '')} risk {risk}"
    if kind == "notification":
        first = str(body.get("body", "")).split("\n", 1)[0]
        return f"to {body.get('recipient', '')}: {first}"
    if kind == "person":
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
