"""Idempotent ingest of pushed envelopes, answered item by item.

accepted  - stored now (exactly one row per record id and version, enforced by a
            unique constraint, so resending a batch or racing hubs cannot duplicate it)
duplicate - the hub already holds this id and version with the same content hash
conflict  - the hub holds this id and version with different content (409, with its copy)
rejected  - the envelope cannot be stored (422, with the reason)

Known kinds are also written into the record tables in the same transaction. A record
whose parent (say, the incident of a child) has not arrived yet is kept and written as
soon as the parent arrives; an older version never overwrites a newer one.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, SQLModel, col, select

from firstresponse.hub import feed
from firstresponse.hub.auth import Principal
from firstresponse.hub.db import serialise_audit
from firstresponse.hub.kinds import KINDS, ORDER, KindSpec, may_push
from firstresponse.hub.models import HubEnvelope
from firstresponse.records import AuditEvent, canonical_json, content_hash
from firstresponse.security import audit
from firstresponse.sync.protocol import Envelope, ItemResult

DEFERRED_BATCH = 500


@dataclass
class Item:
    """A validated envelope with its record, ready to store."""

    env: Envelope
    spec: KindSpec
    record: Any
    canonical: str
    row: HubEnvelope | None = None


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
    env: Envelope, status: str, code: int, reason: str = "", copy: Any = None
) -> ItemResult:
    return ItemResult(
        id=env.id, version=env.version, status=status, code=code, reason=reason, hub_copy=copy
    )  # type: ignore[arg-type]


def _copy(row: HubEnvelope) -> Envelope:
    return Envelope(
        id=row.record_id,
        kind=row.kind,
        version=row.version,
        content_hash=row.content_hash,
        body=json.loads(row.body),
    )


def _prepare(env: Envelope, principal: Principal) -> Item | str:
    """The validated item, or why it is rejected."""
    spec = KINDS.get(env.kind)
    if spec is None:
        return f"unknown kind {env.kind!r}; the hub accepts {', '.join(KINDS)}"
    if not may_push(principal.user, spec):
        return f"{principal.user.collar} ({principal.user.role}) may not send {env.kind} records"
    canonical = canonical_json(env.body)
    if content_hash(env.body) != env.content_hash:
        return "content_hash does not match the body (altered or corrupted in transit)"
    if env.body.get("id") != env.id:
        return "body.id must equal the envelope id"
    try:
        record = spec.model.model_validate(env.body)
    except (ValidationError, ValueError, TypeError) as exc:
        return f"{env.kind} is not valid: {_reason(exc)}"
    return Item(env=env, spec=spec, record=record, canonical=canonical)


def _existing(db: Session, keys: list[tuple[str, int]]) -> dict[tuple[str, int], HubEnvelope]:
    ids = sorted({record_id for record_id, _ in keys})
    found: dict[tuple[str, int], HubEnvelope] = {}
    for start in range(0, len(ids), 500):
        query = select(HubEnvelope).where(col(HubEnvelope.record_id).in_(ids[start : start + 500]))
        for row in db.exec(query):
            found[(row.record_id, row.version)] = row
    return found


def _compare(item: Item, row: HubEnvelope) -> ItemResult:
    if row.content_hash == item.env.content_hash:
        return _result(item.env, "duplicate", 200)
    return _result(
        item.env,
        "conflict",
        409,
        f"the hub already holds version {row.version} of this {row.kind} with different content",
        _copy(row),
    )


def _store(db: Session, principal: Principal, items: list[Item]) -> list[str]:
    """Insert the envelopes and write their records; raises on any database error."""
    for item in items:
        item.row = HubEnvelope(
            record_id=item.env.id,
            kind=item.env.kind,
            version=item.env.version,
            content_hash=item.env.content_hash,
            body=item.canonical,
            device_id=principal.device.id,
            pushed_by=principal.user.collar,
        )
        db.add(item.row)
    db.flush()
    return materialise(db, items, principal.device.name)


def _present(db: Session, wanted: dict[str, set[str]]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for table_name, ids in wanted.items():
        table = SQLModel.metadata.tables[table_name]
        listed = sorted(ids)
        for start in range(0, len(listed), 500):
            query = select(table.c.id).where(table.c.id.in_(listed[start : start + 500]))
            found[table_name].update(db.execute(query).scalars())
    return found


def _parents(item: Item) -> list[tuple[str, str]]:
    """(table, id) of every record this one refers to."""
    out = []
    for fk in item.spec.model.__table__.foreign_keys:  # type: ignore[attr-defined]
        value = getattr(item.record, fk.parent.name, None)
        if value:
            out.append((fk.column.table.name, value))
    return out


def _newest(db: Session, ids: list[str]) -> dict[str, int]:
    query = (
        select(HubEnvelope.record_id, func.max(HubEnvelope.version))
        .where(col(HubEnvelope.materialised), col(HubEnvelope.record_id).in_(ids))
        .group_by(col(HubEnvelope.record_id))
    )
    return {record_id: version for record_id, version in db.execute(query)}


def materialise(db: Session, items: list[Item], device: str) -> list[str]:
    """Write each item's record when its parents are present and it is the newest version.

    An item whose parent is missing is kept with `waits_for` set to that parent's id.
    Returns the ids of the records written.
    """
    items = sorted(items, key=lambda i: ORDER[i.spec.name])
    wanted: dict[str, set[str]] = defaultdict(set)
    for item in items:
        for table_name, value in _parents(item):
            wanted[table_name].add(value)
    present = _present(db, wanted)
    newest = _newest(db, [i.env.id for i in items])
    by_model: dict[type, list[str]] = defaultdict(list)
    for item in items:
        by_model[item.spec.model].append(item.env.id)
    current: dict[str, Any] = {}
    for model, ids in by_model.items():
        if model is not AuditEvent:
            query: Any = select(model).where(col(model.id).in_(ids))  # type: ignore[attr-defined]
            current.update((row.id, row) for row in db.exec(query))
    written: list[str] = []
    kind = ""
    for item in items:
        assert item.row is not None
        if item.spec.name != kind:
            db.flush()  # parents are written before the children that refer to them
            kind = item.spec.name
        missing = [value for table, value in _parents(item) if value not in present[table]]
        item.row.waits_for = missing[0] if missing else None
        if missing:
            continue
        if newest.get(item.env.id, 0) <= item.env.version:
            current[item.env.id] = _write(db, item, device, current.get(item.env.id))
            newest[item.env.id] = item.env.version
            present[str(item.spec.model.__tablename__)].add(item.env.id)
            written.append(item.env.id)
        item.row.materialised = True  # an older version is kept as history only
    db.flush()
    return written


def _write(db: Session, item: Item, device: str, current: Any) -> Any:
    """Insert or update the item's record (`current` is the stored row, if any)."""
    if item.spec.model is AuditEvent:
        event = item.record
        serialise_audit(db)
        return audit.record(
            db,
            event.actor,
            event.action,
            event.subject_kind,
            event.subject_id,
            device=device,
            terminal_event=event.id,
            terminal_at=event.at.isoformat() if event.at else "",
            original=event.detail,
        )
    if current is None:
        db.add(item.record)
        current = item.record
    else:
        for name in item.spec.model.model_fields:
            setattr(current, name, getattr(item.record, name))
    with db.no_autoflush:
        feed.on_materialised(db, item.spec.name, current)
    return current


def _item_from_row(row: HubEnvelope) -> Item | None:
    spec = KINDS.get(row.kind)
    if spec is None:
        return None
    body = json.loads(row.body)
    try:
        record = spec.model.model_validate(body)
    except ValidationError:
        return None
    env = Envelope(
        id=row.record_id,
        kind=row.kind,
        version=row.version,
        content_hash=row.content_hash,
        body=body,
    )
    return Item(env=env, spec=spec, record=record, canonical=row.body, row=row)


def retry_deferred(db: Session, device: str, arrived: list[str]) -> None:
    """Write records that were waiting for one of the `arrived` records, and so on down."""
    while arrived:
        rows: list[HubEnvelope] = []
        for start in range(0, len(arrived), 500):
            chunk = arrived[start : start + 500]
            query = select(HubEnvelope).where(col(HubEnvelope.waits_for).in_(chunk))
            rows.extend(db.exec(query.order_by(col(HubEnvelope.seq))))
        items = [item for item in map(_item_from_row, rows) if item is not None]
        try:
            with db.begin_nested():
                arrived = materialise(db, items, device)
        except SQLAlchemyError:
            return  # they keep waiting; the next arrival tries again


def ingest(db: Session, principal: Principal, envelopes: list[Envelope]) -> list[ItemResult]:
    """Store a batch in the caller's transaction and answer for every envelope, in order."""
    results: dict[int, ItemResult] = {}
    fresh: dict[int, Item] = {}
    for index, env in enumerate(envelopes):
        prepared = _prepare(env, principal)
        if isinstance(prepared, str):
            results[index] = _result(env, "rejected", 422, prepared)
        else:
            fresh[index] = prepared
    existing = _existing(db, [(i.env.id, i.env.version) for i in fresh.values()])
    batch: dict[tuple[str, int], Item] = {}
    new: dict[int, Item] = {}
    for index, item in fresh.items():
        key = (item.env.id, item.env.version)
        if key in existing:
            results[index] = _compare(item, existing[key])
        elif key in batch:
            first = batch[key]
            same = first.env.content_hash == item.env.content_hash
            results[index] = (
                _result(item.env, "duplicate", 200)
                if same
                else _result(
                    item.env,
                    "conflict",
                    409,
                    "the batch holds two different copies of this record version",
                    first.env,
                )
            )
        else:
            batch[key] = item
            new[index] = item
    if new:
        written: list[str] = []
        try:
            with db.begin_nested():
                written = _store(db, principal, list(new.values()))
            results.update(
                {index: _result(item.env, "accepted", 200) for index, item in new.items()}
            )
        except SQLAlchemyError:
            for index, item in new.items():
                results[index], done = _store_one(db, principal, item)
                written += done
        retry_deferred(db, principal.device.name, written)
    return [results[index] for index in range(len(envelopes))]


def _store_one(db: Session, principal: Principal, item: Item) -> tuple[ItemResult, list[str]]:
    item.record = item.spec.model.model_validate(item.env.body)  # fresh, unattached copy
    try:
        with db.begin_nested():
            written = _store(db, principal, [item])
        return _result(item.env, "accepted", 200), written
    except SQLAlchemyError as exc:
        row = _existing(db, [(item.env.id, item.env.version)]).get((item.env.id, item.env.version))
        if row is not None:  # another hub stored it first
            return _compare(item, row), []
        return _result(item.env, "rejected", 422, _reason(exc)), []
