"""The head of the audit chain (how many entries, the last hash), kept outside the store.

Deleting the newest audit entries breaks no hash, so the head is also kept in a small
file beside the store (`head_path`). It is rewritten after every commit that appended
entries (security.audit marks the session), durably: a temporary file fsynced and
renamed over the old one. It moves only forwards along the same chain: after entries
were deleted from the end, or the end replaced, the file keeps the old head, so the
evidence stays until `audit verify` has shown it. A file that went missing while the
chain held entries is made again marked as remade (`Head.remade_after`: how many entries
there were then), and the mark stays: entries deleted from the end before it was remade
cannot be ruled out by it, only by a head kept elsewhere (the hub's, sync.push).

Why after every commit rather than at close: a terminal may lose power or be killed at
any moment, and a head written only at close would then lag behind whatever happened
since the last close. The cost is one small write and fsync per commit that appended
audit entries, the same order as the store's own commit (synchronous=FULL).
"""

from __future__ import annotations

import contextlib
import json
import os
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from firstresponse.records import AuditEvent

GENESIS = "0" * 64
HEAD_SUFFIX = ".audit-head"
_APPENDED = "firstresponse.audit.appended"  # session.info: entries added, head to move
_HEAD_FILES: weakref.WeakKeyDictionary[Engine, Path] = weakref.WeakKeyDictionary()


_FIRST = "firstresponse.audit.first_appended"  # session.info: the first entry it appended


def mark_appended(session: Session, seq: int | None = None) -> None:
    """Note that `session` appended audit entries (the first numbered `seq`): the head
    moves when it commits."""
    session.info[_APPENDED] = True
    if seq is not None:
        session.info.setdefault(_FIRST, seq)


@dataclass(frozen=True)
class Head:
    """The end of a chain: how many entries (the last sequence number) and the last hash;
    for a head file made again after it went missing, how many entries there were then
    and when (`remade_after`, `remade_at`)."""

    entries: int
    hash: str
    remade_after: int = 0
    remade_at: str = ""


def head_of(session: Session) -> Head:
    """The head of the chain held in this database (0 entries and GENESIS when empty)."""
    last = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq).desc()).limit(1)).first()
    return Head(last.seq or 0, last.hash) if last else Head(0, GENESIS)


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
    remade = data.get("remade_after", 0)
    return Head(
        data["entries"],
        str(data.get("hash", "")),
        remade if isinstance(remade, int) else 0,
        str(data.get("remade_at", "")),
    )


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

    A power cut leaves the old head or the new one, never half of either.
    """
    at = datetime.now(UTC).replace(microsecond=0).isoformat()
    fields: dict[str, object] = {"entries": head.entries, "hash": head.hash, "at": at}
    if head.remade_after:
        fields |= {"remade_after": head.remade_after, "remade_at": head.remade_at or at}
    text = json.dumps(fields)
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
    has seen it (`audit verify`) and an admin deals with it. A missing file is made
    again, marked as remade if the chain held entries before this session's.
    """
    try:
        kept = read_head(path)
    except ValueError:
        kept = None  # unreadable: verify reports it; start again from the store
    head = head_of(session)
    if kept is None:
        before = int(session.info.get(_FIRST, 1)) - 1
        now = datetime.now(UTC).replace(microsecond=0).isoformat()
        return replace(head, remade_after=before, remade_at=now) if before > 0 else head
    if not _continues(session, kept, head):
        return None
    return replace(head, remade_after=kept.remade_after, remade_at=kept.remade_at)


def move_head(path: Path, head: Head) -> None:
    """Write `head` to `path` unless another process has already moved it as far (a mark
    of the file having been remade is kept)."""
    with _locked(path):
        try:
            kept = read_head(path)
        except ValueError:
            kept = None
        if kept is not None and kept.remade_after and not head.remade_after:
            head = replace(head, remade_after=kept.remade_after, remade_at=kept.remade_at)
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
    session.info.pop(_FIRST, None)
    pending = session.info.pop(_APPENDED, None)
    if isinstance(pending, tuple) and pending[1] is not None:
        move_head(*pending)


@sa_event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_APPENDED, None)
    session.info.pop(_FIRST, None)
