"""Needs found at a call or on scene, saved back as person markers for the next call.

Language, disability, pregnancy, mental health (and age, care needs) become markers
with their source ("call" or "scene"), date and who recorded them. A marker is never
deleted: one that no longer applies is ended, with who and why, and stays in the history.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from firstresponse.records import Marker, Person, PersonMarker, User, utcnow
from firstresponse.security import audit
from firstresponse.security.permissions import Action, PermissionDenied, allowed
from firstresponse.store.outbox import PRIORITY_NORMAL, enqueue_record
from firstresponse.vocab import NEED_MARKERS

SOURCES = ("call", "scene", "record")
MIN_REASON = 5
#: THRIVE "vulnerabilities" answers (checklists/thrive.toml) and the marker each one means.
THRIVE_NEEDS = {
    "pregnant": Marker.PREGNANCY,
    "disability": Marker.DISABILITY,
    "mental_health": Marker.MENTAL_HEALTH,
    "older": Marker.ELDERLY,
    "language": Marker.LANGUAGE_NEED,
}
_MAY = (Action.TAKE_CALL, Action.ATTEND, Action.AMEND_RECORD)


class MarkerRefused(ValueError):
    """The marker cannot be saved or ended; the message says why."""


def _require(user: User) -> None:
    if not any(allowed(user, a) for a in _MAY):
        raise PermissionDenied(user, Action.AMEND_RECORD)


def needs_from_answers(answers: dict[str, Any]) -> list[tuple[str, str]]:
    """(marker, note) for each need in THRIVE or on-scene checklist answers."""
    found: dict[str, str] = {}
    detail = str(answers.get("vulnerability") or "").strip()
    for value in answers.get("vulnerabilities") or []:
        if value in THRIVE_NEEDS:
            found[THRIVE_NEEDS[value].value] = detail
    if answers.get("interpreter_needed") == "yes":
        language = str(answers.get("interpreter_language") or "").strip()
        found[Marker.LANGUAGE_NEED.value] = f"Interpreter: {language}" if language else ""
    if answers.get("pregnant_or_new_baby") == "yes":
        found[Marker.PREGNANCY.value] = "Pregnant or new baby (risk checklist)"
    return sorted(found.items())


def record_need(
    db: Session, user: User, person_id: str, marker: str, note: str, source: str
) -> PersonMarker:
    """Save one need as a marker (or return the current one already held), audited and synced."""
    _require(user)
    if marker not in {m.value for m in NEED_MARKERS}:
        raise MarkerRefused(
            f"{marker!r} is not a need: " + ", ".join(m.value for m in NEED_MARKERS)
        )
    if source not in SOURCES:
        raise MarkerRefused(f"source {source!r} is not one of: {', '.join(SOURCES)}")
    if db.get(Person, person_id) is None:
        raise MarkerRefused(f"no person record {person_id}")
    held = db.exec(
        select(PersonMarker).where(
            PersonMarker.person_id == person_id,
            PersonMarker.marker == marker,
            col(PersonMarker.ended_at).is_(None),
        )
    ).first()
    if held is not None:
        return held
    saved = PersonMarker(
        person_id=person_id,
        marker=marker,
        note=" ".join(note.split()),
        source=source,
        recorded_by=user.collar,
    )
    enqueue_record(db, saved, priority=PRIORITY_NORMAL)
    audit.record(db, user.collar, "marker.add", "person", person_id, marker=marker, source=source)
    return saved


def save_needs(
    db: Session, user: User, person_id: str, answers: dict[str, Any], source: str
) -> list[PersonMarker]:
    """Every need in `answers` saved as a marker on the person (those already held kept).

    Nothing is saved for a person this store does not hold (a responder's laptop holds
    only its briefings' people): the answers themselves still carry the need.
    """
    if db.get(Person, person_id) is None:
        return []
    return [
        record_need(db, user, person_id, marker, note, source)
        for marker, note in needs_from_answers(answers)
    ]


def end_marker(db: Session, user: User, marker_id: str, reason: str) -> PersonMarker:
    """End a marker that no longer applies: kept, with who ended it, when and why."""
    _require(user)
    reason = " ".join(reason.split())
    marker = db.get(PersonMarker, marker_id)
    if marker is None:
        raise MarkerRefused(f"no marker {marker_id}")
    if marker.ended_at is not None:
        raise MarkerRefused("this marker has already ended")
    if len(reason) < MIN_REASON:
        raise MarkerRefused("say why the marker no longer applies (at least 5 characters)")
    marker.ended_at = utcnow()
    marker.ended_by = user.collar
    marker.end_reason = reason
    enqueue_record(db, marker, priority=PRIORITY_NORMAL)
    audit.record(
        db, user.collar, "marker.end", "person", marker.person_id, marker=marker.marker,
        marker_id=marker.id, reason=reason,
    )  # fmt: skip
    return marker
