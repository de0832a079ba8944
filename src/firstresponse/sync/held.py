"""Records the hub received but holds, waiting for a parent it does not have.

A push answers each such record with the missing parent ("person:ID"). The terminal
then sends that parent itself when it holds it (a person from its history, an incident)
and otherwise shows the record as held, with what it waits for, until the hub files it.
Each sync replaces this list with the hub's own (`replace_held`), so nothing held on the
hub is ever shown here as synced.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from firstresponse.records import OutboxItem
from firstresponse.records.kinds import MODELS, kind_of_table
from firstresponse.records.terminal import HeldRecord
from firstresponse.store import Store, outbox
from firstresponse.sync.protocol import HeldItem


def note(
    db: Session, record_id: str, version: int, kind: str, waits_for: str, author: str = ""
) -> None:
    """Remember that the hub holds this record version waiting for `waits_for`."""
    row = db.get(HeldRecord, (record_id, version)) or HeldRecord(
        record_id=record_id, version=version, kind=kind, waits_for=waits_for
    )
    row.waits_for = waits_for
    row.waits_for_kind = waits_for.partition(":")[0]
    row.author = author or row.author
    db.add(row)


def replace_held(db: Session, items: list[HeldItem]) -> None:
    """The hub's current list of held records replaces ours."""
    db.execute(delete(HeldRecord))
    for item in items:
        db.add(
            HeldRecord(
                record_id=item.id,
                version=item.version,
                kind=item.kind,
                waits_for=item.waits_for,
                waits_for_kind=item.waits_for.partition(":")[0],
                author=item.author,
                device=item.device,
                since=datetime.fromisoformat(item.since),
            )
        )


def held(db: Session) -> list[HeldRecord]:
    return list(db.exec(select(HeldRecord).order_by(col(HeldRecord.since))))


def count(db: Session) -> int:
    return int(db.exec(select(func.count()).select_from(HeldRecord)).one())


def send_parent(db: Session, waits_for: str) -> bool:
    """Queue the missing parent from this terminal's own records; False if it cannot.

    Nothing is queued when the parent is already waiting in the outbox or the hub has
    acknowledged it (then the hub holds it for a parent of its own, reported in turn), nor
    when the hub refused it (quarantined, shown with the hub's reason). A record this
    terminal holds but never queued (a person from its history) is sent as the signed-in
    officer's.
    """
    table, _, record_id = waits_for.partition(":")
    statuses = set(
        db.exec(select(OutboxItem.status).where(OutboxItem.record_id == record_id)).all()
    )
    if statuses & {outbox.PENDING, outbox.ACKNOWLEDGED}:
        return True  # waiting to go, or on the hub already (held there for its own parent)
    if outbox.QUARANTINED in statuses:
        return False  # the hub refused it, with a reason a person must read: not resent
    kind = kind_of_table(table)
    record = db.get(MODELS[kind], record_id) if kind is not None else None
    if record is None:
        return False
    # Never queued here: it goes out as version 1, or after the hub's if that is known.
    outbox.enqueue_record(db, record, priority=outbox.PRIORITY_HIGH_RISK)
    return True


def send_parents(db: Session) -> int:
    """Queue each parent the hub's held list waits for that this terminal holds but has
    never sent; returns how many were queued.

    A push answer names the first missing parent only: once it arrives the hub may hold
    the record for the next (the suspect after the victim), which only its held list says.
    """
    wanted = {row.waits_for for row in held(db)}
    ids = [waits_for.partition(":")[2] for waits_for in wanted]
    known = set(db.exec(select(OutboxItem.record_id).where(col(OutboxItem.record_id).in_(ids))))
    return sum(send_parent(db, w) for w in sorted(wanted) if w.partition(":")[2] not in known)


def summary(store: Store, limit: int = 3) -> str:
    """What the hub holds and what each waits for, for a notification ("" if nothing)."""
    with store.session() as db:
        rows = held(db)
    if not rows:
        return ""
    lines = [f"Held on the hub: {len(rows)}"] + [row.describe for row in rows[:limit]]
    if len(rows) > limit:
        lines.append(f"... and {len(rows) - limit} more (firstresponse outbox)")
    return "\n".join(lines)
