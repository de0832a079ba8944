"""The append-only, hash-chained audit log: who looked up, viewed, changed or exported what.

Each entry's hash covers its content and the previous entry's hash, so altering or
deleting any entry breaks every hash after it. Deleting the newest entries breaks no
hash, so the chain's head (how many entries, and the last one's hash) is also kept
outside the store: in a small file beside it (`head_path`), rewritten durably after
every commit that appended entries and never moved backwards, and on the hub, which
records the terminal's sequence number and hash of each entry that syncs.
`check_head` compares the chain with such a head: entries missing from the end, or an
end that is not the one recorded, are reported like any other break.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from firstresponse.records import AuditEvent, canonical_json, utcnow

GENESIS = "0" * 64
HEAD_SUFFIX = ".audit-head"
_APPENDED = "firstresponse.audit.appended"  # session.info flag: entries added, head to move
_HEAD_FILES: weakref.WeakKeyDictionary[Engine, Path] = weakref.WeakKeyDictionary()


def _stamp(at: datetime) -> str:
    """UTC, second precision, no offset: the same text before and after a database trip."""
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.replace(microsecond=0).isoformat()


def _entry_hash(event: AuditEvent) -> str:
    body = {
        "id": event.id,
        "at": _stamp(event.at),
        "actor": event.actor,
        "action": event.action,
        "subject_kind": event.subject_kind,
        "subject_id": event.subject_id,
        "detail": event.detail,
        "prev_hash": event.prev_hash,
    }
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def record(
    session: Session,
    actor: str,
    action: str,
    subject_kind: str = "",
    subject_id: str = "",
    **detail: Any,
) -> AuditEvent:
    """Append one entry in the caller's transaction. `detail` must be JSON-serialisable."""
    last = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq).desc()).limit(1)).first()
    event = AuditEvent(
        at=utcnow().replace(microsecond=0),
        actor=actor,
        action=action,
        subject_kind=subject_kind,
        subject_id=subject_id,
        detail=detail,
        prev_hash=last.hash if last else GENESIS,
    )
    event.hash = _entry_hash(event)
    session.add(event)
    session.flush()
    session.info[_APPENDED] = True
    return event


@dataclass(frozen=True)
class ChainBreak:
    """Where the chain stops verifying, and why."""

    seq: int
    reason: str


def verify(session: Session) -> list[ChainBreak]:
    """Every place the chain fails: an altered entry, a deleted one, a reordered one."""
    breaks: list[ChainBreak] = []
    prev_hash = GENESIS
    prev_seq = 0
    for event in session.exec(select(AuditEvent).order_by(col(AuditEvent.seq))):
        seq = event.seq or 0
        if seq != prev_seq + 1:
            breaks.append(ChainBreak(seq, f"entries {prev_seq + 1}..{seq - 1} are missing"))
        if event.prev_hash != prev_hash:
            breaks.append(ChainBreak(seq, "does not follow the entry before it"))
        if _entry_hash(event) != event.hash:
            breaks.append(ChainBreak(seq, "content does not match its hash (altered)"))
        prev_hash, prev_seq = event.hash, seq
    return breaks


@dataclass(frozen=True)
class Head:
    """The end of a chain: how many entries (the last sequence number) and the last hash."""

    entries: int
    hash: str


def head_of(session: Session) -> Head:
    """The head of the chain held in this database (0 entries and GENESIS when empty)."""
    last = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq).desc()).limit(1)).first()
    return Head(last.seq or 0, last.hash) if last else Head(0, GENESIS)


def check_head(session: Session, head: Head, where: str) -> list[ChainBreak]:
    """Breaks showing the chain does not reach `head` (kept `where`, e.g. "on the hub")."""
    ours = head_of(session)
    if head.entries > ours.entries:
        reason = (
            f"the chain ends at entry {ours.entries} but the head kept {where} records"
            f" {head.entries} entries: entries were deleted from the end"
        )
        return [ChainBreak(ours.entries + 1, reason)]
    if head.entries == 0:
        return []
    entry = session.exec(select(AuditEvent).where(AuditEvent.seq == head.entries)).first()
    if entry is None or entry.hash != head.hash:
        reason = f"is not the entry the head kept {where} records: the end was deleted or replaced"
        return [ChainBreak(head.entries, reason)]
    return []


def head_path(store_path: Path) -> Path:
    """Where a store's chain head is kept: a file beside the store."""
    return store_path.with_name(store_path.name + HEAD_SUFFIX)


def read_head(path: Path) -> Head | None:
    """The head kept in `path`, None if there is none; ValueError if it is unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path} cannot be read: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("entries"), int):
        raise ValueError(f"{path} is not an audit head")
    return Head(data["entries"], str(data.get("hash", "")))


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock beside `path` (POSIX), so two processes move the head in turn."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: writes are still atomic
        yield
        return
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def write_head(path: Path, head: Head) -> None:
    """Replace the head kept in `path` with `head`, durably.

    Written to a temporary file, fsynced and renamed over the old one (then the folder
    fsynced), so a power cut leaves the old head or the new one, never half of either.
    """
    text = json.dumps({"entries": head.entries, "hash": head.hash, "at": _stamp(utcnow())})
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    with contextlib.suppress(OSError):  # not every platform can fsync a folder
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _continues(session: Session, kept: Head, head: Head) -> bool:
    """Whether `head` lies further along the same chain as `kept`."""
    if head.entries <= kept.entries:
        return False
    if kept.entries == 0:
        return True
    entry = session.exec(select(AuditEvent).where(AuditEvent.seq == kept.entries)).first()
    return entry is not None and entry.hash == kept.hash


def next_head(session: Session, path: Path) -> Head | None:
    """The head to keep in `path` once this session commits, None to leave it as it is.

    Only forwards along the same chain: when entries were deleted from the end (or the
    end replaced), the head kept is left as it is, so the evidence stays until someone
    has seen it (`audit verify`) and an admin deals with it.
    """
    try:
        kept = read_head(path)
    except ValueError:
        kept = None  # unreadable: verify reports it; start again from the store
    head = head_of(session)
    return head if kept is None or _continues(session, kept, head) else None


def move_head(path: Path, head: Head) -> None:
    """Write `head` to `path` unless another process has already moved it as far."""
    with _locked(path):
        try:
            kept = read_head(path)
        except ValueError:
            kept = None
        if kept is None or kept.entries < head.entries:
            write_head(path, head)


def keep_head(engine: Engine, path: Path) -> None:
    """Keep the head of the chain in `engine`'s database in the file `path`, from now on."""
    _HEAD_FILES[engine] = path


@sa_event.listens_for(Session, "before_commit")
def _find_head(session: Session) -> None:
    """Read the head the commit will leave (in the transaction: after_commit cannot query)."""
    if not session.info.get(_APPENDED):
        return
    engine = session.get_bind()
    if isinstance(engine, Engine) and (path := _HEAD_FILES.get(engine)) is not None:
        session.flush()
        session.info[_APPENDED] = (path, next_head(session, path))


@sa_event.listens_for(Session, "after_commit")
def _move_head(session: Session) -> None:
    pending = session.info.pop(_APPENDED, None)
    if isinstance(pending, tuple) and pending[1] is not None:
        move_head(*pending)


@sa_event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_APPENDED, None)
