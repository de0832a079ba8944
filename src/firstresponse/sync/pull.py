"""Pull assignments, briefings, lookup changes and the records about incidents that other
terminals filed (orders, submitted assessments, decisions, reviews, follow-through
records) from the hub into the local store.

Each page is applied and its cursor saved in one transaction, so a crash repeats a
page (harmless: applying is an upsert) and never skips one. A local record with
changes still waiting in the outbox is never overwritten by the hub's older copy; the
version the hub holds of every record a page carries is kept either way, so a change
made here goes out as the version after it (store.outbox.next_version).

A record that refers to one this terminal does not hold yet (a child whose person, an
assessment whose incident, arrives in a later page, or never from an older hub) is not
dropped: it waits in `pulled_waiting` and is filed, parents first, after each page that
brings what it refers to, in that page's transaction. Only a real clash with a local
record (a reference held by another of its kind here) keeps the local one.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Any

from pydantic import ValidationError
from pydantic_core import to_jsonable_python
from sqlalchemy import func
from sqlalchemy import select as core_select
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, SQLModel, col, select

from firstresponse.records import HubVersion, Kind, OutboxItem, table_of
from firstresponse.records.kinds import MODELS
from firstresponse.records.terminal import PulledWaiting
from firstresponse.store import Store
from firstresponse.store.outbox import PENDING, note_hub_versions
from firstresponse.sync.client import HubClient
from firstresponse.sync.feed import BATCH as BATCH  # the batch entries' kind (hub.history_import)
from firstresponse.sync.feed import (
    AssignmentChange,
    BatchBody,
    BriefingChange,
    Change,
    LookupChange,
    RecordBody,
)
from firstresponse.sync.protocol import PullResponse
from firstresponse.sync.state import get_cursor, set_cursor

log = logging.getLogger(__name__)

#: The kinds the hub's feed sends terminals (hub.feed): every record kind but the hub's
#: own notifications and audit entries; anything else in a page is ignored.
PULLED = frozenset(MODELS) - {Kind.NOTIFICATION, Kind.AUDIT}
#: Versions as a feed body tells them (`Body.versions`).
Versions = dict[str, Any]


class Outcome(StrEnum):
    """What became of one pulled record."""

    FILED = "filed"
    WAITING = "waiting"  # refers to a record not held yet: kept in pulled_waiting
    KEPT_LOCAL = "kept local"  # unsent changes here, or a clash with a local record
    UNREAD = "unread"  # a kind this terminal does not file, or fields it cannot read


def _unsent(db: Session, record_id: str) -> bool:
    query = select(OutboxItem.id).where(
        OutboxItem.record_id == record_id, col(OutboxItem.status) == PENDING
    )
    return db.exec(query).first() is not None


def _version(versions: Versions, record_id: str) -> int:
    found = versions.get(record_id)
    return found if type(found) is int else 0


def _missing_parent(db: Session, record: SQLModel) -> str:
    """The first record `record` refers to that this store does not hold, as "table:id",
    or "" when it holds them all (read from the table's foreign keys, not its errors)."""
    for fk in sorted(table_of(type(record)).foreign_keys, key=lambda fk: fk.parent.name):
        value = getattr(record, fk.parent.name, None)
        if value is None or value == "":
            continue
        held = db.execute(core_select(fk.column).where(fk.column == value).limit(1)).first()
        if held is None:
            return f"{fk.column.table.name}:{value}"
    return ""


def _older(version: int, than: int) -> bool:
    """Whether a copy of `version` is known to be older than one of `than` (0: not told)."""
    return 0 < version < than


def _wait(db: Session, kind: str, data: dict[str, Any], version: int, waits_for: str) -> None:
    record_id = str(data["id"])
    waiting = db.get(PulledWaiting, record_id)
    if waiting is not None and _older(version, waiting.version):
        return  # a newer copy already waits
    if waiting is None:
        waiting = PulledWaiting(record_id=record_id, kind=kind, waits_for=waits_for)
        log.info("pulled %s %s waits for %s", kind, record_id[:8], waits_for)
    waiting.kind, waiting.version, waiting.waits_for = kind, version, waits_for
    waiting.body = to_jsonable_python(data)
    db.add(waiting)
    db.flush()


def _done_waiting(db: Session, record_id: str, version: int) -> None:
    """Forget the waiting copy of a record the hub's copy of `version` was settled for,
    unless the one waiting is newer (it still files when its parent arrives)."""
    waiting = db.get(PulledWaiting, record_id)
    if waiting is not None and not _older(version, waiting.version):
        db.delete(waiting)
        db.flush()


def file_record(db: Session, kind: str, data: dict[str, Any] | None, version: int = 0) -> Outcome:
    """File the hub's copy of a record unless this terminal has unsent changes to it; one
    that refers to a record not held yet waits (`pulled_waiting`) rather than being lost."""
    if kind not in PULLED or not data or not data.get("id"):
        return Outcome.UNREAD
    model = MODELS[Kind(kind)]
    try:
        record = model.model_validate(data)
    except ValidationError:
        log.warning("pulled %s %s not read: its fields do not validate", kind, data.get("id"))
        return Outcome.UNREAD
    record_id: str = record.id  # type: ignore[attr-defined]
    if _unsent(db, record_id):
        _done_waiting(db, record_id, version)
        return Outcome.KEPT_LOCAL
    missing = _missing_parent(db, record)
    if missing:
        _wait(db, kind, data, version, missing)
        return Outcome.WAITING
    try:
        with db.begin_nested():
            current = db.get(model, record_id)
            if current is None:
                db.add(record)
            else:
                for name in model.model_fields:
                    setattr(current, name, getattr(record, name))
            db.flush()
    except SQLAlchemyError as exc:  # its parents are held: a clash with a local record
        log.warning(
            "pulled %s %s clashes with a local record, kept the local one: %s",
            kind,
            record_id[:8],
            type(exc).__name__,
        )
        _done_waiting(db, record_id, version)
        return Outcome.KEPT_LOCAL
    _done_waiting(db, record_id, version)
    return Outcome.FILED


def upsert(db: Session, kind: str, data: dict[str, Any] | None, version: int = 0) -> bool:
    """Write the hub's copy of a record unless this terminal has unsent changes to it;
    whether it was filed (one waiting for its parent is kept: `file_record`)."""
    return file_record(db, kind, data, version) is Outcome.FILED


#: Parents before the records that refer to them (the tables in foreign-key order).
_ORDER = {table.name: rank for rank, table in enumerate(SQLModel.metadata.sorted_tables)}


def _rank(kind: str) -> int:
    model = MODELS.get(Kind(kind)) if kind in PULLED else None
    return _ORDER.get(str(table_of(model).name), len(_ORDER)) if model else len(_ORDER)


_CHUNK = 500  # ids asked about at once (well under SQLite's bound parameters)


def _held_of(db: Session, table_name: str, ids: set[str]) -> set[str]:
    """Which of `ids` the table `table_name` holds (all of them when it cannot be told)."""
    table = SQLModel.metadata.tables.get(table_name)
    keys = list(table.primary_key.columns) if table is not None else []
    if len(keys) != 1:
        return ids
    wanted, found = sorted(ids), set[str]()
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        found.update(
            str(v) for v in db.execute(core_select(keys[0]).where(keys[0].in_(chunk))).scalars()
        )
    return found


def _parent(row: PulledWaiting) -> tuple[str, str]:
    table_name, _, ident = row.waits_for.partition(":")
    return table_name, ident


def _ready(db: Session) -> list[PulledWaiting]:
    """The waiting records whose parent named in `waits_for` is held now, parents first."""
    rows = db.exec(select(PulledWaiting)).all()
    wanted: dict[str, set[str]] = {}
    for row in rows:
        table_name, ident = _parent(row)
        wanted.setdefault(table_name, set()).add(ident)
    held = {name: _held_of(db, name, ids) for name, ids in wanted.items()}
    ready = [row for row in rows if _parent(row)[1] in held[_parent(row)[0]]]
    return sorted(ready, key=lambda w: (_rank(w.kind), w.since))


def file_waiting(db: Session) -> int:
    """File the waiting records whose parents are held now, parents first, until no more
    can be; returns how many were settled (filed, kept local on a clash, or let go for a
    newer copy the hub is known to hold). Each is filed as any pulled record is
    (`file_record`): one that still refers to a record not held waits on, for that one."""
    settled = 0
    while True:
        progress = 0
        for row in _ready(db):
            known = db.get(HubVersion, row.record_id)
            if known is not None and _older(row.version, known.version):
                log.info("pulled %s %s: a newer copy came since", row.kind, row.record_id[:8])
                db.delete(row)  # it filed, or was kept local, or was sent from here
                db.flush()
                progress += 1
                continue
            outcome = file_record(db, row.kind, dict(row.body), row.version)
            if outcome in (Outcome.FILED, Outcome.KEPT_LOCAL):
                progress += 1
        settled += progress
        if not progress:
            return settled


def waiting_count(db: Session) -> int:
    """How many pulled records wait for a record they refer to."""
    return int(db.exec(select(func.count()).select_from(PulledWaiting)).one())


def _file(db: Session, kind: str, data: dict[str, Any] | None, versions: Versions) -> None:
    if data and data.get("id"):
        file_record(db, kind, data, _version(versions, str(data["id"])))


def _file_lookup(db: Session, body: RecordBody, versions: Versions | None = None) -> None:
    """File one record the lookup topic carries, with the people and incident it names."""
    told = {**(versions or {}), **body.versions}
    for person in body.people:
        _file(db, Kind.PERSON, person, told)
    _file(db, Kind.INCIDENT, body.incident, told)  # what a follow-through record refers to
    _file(db, body.kind, body.record, told)


def _file_batch(db: Session, body: BatchBody) -> None:
    """File a batch (an import's records, `hub.history_import`): the people it carries,
    then each record as its own entry would be filed, in order."""
    for person in body.people:
        _file(db, Kind.PERSON, person, body.versions)
    for item in body.records:
        _file_lookup(db, item, body.versions)


def apply(db: Session, entry: Change) -> None:
    """Apply one feed entry to the local store (a record whose parent is not held yet
    waits: `file_waiting` files it once it is)."""
    match entry:
        case LookupChange(body=BatchBody() as batch):
            _file_batch(db, batch)
        case LookupChange(body=RecordBody() as one):
            _file_lookup(db, one)
        case BriefingChange(body=briefing):
            for person in briefing.people:
                _file(db, Kind.PERSON, person, briefing.versions)
            _file(db, Kind.INCIDENT, briefing.incident, briefing.versions)
            for child in briefing.children:
                _file(db, Kind.CHILD, child, briefing.versions)
        case AssignmentChange(body=sent):
            _file(db, Kind.ASSIGNMENT, sent.assignment, sent.versions)


def hub_versions(changes: list[Change]) -> dict[str, int]:
    """The newest version the hub holds of each record the entries carry (their bodies'
    "versions"; a hub before them sends none)."""
    found: dict[str, int] = {}
    for entry in changes:
        for record_id, version in entry.body.versions.items():
            if type(version) is int and version > found.get(record_id, 0):
                found[record_id] = version
    return found


def cursor_name(collar: str) -> str:
    """Each officer reads the feed from their own position: what the hub sends depends on
    who is signed in, so a shared laptop's next officer must not start where the last one
    stopped (their entries before that point would never arrive)."""
    return f"pull:{collar}" if collar else "pull"


def file_page(db: Session, page: PullResponse, name: str) -> None:
    """Apply a page, file what waited for the records it brought, and move the cursor
    `name` past it (one transaction: the caller's, so nothing waiting is lost)."""
    for change in page.changes:
        apply(db, change)
    note_hub_versions(db, hub_versions(page.changes))
    file_waiting(db)
    waiting = waiting_count(db)
    if waiting:
        log.info("pulled records waiting for a record they refer to: %d", waiting)
    set_cursor(db, page.cursor, name)


def pull_changes(store: Store, client: HubClient, limit: int = 200, max_pages: int = 100) -> int:
    """Fetch and apply pages until the feed is exhausted; returns how many entries."""
    count, name = 0, cursor_name(client.collar)
    for _ in range(max_pages):
        with store.session() as db:
            cursor = get_cursor(db, name)
        page = client.pull(cursor, limit)
        with store.session() as db:
            file_page(db, page, name)
        count += len(page.changes)
        if not page.more:
            break
    return count
