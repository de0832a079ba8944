"""The whole record of a sampled case as readable sections, for the reviewer (read-only).

Sections: summary, timeline, decisions and their reasons, the briefing the officer had,
and each checklist's answers with their reasons. Plain text lines; the screen renders
each section's title as a heading and its lines below it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from firstresponse.checklist import Checklist, is_answered, reason_key
from firstresponse.checklist.model import Item
from firstresponse.records import AuditEvent, Notification
from firstresponse.security import audit
from firstresponse.store import outbox
from firstresponse.supervision.cases import CASE_CHECKLISTS, Case, aware, load_case

CHECKLIST_TITLES = {
    "thrive": "Call (THRIVE) answers",
    "first_response": "First response answers",
    "risk": "Risk assessment answers",
}

#: Each record on the timeline, in words.
RECORD_WORDS = {
    "thrive": "THRIVE assessment",
    "first_response": "First response checklist",
    "risk": "Risk checklist",
    "safety_advice": "Safety advice given",
}
#: Audit actions on an incident, in words; None where the timeline already shows the
#: record itself (safety advice is an assessment above).
AUDIT_WORDS: dict[str, str | None] = {
    "open_call": "Call opened",
    "graded": "Call graded",
    "case.viewed": "Case read for a dip-sample review",
    "restricted.view": "Restricted case read",
    "safety_advice": None,
}


def _words(code: str) -> str:
    return code.replace("_", " ").replace(".", " ")


@dataclass
class Section:
    title: str
    lines: list[str] = field(default_factory=list)


def _when(at: datetime | None) -> str:
    return aware(at).strftime("%Y-%m-%d %H:%M") if at else "—"


def _value(item: Item, value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(item.option_label(v) for v in value)
    return item.option_label(value) if item.options else str(value)


def answer_lines(checklist: Checklist | None, answers: dict[str, Any]) -> list[str]:
    """Each answered item as "label: answer" (and its reason), in checklist order."""
    if checklist is None:
        return [f"{k}: {v}" for k, v in sorted(answers.items())]
    lines = []
    for item in checklist.items:
        value = answers.get(item.id)
        if item.is_group:
            for n, entry in enumerate(value if isinstance(value, list) else [], 1):
                lines.append(f"{item.entry_label or item.label} {n}:")
                for child in item.items:
                    if isinstance(entry, dict) and is_answered(entry.get(child.id)):
                        lines.append(f"  {child.label}: {_value(child, entry[child.id])}")
                        reason = entry.get(reason_key(child.id))
                        if is_answered(reason):
                            lines.append(f"    Reason: {reason}")
            continue
        if is_answered(value):
            lines.append(f"{item.label}: {_value(item, value)}")
        reason = answers.get(reason_key(item.id))
        if is_answered(reason):
            lines.append(f"  Reason: {reason}")
    return lines


def timeline(db: Session, case: Case) -> list[str]:
    events: list[tuple[datetime, str]] = [(aware(case.incident.occurred_at), "Call received")]
    for a in case.assessments.values():
        what = RECORD_WORDS.get(a.checklist_id, _words(a.checklist_id))
        events.append((aware(a.submitted_at or a.created_at), f"{what} by {a.author}"))
    for s in case.assignments:
        events.append((aware(s.created_at), f"Assigned to {s.assignee} ({s.grade or '—'})"))
    for d in case.decisions:
        events.append((aware(d.made_at), f"Decision: {_words(d.kind)}, by {d.made_by}"))
    for e in db.exec(
        select(AuditEvent).where(AuditEvent.subject_id == case.id).order_by(col(AuditEvent.seq))
    ):
        words = AUDIT_WORDS.get(e.action, _words(e.action).capitalize())
        if words is not None:
            events.append((aware(e.at), f"{words} by {e.actor}"))
    return [f"{_when(at)}  {what}" for at, what in sorted(events, key=lambda ev: ev[0])]


def casefile(
    db: Session, incident_id: str, checklists: dict[str, Checklist]
) -> list[Section] | None:
    """The sections of one case, or None if the incident is unknown."""
    case = load_case(db, incident_id)
    if case is None:
        return None
    inc = case.incident
    summary = Section(
        "Summary",
        [
            f"{inc.reference}  {_when(inc.occurred_at)}  Status: {_words(inc.status)}",
            f"Grade: {(inc.grade or '—').replace('_', ' ')}   Risk: {inc.risk_level or '—'}",
            f"Crime recorded: {'yes' if inc.crime_recorded else 'no'}   Arrest: "
            + {True: "yes", False: "no", None: "—"}[inc.arrest_made],
            f"Officer: {case.officer or '—'}   Children recorded: {len(case.children)}",
        ]
        + (["RESTRICTED: suspect is police workforce"] if case.police_workforce_suspect else [])
        + ([inc.summary] if inc.summary else []),
    )
    decisions = Section(
        "Decisions and reasons",
        [
            f"{d.kind.replace('_', ' ')} ({d.made_by or '—'}"
            + (f", agreed by {d.authorised_by}" if d.authorised_by else "")
            + f"): {d.reason}"
            + ("  [reviewed]" if d.reviewed else "")
            for d in case.decisions
        ]
        or ["No recorded decisions."],
    )
    briefing = Section("Briefing the officer had")
    for s in case.assignments:
        brief = s.briefing or {}
        briefing.lines.append(f"To {s.assignee}: {brief.get('summary', '—')}")
        for part in brief.get("sections") or []:
            briefing.lines.append(f"{part.get('title', '')}:")
            briefing.lines += [f"  - {line}" for line in part.get("lines") or []]
    if not briefing.lines:
        briefing.lines.append("No briefing recorded.")
    sections = [summary, Section("Timeline", timeline(db, case)), decisions, briefing]
    for checklist_id in CASE_CHECKLISTS:
        if checklist_id in case.assessments:
            lines = answer_lines(checklists.get(checklist_id), case.answers(checklist_id))
            sections.append(Section(CHECKLIST_TITLES[checklist_id], lines or ["(no answers)"]))
    return sections


def open_casefile(
    db: Session, collar: str, incident_id: str, checklists: dict[str, Checklist]
) -> list[Section] | None:
    """`casefile`, audited; opening a police-workforce-suspect case also notifies PSD."""
    sections = casefile(db, incident_id, checklists)
    if sections is None:
        return None
    restricted = any(line.startswith("RESTRICTED") for line in sections[0].lines)
    action = "restricted.view" if restricted else "case.viewed"
    event = audit.record(db, collar, action, "incident", incident_id, purpose="dip-sample review")
    if restricted:
        outbox.enqueue_record(db, event)  # the hub notifies PSD from it
        note = Notification(
            kind="restricted_access",
            recipient="PSD",
            subject_kind="incident",
            subject_id=incident_id,
            body=f"{collar} opened restricted case for dip-sample review: full detail shown.",
        )
        db.add(note)
    return sections
