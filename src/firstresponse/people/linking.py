"""Deciding that two records are one person: confirm, reject or undo, audited and synced.

A confirmed link merges the two histories in every view (see `links.clusters`); it is
reversible (unlinked, with a reason) and every decision is a new version of the pair's
one `PersonLink` record, queued for the hub like any other record.
"""

from __future__ import annotations

from sqlmodel import Session, select

from firstresponse.lookup.links import pair
from firstresponse.records import Person, User, utcnow
from firstresponse.records.links import CONFIRMED, REJECTED, UNLINKED, PersonLink
from firstresponse.security import audit
from firstresponse.security.permissions import Action, require
from firstresponse.store.outbox import PRIORITY_NORMAL, enqueue_record

MIN_NOTE = 5


class LinkRefused(ValueError):
    """The decision cannot be recorded; the message says why."""


def current_link(db: Session, a: str, b: str) -> PersonLink | None:
    first, second = pair(a, b)
    query = select(PersonLink).where(PersonLink.person_id == first, PersonLink.other_id == second)
    return db.exec(query).first()


def decide(
    db: Session,
    user: User,
    person_id: str,
    other_id: str,
    status: str,
    *,
    reasons: list[str] | None = None,
    note: str = "",
) -> PersonLink:
    """Record `status` (confirmed, rejected or unlinked) for the pair, in the caller's transaction.

    Rejecting and unlinking need a note saying why; confirming needs the reasons the
    records match or a note. Raises `LinkRefused` or `PermissionError`.
    """
    require(user, Action.LINK_RECORDS)
    note = " ".join(note.split())
    if person_id == other_id:
        raise LinkRefused("a record cannot be linked to itself")
    for pid in (person_id, other_id):
        if db.get(Person, pid) is None:
            raise LinkRefused(f"no person record {pid}")
    if status not in (CONFIRMED, REJECTED, UNLINKED):
        raise LinkRefused(f"unknown decision {status!r}")
    if status != CONFIRMED and len(note) < MIN_NOTE:
        raise LinkRefused("say why (at least 5 characters)")
    if status == CONFIRMED and not (reasons or len(note) >= MIN_NOTE):
        raise LinkRefused("say why these records are the same person")
    link = current_link(db, person_id, other_id)
    before = link.status if link else ""
    if status == UNLINKED and before != CONFIRMED:
        raise LinkRefused("only a confirmed link can be undone")
    if link is not None and before == status:
        raise LinkRefused(f"already {status}")
    first, second = pair(person_id, other_id)
    if link is None:
        link = PersonLink(person_id=first, other_id=second)
    link.status = status
    link.reasons = "; ".join(reasons or [])
    link.note = note
    link.decided_by = user.collar
    link.decided_at = utcnow()
    enqueue_record(db, link, priority=PRIORITY_NORMAL)
    audit.record(
        db,
        user.collar,
        f"link.{status}",
        "person",
        person_id,
        other_id=other_id,
        previous=before or None,
        reasons=reasons or [],
        note=note,
    )
    return link
