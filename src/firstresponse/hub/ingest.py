"""Idempotent ingest of pushed envelopes, answered item by item, a batch at a time.

accepted  - stored now (exactly one row per record id and version, enforced by a
            unique constraint, so resending a batch or racing hubs cannot duplicate it)
duplicate - the hub already holds this id and version with the same content hash
conflict  - the hub holds this id and version with different content (409, with its copy)
rejected  - the envelope cannot be stored (422, with the reason)

Known kinds are also written into the record tables in the same transaction. A record
whose parent (say, the incident of a child) has not arrived yet is kept and written as
soon as the parent arrives; an older version never overwrites a newer one.

A batch costs a fixed handful of statements whatever its size: one query for what the
hub already holds (which also gives the newest versions written), one per record table
for the parents present, then one executemany INSERT each for the envelopes, each record
table and the change feed (its readers and versions: up to three queries, `feed.for_stored`). If
a concurrent hub stored some of the same envelopes first (a unique violation), the
batch is answered again against what is now stored; any other database error falls
back to storing item by item, so one bad record is rejected and the rest go in.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import ValidationError
from sqlalchemy import bindparam, exists, literal, or_, union_all, update
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlmodel import Session, SQLModel, select

from firstresponse.hub import authorise, bulk, feed, notices, versions
from firstresponse.hub.attest import Authors
from firstresponse.hub.auth import Principal
from firstresponse.hub.db import lock_records, serialise_audit
from firstresponse.hub.id_lists import in_ids, listed
from firstresponse.hub.kinds import KINDS, ORDER, KindSpec
from firstresponse.hub.models import HubEnvelope
from firstresponse.lookup.autoindex import PENDING
from firstresponse.lookup.index import file_new_people
from firstresponse.lookup.keys import PersonFacts
from firstresponse.records import AuditEvent, Kind, User, canonical_json, limits, table_of, utcnow
from firstresponse.records.base import legacy_canonical_json
from firstresponse.security import audit
from firstresponse.sync.protocol import Envelope, ItemResult

RACE_RETRIES = 3
ENVELOPES: Any = table_of(HubEnvelope)


@dataclass
class Item:
    """A validated envelope with its record, ready to store."""

    env: Envelope
    spec: KindSpec
    record: Any
    canonical: str
    user: User  # the officer it is written as, and authorised as (hub.authorise)
    seq: int | None = None  # the stored envelope row, for a record that waited
    waits_for: str | None = None
    materialised: bool = False

    @property
    def missing(self) -> str:
        """The parent it waits for as "kind:id", or ""."""
        for table, value in _parents(self):
            if value == self.waits_for:
                return f"{table}:{value}"
        return f"record:{self.waits_for}" if self.waits_for else ""

    @property
    def key(self) -> tuple[str, int]:
        return (self.env.id, self.env.version)


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'body'}: {err['msg']}"
            for err in exc.errors()
        )
    if isinstance(exc, SQLAlchemyError) and getattr(exc, "orig", None) is not None:
        return f"could not be stored: {str(exc.orig).splitlines()[0]}"  # type: ignore[attr-defined]
    return f"could not be stored: {exc}"


def _result(
    env: Envelope,
    status: str,
    code: int,
    reason: str = "",
    copy: Any = None,
    author: str = "",
    waits_for: str = "",
) -> ItemResult:
    return ItemResult(
        id=env.id,
        version=env.version,
        status=status,
        code=code,
        reason=reason,
        hub_copy=copy,
        author=author,
        waits_for=waits_for,
    )


def _copy(row: Any) -> Envelope:
    return Envelope(
        id=row.record_id,
        kind=row.kind,
        version=row.version,
        content_hash=row.content_hash,
        body=json.loads(row.body),
    )


def _hashed_text(env: Envelope) -> str | None:
    """The canonical text of the body whose SHA-256 is `content_hash`, if either form is.

    Terminals of earlier versions hashed the standard library's text, which differs only
    in how very small floats are written.
    """
    for write in (canonical_json, legacy_canonical_json):
        text = write(env.body)
        if hashlib.sha256(text.encode("utf-8")).hexdigest() == env.content_hash:
            return text
    return None


def _prepare(env: Envelope, authors: Authors) -> Item | str:
    """The validated item, written and authorised as its attested author (hub.attest),
    or why it is rejected."""
    spec = KINDS.get(env.kind)
    if spec is None:
        return f"unknown kind {env.kind!r}; the hub accepts {', '.join(KINDS)}"
    if unknown := spec.unknown(env.body):
        return f"{env.kind} is not valid: {unknown} (a {env.kind} has no such field)"
    if out_of_bounds := limits.problems(spec.table, env.body):
        return f"{env.kind} is not valid: {'; '.join(out_of_bounds)}"
    author = authors.principal(env)
    if isinstance(author, str):
        return f"refused: {author}"
    canonical = _hashed_text(env)
    if canonical is None:
        return "content_hash does not match the body (altered or corrupted in transit)"
    if env.body.get("id") != env.id:
        return "body.id must equal the envelope id"
    try:
        record = spec.body.model_validate(env.body)
    except (ValidationError, ValueError, TypeError) as exc:
        return f"{env.kind} is not valid: {_reason(exc)}"
    return Item(env=env, spec=spec, record=record, canonical=canonical, user=author.user)


# Statements built once, each taking its id list as one parameter (hub.id_lists).
_SEQS: Any = bindparam("ids", expanding=True)
_EXISTING = select(  # type: ignore[call-overload]
    ENVELOPES.c.record_id,
    ENVELOPES.c.kind,
    ENVELOPES.c.version,
    ENVELOPES.c.content_hash,
    ENVELOPES.c.body,
    ENVELOPES.c.materialised,
    ENVELOPES.c.pushed_by,
    ENVELOPES.c.waits_for,
).where(in_ids(ENVELOPES.c.record_id))
_WAITING = select(ENVELOPES).where(in_ids(ENVELOPES.c.waits_for))


@cache
def _present_query(table_names: tuple[str, ...]) -> Any:
    """(table name, id) of the ids bound as ids_0, ids_1, ... held by each table, in one query."""
    parts = []
    for n, name in enumerate(table_names):
        table = SQLModel.metadata.tables[name]
        parts.append(select(literal(name), table.c.id).where(in_ids(table.c.id, f"ids_{n}")))
    return union_all(*parts)


def _existing(db: Session, ids: set[str]) -> dict[tuple[str, int], Any]:
    """Every stored envelope of these record ids, by (id, version), in one query per chunk."""
    return {
        (row.record_id, row.version): row for row in db.execute(_EXISTING, {"ids": listed(ids)})
    }


def _compare(item: Item, row: Any) -> ItemResult:
    if row.content_hash == item.env.content_hash:
        item.waits_for = row.waits_for
        waits = item.missing if row.waits_for else ""
        return _result(item.env, "duplicate", 200, author=row.pushed_by, waits_for=waits)
    return _result(
        item.env,
        "conflict",
        409,
        f"the hub already holds version {row.version} of this {row.kind} with different content",
        _copy(row),
    )


def _parents(item: Item) -> list[tuple[str, str]]:
    """(table, id) of every record this one refers to."""
    out = []
    for column, table in item.spec.parents:
        value = getattr(item.record, column, None)
        if value:
            out.append((table, value))
    return out


def _present(db: Session, wanted: dict[str, set[str]]) -> dict[str, set[str]]:
    """Which of the wanted ids each record table holds."""
    found: dict[str, set[str]] = defaultdict(set)
    names = tuple(sorted(wanted))
    if names:
        params = {f"ids_{n}": listed(wanted[name]) for n, name in enumerate(names)}
        for name, record_id in db.execute(_present_query(names), params):
            found[name].add(record_id)
    return found


def _newest_written(existing: dict[tuple[str, int], Any]) -> dict[str, int]:
    """The newest version of each record written to its record table, from `_existing`."""
    found: dict[str, int] = {}
    for (record_id, version), row in existing.items():
        if row.materialised and version > found.get(record_id, 0):
            found[record_id] = version
    return found


@dataclass
class Plan:
    """What materialising a set of items writes, table by table, parents first."""

    inserts: dict[str, dict[str, dict[str, Any]]]  # kind -> record id -> column values
    updates: dict[str, dict[str, dict[str, Any]]]
    audits: list[Item]
    stored: list[tuple[str, Any]]  # (kind, record) in write order, for the change feed
    written: list[str]  # record ids written
    versions: dict[str, int]  # record id -> the version written


def plan(db: Session, items: list[Item], newest: dict[str, int] | None = None) -> Plan:
    """Decide which items to write and which must wait for a parent.

    Sets `waits_for` (the first missing parent's id) and `materialised` on every item;
    an item that is older than the version already written (`newest`, read here unless
    given) is kept as history only.
    """
    items = sorted(items, key=lambda i: ORDER[i.spec.name])
    wanted: dict[str, set[str]] = defaultdict(set)
    for item in items:
        wanted[item.spec.table].add(item.env.id)
        for table_name, value in _parents(item):
            wanted[table_name].add(value)
    present = _present(db, wanted)
    if newest is None:
        newest = versions.newest(db, {item.env.id for item in items})
    out = Plan(defaultdict(dict), defaultdict(dict), [], [], [], {})
    for item in items:
        missing = [value for table, value in _parents(item) if value not in present[table]]
        item.waits_for = missing[0] if missing else None
        item.materialised = not missing
        if missing or newest.get(item.env.id, 0) > item.env.version:
            continue  # waits for its parent, or kept as history under a newer version
        newest[item.env.id] = out.versions[item.env.id] = item.env.version
        out.stored.append((item.spec.name, item.record))
        out.written.append(item.env.id)
        table = item.spec.table
        if item.spec.model is AuditEvent:
            out.audits.append(item)
        elif item.env.id in out.inserts[item.spec.name]:
            out.inserts[item.spec.name][item.env.id] = item.spec.values(item.record)
        elif item.env.id in present[table]:
            out.updates[item.spec.name][item.env.id] = item.spec.values(item.record)
        else:
            out.inserts[item.spec.name][item.env.id] = item.spec.values(item.record)
        present[table].add(item.env.id)
    return out


def execute(db: Session, work: Plan, device: str) -> list[dict[str, Any]]:
    """Write a plan: record tables kind by kind (parents first). Returns its change-feed
    entries, for the caller to hand to the feed once its savepoint has stood (feed.write)."""
    raised = notices.due(db, work.stored)
    for kind in KINDS:
        spec = KINDS[kind]
        table: Any = table_of(spec.model)
        if work.inserts.get(kind):
            rows = [values for _, values in sorted(work.inserts[kind].items())]
            bulk.insert_rows(db, table, rows)
        for record_id, values in work.updates.get(kind, {}).items():
            db.execute(update(table).where(table.c.id == record_id).values(**values))
    for item in work.audits:
        _write_audit(db, item, device)
    notices.write(db, raised)
    _file_people(db, work)
    return feed.for_stored(db, work.stored, work.versions)


def _file_people(db: Session, work: Plan) -> None:
    """The people a plan writes, in the lookup index, in the same transaction.

    People new to the hub (the usual case) are filed at once from the records in hand: no
    keys or aliases of theirs exist to delete or read. A new version of a person the hub
    held is queued for the index's own refile at commit (lookup.autoindex: it reads the
    person's aliases), which cannot see rows written with core statements by itself.
    """
    people = {record.id: record for kind, record in work.stored if kind == Kind.PERSON}
    if not people:  # by id, the version written last (a batch may carry two of one person)
        return
    inserted = work.inserts.get(Kind.PERSON, {})
    new = [
        PersonFacts(p.id, p.forename, p.surname, p.dob, p.phone, p.postcode, p.address)
        for p in people.values()
        if p.id in inserted
    ]
    file_new_people(db, new)
    if changed := [pid for pid in people if pid not in inserted]:
        db.info.setdefault(PENDING, set()).update(changed)


def _write_audit(db: Session, item: Item, device: str) -> None:
    """A terminal's audit event, appended to the hub's own hash chain."""
    event = item.record
    serialise_audit(db)
    audit.record(
        db,
        event.actor,
        event.action,
        event.subject_kind,
        event.subject_id,
        device=device,
        terminal_event=event.id,
        terminal_seq=event.seq,  # the terminal's chain head, as far as it has synced
        terminal_hash=event.hash,
        terminal_at=event.at.isoformat() if event.at else "",
        original=event.detail,
    )
    db.flush()


def _store(
    db: Session, principal: Principal, items: list[Item], newest: dict[str, int]
) -> tuple[list[str], list[dict[str, Any]]]:
    """Insert the envelopes and write their records; raises on any database error.

    Returns the record ids written and their change-feed entries."""
    work = plan(db, items, newest)
    now = utcnow()
    rows = [
        {
            "record_id": item.env.id,
            "kind": item.env.kind,
            "version": item.env.version,
            "content_hash": item.env.content_hash,
            "body": item.canonical,
            "device_id": principal.device.id,
            "pushed_by": item.user.collar,
            "sent_by": principal.user.collar,
            "materialised": item.materialised,
            "waits_for": item.waits_for,
            "received_at": now,
        }
        for item in sorted(items, key=lambda item: item.key)  # one lock order for every hub
    ]
    bulk.insert_rows(db, ENVELOPES, rows)
    return work.written, execute(db, work, principal.device.name)


def _item_from_row(row: Any, users: dict[str, User]) -> Item | None:
    spec = KINDS.get(row.kind)
    if spec is None:
        return None
    body = json.loads(row.body)
    try:  # stored before bodies were strict, a row may hold fields no kind declares
        record = spec.body.model_validate({k: v for k, v in body.items() if k in spec.fields})
    except ValidationError:
        return None
    env = Envelope.model_construct(
        id=row.record_id,
        kind=row.kind,
        version=row.version,
        content_hash=row.content_hash,
        body=body,
    )
    user = users.get(row.pushed_by) or User(collar=row.pushed_by, name="", role="")
    return Item(env=env, spec=spec, record=record, canonical=row.body, user=user, seq=row.seq)


def _writers(db: Session, collars: set[str]) -> dict[str, User]:
    """The officers waiting records were pushed as, as they were then: signed in.

    Their records are judged on their role (hub.authorise), not on whether they are still
    signed in or unlocked now, so a record is not lost because its author went off duty.
    """
    query = select(User).where(User.collar.in_(sorted(collars)))  # type: ignore[attr-defined]
    return {
        user.collar: user.model_copy(update={"active": True, "locked": False})
        for user in db.exec(query)
    }


def _waiting_for(db: Session, arrived: list[str]) -> list[Item]:
    rows: list[Any] = list(db.execute(_WAITING, {"ids": listed(arrived)}))
    if not rows:
        return []
    rows.sort(key=lambda row: row.seq)
    users = _writers(db, {row.pushed_by for row in rows})
    return [item for row in rows if (item := _item_from_row(row, users)) is not None]


def _judge(
    db: Session, items: dict[int, Item], existing: dict[tuple[str, int], Any]
) -> dict[int, str]:
    """Authorise items (parents first) against what the hub holds; why each refused one is."""
    ordered = sorted(items.items(), key=lambda pair: ORDER[pair[1].spec.name])
    holding = authorise.load(db, [(i.spec.name, i.record) for _, i in ordered], existing)
    refused = {}
    for index, item in ordered:
        verdict = authorise.authorise(
            item.user, item.spec.name, item.record, item.env.version, holding
        )
        if not verdict.allowed:
            refused[index] = verdict.reason
    return refused


def _refuse_waiting(db: Session, device: str, items: list[Item], refused: dict[int, str]) -> None:
    """Waiting records their incident's arrival shows were not their author's to write:
    they stop waiting and stay stored as sent, never written; the hub's audit says why."""
    if not refused:
        return
    db.execute(
        update(ENVELOPES).where(ENVELOPES.c.seq.in_(_SEQS)).values(waits_for=None),
        {"ids": [items[index].seq for index in refused]},
    )
    serialise_audit(db)
    for index, reason in refused.items():
        item = items[index]
        audit.record(
            db,
            item.user.collar,
            "sync.refused",
            item.spec.name,
            item.env.id,
            version=item.env.version,
            device=device,
            reason=reason,
        )


def retry_deferred(db: Session, device: str, arrived: list[str]) -> None:
    """Write records that were waiting for one of the `arrived` records, and so on down."""
    while arrived:
        waiting = _waiting_for(db, arrived)
        if not waiting:
            return
        lock_records(db, {item.env.id for item in waiting})
        items = _waiting_for(db, arrived)  # as they are now that no other hub writes them
        if not items:
            return
        try:
            with db.begin_nested():
                existing = _existing(db, {item.env.id for item in items})
                refused = _judge(db, dict(enumerate(items)), existing)
                _refuse_waiting(db, device, items, refused)
                items = [item for index, item in enumerate(items) if index not in refused]
                if not items:
                    return
                work = plan(db, items)
                db.execute(
                    update(ENVELOPES)
                    .where(ENVELOPES.c.seq == bindparam("row_seq"))
                    .values(
                        materialised=bindparam("row_materialised"),
                        waits_for=bindparam("row_waits_for"),
                    ),
                    [
                        {
                            "row_seq": item.seq,
                            "row_materialised": item.materialised,
                            "row_waits_for": item.waits_for,
                        }
                        for item in items
                    ],
                )
                entries = execute(db, work, device)
        except SQLAlchemyError:
            return  # they keep waiting; the next arrival tries again
        feed.write(db, entries)
        arrived = work.written


def sweep_stranded(db: Session, device: str) -> None:
    """Write records still waiting for a parent that has since been stored.

    Two transactions (or two hubs) can store a child and its parent at the same moment, each
    before it can see the other, so neither writes the child; every push sweeps them up.
    """
    tables = sorted({table for spec in KINDS.values() for _column, table in spec.parents})
    parent_stored = [
        exists().where(SQLModel.metadata.tables[name].c.id == ENVELOPES.c.waits_for)
        for name in tables
    ]
    query = (
        select(ENVELOPES.c.waits_for)
        .where(ENVELOPES.c.waits_for.is_not(None), or_(*parent_stored))
        .distinct()
    )
    arrived = sorted(db.execute(query).scalars())
    if arrived:
        retry_deferred(db, device, arrived)


def _attempt(db: Session, principal: Principal, fresh: dict[int, Item]) -> dict[int, ItemResult]:
    """Answer for `fresh` against what the hub holds now, storing the new ones together.

    Raises SQLAlchemyError (nothing of this attempt is kept) if storing fails.
    """
    results: dict[int, ItemResult] = {}
    ids = {item.env.id for item in fresh.values()}
    lock_records(db, ids)
    existing = _existing(db, ids)
    batch: dict[tuple[str, int], Item] = {}
    new: dict[int, Item] = {}
    for index, item in fresh.items():
        if item.key in existing:
            results[index] = _compare(item, existing[item.key])
        elif item.key in batch:
            first = batch[item.key]
            if first.env.content_hash == item.env.content_hash:
                results[index] = _result(item.env, "duplicate", 200)
            else:
                reason = "the batch holds two different copies of this record version"
                results[index] = _result(item.env, "conflict", 409, reason, first.env)
        else:
            batch[item.key] = item
            new[index] = item
    for index, reason in _judge(db, new, existing).items():
        results[index] = _result(new.pop(index).env, "rejected", 422, reason)
    if new:
        with db.begin_nested():
            _written, entries = _store(db, principal, list(new.values()), _newest_written(existing))
        feed.write(db, entries)
        results.update(
            {
                index: _result(
                    item.env, "accepted", 200, author=item.user.collar, waits_for=item.missing
                )
                for index, item in new.items()
            }
        )
    return results


def ingest(db: Session, principal: Principal, envelopes: list[Envelope]) -> list[ItemResult]:
    """Store a batch in the caller's transaction and answer for every envelope, in order.

    `principal` is whoever's session pushed the batch; each item is written and authorised
    as its attested author (hub.attest), who may be another officer of this device. Records
    that were waiting for one of them are written last (`sweep_stranded`).
    """
    results: dict[int, ItemResult] = {}
    fresh: dict[int, Item] = {}
    authors = Authors(db, principal)
    for index, env in enumerate(envelopes):
        prepared = _prepare(env, authors)
        if isinstance(prepared, str):
            results[index] = _result(env, "rejected", 422, prepared)
        else:
            fresh[index] = prepared
    stored = False
    for _ in range(RACE_RETRIES):
        try:
            results.update(_attempt(db, principal, fresh))
            stored = True
            break
        except IntegrityError:
            continue  # another hub stored some of them first: answer again
        except OperationalError:
            raise  # the database is unreachable or busy, not the records at fault: retry later
        except SQLAlchemyError:
            break
    if not stored:  # one at a time, so one bad record is rejected and the rest go in
        for index, item in fresh.items():
            results[index] = _store_one(db, principal, index, item)
    sweep_stranded(db, principal.device.name)
    return [results[index] for index in range(len(envelopes))]


def _store_one(db: Session, principal: Principal, index: int, item: Item) -> ItemResult:
    try:
        return _attempt(db, principal, {index: item})[index]
    except OperationalError:
        raise
    except SQLAlchemyError as exc:
        row = _existing(db, {item.env.id}).get(item.key)
        if row is not None:  # another hub stored it first
            return _compare(item, row)
        return _result(item.env, "rejected", 422, _reason(exc))
