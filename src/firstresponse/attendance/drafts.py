"""Drafts saved on every answer, each in its own committed transaction.

A draft is an `Assessment` with status "draft". Once submitted it never changes:
`save_answers` refuses it, and an amendment is a new row (see `submit.start_amendment`).
Keys starting with "_" in the answers (referral choices, child and order record ids) are this
package's own: the checklist engine ignores them and the form never overwrites them.
"""

from __future__ import annotations

import copy
from typing import Any

from sqlmodel import Session, col, select

from firstresponse.attendance.known import recorded_children, risk_fills
from firstresponse.checklist import Checklist, Evaluation, evaluate, with_fact_entries
from firstresponse.records import Assessment, RecordStatus, utcnow
from firstresponse.store import Store

FIRST_RESPONSE = "first_response"
RISK = "risk"
#: Own key: the answers a draft opened with (carried forward), not yet the officer's.
PREFILLED = "_prefilled"


class RecordImmutable(Exception):
    """A submitted record was about to be changed: amend it instead."""


def _own(key: str) -> bool:
    return key.startswith("_")


def answered_by_officer(draft: Assessment) -> bool:
    """True once the draft holds an answer the officer gave (not one it opened with)."""
    answers = draft.answers or {}
    filled = answers.get(PREFILLED)
    filled = filled if isinstance(filled, dict) else {}
    return any(not _own(k) and (k not in filled or filled[k] != v) for k, v in answers.items())


def draft_for(db: Session, incident_id: str, checklist_id: str, author: str) -> Assessment | None:
    """The officer's open draft of one checklist for one incident, if any."""
    query = select(Assessment).where(
        Assessment.incident_id == incident_id,
        Assessment.checklist_id == checklist_id,
        Assessment.author == author,
        Assessment.status == RecordStatus.DRAFT,
    )
    return db.exec(query.order_by(col(Assessment.created_at).desc())).first()


def drafts_for(db: Session, incident_id: str, author: str) -> list[Assessment]:
    query = select(Assessment).where(
        Assessment.incident_id == incident_id,
        Assessment.author == author,
        Assessment.status == RecordStatus.DRAFT,
    )
    return list(db.exec(query.order_by(col(Assessment.checklist_id))))


def submitted_for(db: Session, incident_id: str) -> dict[str, Assessment]:
    """The newest submitted version of each checklist for an incident."""
    query = select(Assessment).where(
        Assessment.incident_id == incident_id, Assessment.status == RecordStatus.SUBMITTED
    )
    current: dict[str, Assessment] = {}
    for row in db.exec(query):
        held = current.get(row.checklist_id)
        if held is None or row.version > held.version:
            current[row.checklist_id] = row
    return current


def history(db: Session, assessment_id: str) -> list[Assessment]:
    """Every version from the first to this one, oldest first."""
    chain: list[Assessment] = []
    row = db.get(Assessment, assessment_id)
    while row is not None and row not in chain:
        chain.insert(0, row)
        row = db.get(Assessment, row.replaces_id) if row.replaces_id else None
    return chain


def known_children(db: Session, incident_id: str) -> dict[str, Any]:
    """The children already recorded for the incident (by the call handler), as entries of
    the checklist's children group. Each entry keeps its Child record id, so what the
    officer records about that child updates the same record instead of adding another;
    removing one is an answer with a reason (a decision), never a silent deletion."""
    entries = [
        {"_id": c["id"], **{k: v for k, v in c.items() if k in ("name", "age")}}
        for c in recorded_children(db, incident_id)
    ]
    return {"children": entries} if entries else {}


def open_draft(
    db: Session,
    incident_id: str,
    checklist: Checklist,
    author: str,
    facts: dict[str, Any] | None = None,
) -> Assessment:
    """The officer's draft for this checklist, started now if there is none.

    Either way the draft lists every entry the facts call for (each order or bail condition
    in force), so one added to the history since the draft was started is asked about too.
    """
    found = draft_for(db, incident_id, checklist.id, author)
    if found is not None:
        filled = with_fact_entries(checklist, found.answers or {}, facts)
        if filled != (found.answers or {}):
            found.answers = filled
            found.result = evaluate(checklist, filled, facts).as_dict()
            found.updated_at = utcnow()
            db.add(found)
        return found
    answers = known_children(db, incident_id) if checklist.id == FIRST_RESPONSE else {}
    if checklist.id == RISK:  # what the call and the scene recorded, carried forward
        filled = {k: v for k, v in risk_fills(facts).items() if checklist.item(k)}
        answers = {**filled, PREFILLED: filled} if filled else {}
    answers = with_fact_entries(checklist, answers, facts)
    draft = Assessment(
        incident_id=incident_id,
        checklist_id=checklist.id,
        checklist_version=checklist.version,
        checklist_hash=checklist.hash,
        author=author,
        answers=answers,
        result=evaluate(checklist, answers, facts).as_dict(),
    )
    db.add(draft)
    db.flush()
    return draft


def save_answers(
    store: Store,
    assessment_id: str,
    answers: dict[str, Any],
    checklist: Checklist,
    facts: dict[str, Any] | None = None,
    evaluation: Evaluation | None = None,
) -> Assessment:
    """Write the answers to the draft and commit now, so a crash loses nothing typed.

    `evaluation`, when the caller has just evaluated these answers, is stored as it is
    (this package's own keys take no part in evaluation) instead of evaluating again.
    """
    with store.session() as db:
        draft = db.get(Assessment, assessment_id)
        if draft is None:
            raise KeyError(f"no assessment {assessment_id}")
        if draft.status != RecordStatus.DRAFT:
            raise RecordImmutable(f"assessment {assessment_id} is submitted: amend it instead")
        merged = {k: copy.deepcopy(v) for k, v in answers.items() if not _own(k)}
        merged.update({k: v for k, v in (draft.answers or {}).items() if _own(k)})
        draft.answers = merged
        draft.result = (evaluation or evaluate(checklist, merged, facts)).as_dict()
        draft.updated_at = utcnow()
        db.add(draft)
        return draft


def set_own(store: Store, assessment_id: str, key: str, value: Any) -> Assessment:
    """Write one of this package's own keys (e.g. `_referrals`) in its own transaction."""
    if not _own(key):
        raise ValueError(f"{key!r} is a checklist answer: use save_answers")
    with store.session() as db:
        draft = db.get(Assessment, assessment_id)
        if draft is None:
            raise KeyError(f"no assessment {assessment_id}")
        if draft.status != RecordStatus.DRAFT:
            raise RecordImmutable(f"assessment {assessment_id} is submitted: amend it instead")
        answers = dict(draft.answers or {})
        answers[key] = copy.deepcopy(value)
        draft.answers = answers
        draft.updated_at = utcnow()
        db.add(draft)
        return draft
