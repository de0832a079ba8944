"""A force's history onto the hub (`firstresponse import-history FILE --hub-db TARGET`).

The terminal's import job (`history.job`: the same checks, chunks, resumption and
idempotence) run on the hub's database: people, aliases, markers, incidents, children
and orders go into the hub's record tables and its lookup index, as `demo_hub` copies the
demo's history there, so the hub's lookup finds them and serves their history. Each
record a chunk adds also goes on the feed, in that chunk's transaction, to whom a record a
terminal pushed would go (`feed.drafts`: a restricted incident, its children and orders
only where restricted records may be seen), but gathered in batches: one entry per
recipient for every `BATCH` records, not one per record, so a force's history is not a
million entries every control-room and supervisor terminal replays one by one. Terminals
file a batch's people, markers, incidents, children and orders at their next pull, in one
transaction (`sync.pull`). Like the demo's history, imported records have no envelopes: no
terminal sent them, so they carry no version.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any, get_args

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import configure_mappers
from sqlmodel import Session

from firstresponse.history.job import JobResult, Progress, Step, run_import
from firstresponse.hub import feed
from firstresponse.hub.db import transaction
from firstresponse.hub.dialect import is_postgres
from firstresponse.hub.versions import newest
from firstresponse.lookup.index import settle_after_bulk
from firstresponse.records import Kind
from firstresponse.records.kinds import MODELS
from firstresponse.sync.pull import BATCH as BATCH_KIND

#: The kind of each table the import writes that a terminal is sent (aliases are not).
FED: dict[str, Kind] = {
    str(model.__tablename__): kind
    for kind, model in MODELS.items()
    if kind in {Kind.PERSON, Kind.MARKER, Kind.INCIDENT, Kind.CHILD, Kind.ORDER}
}
#: Records in one batch entry: a terminal's page of the feed stays a few MB at most.
BATCH = 1_000
#: The order a recipient's batches hold records in: people before what names them.
FILED_FIRST: dict[str, int] = {
    Kind.PERSON: 0,
    Kind.MARKER: 1,
    Kind.INCIDENT: 2,
    Kind.CHILD: 3,
    Kind.ORDER: 4,
}


class HubDatabase:
    """The hub's database as the import job writes to it: a transaction per chunk.

    On PostgreSQL the feed's batches (megabytes of JSON each) are compressed with lz4
    where the server has it, in the import's transactions only: its default, pglz, took
    as long as the import's whole feed step."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.lz4 = is_postgres(engine) and _has_lz4(engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with transaction(self.engine) as db:
            if self.lz4:
                db.execute(text("SET LOCAL default_toast_compression = 'lz4'"))
            yield db


def _has_lz4(engine: Engine) -> bool:
    query = "SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'"
    with engine.connect() as conn:
        choices = conn.execute(text(query)).scalar()
    return "lz4" in (choices or [])


class Written:
    """A record as the import wrote it (its column values), read by `feed.for_stored` as a
    stored model is: its fields as attributes, `model_dump(mode="json")` the same JSON. No
    model is built: that costs more than writing the row did."""

    def __init__(self, kind: Kind, values: dict[str, Any]) -> None:
        self.__dict__ = {**_DEFAULTS[kind], **values}
        self._kind = kind

    def model_dump(self, mode: str = "python") -> dict[str, Any]:
        found = self.__dict__
        out = {name: found[name] for name in _DEFAULTS[self._kind]}
        if mode == "json":  # dates ISO, UTC as Z: as pydantic writes them
            for name in _TIMES[self._kind]:
                if (value := out[name]) is not None:
                    text = value.isoformat()
                    out[name] = text[:-6] + "Z" if text.endswith("+00:00") else text
        return out


def _defaults(kind: Kind) -> dict[str, Any]:
    """Each field of the kind's model with its default (None where it has none)."""
    fields = MODELS[kind].model_fields
    return {
        name: None if field.is_required() else field.get_default() for name, field in fields.items()
    }


def _times(kind: Kind) -> list[str]:
    """The fields of the kind's model that hold a date or a date and time."""
    fields = MODELS[kind].model_fields
    return [
        name
        for name, field in fields.items()
        if any(t in (date, datetime) for t in (field.annotation, *get_args(field.annotation)))
    ]


_DEFAULTS = {kind: _defaults(kind) for kind in set(FED.values())}
_TIMES = {kind: _times(kind) for kind in set(FED.values())}


def to_feed(db: Session, written: list[tuple[str, dict[str, Any]]]) -> None:
    """Put the records a chunk added on the feed in batches, each recipient sent what it
    would be sent of the records one by one."""
    configure_mappers()  # the feed builds models of the people it reads: map them first
    stored: list[tuple[str, Any]] = [
        (FED[table], Written(FED[table], values)) for table, values in written if table in FED
    ]
    stored.sort(key=lambda pair: FILED_FIRST[pair[0]])  # stable: the chunk's order within
    streams: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for topic, recipient, _record_id, body in feed.drafts(db, stored):
        streams.setdefault((topic, recipient), []).append(body)
    # Only people held before the chunk can have versions: what it wrote no terminal sent.
    earlier = {p["id"] for bodies in streams.values() for b in bodies for p in b.get("people", [])}
    held = newest(db, earlier - {record.id for _kind, record in stored})
    entries: list[dict[str, Any]] = []
    for (topic, recipient), bodies in streams.items():
        filed = {body["record"]["id"] for body in bodies if body["kind"] == Kind.PERSON}
        for start in range(0, len(bodies), BATCH):
            piece = bodies[start : start + BATCH]
            first = piece[0]["record"]["id"]
            entries.append(
                feed.entry(db, topic, recipient, f"import:{first}", batch(piece, filed, held))
            )
    feed.write(db, entries)


def batch(bodies: list[dict[str, Any]], filed: set[str], held: dict[str, int]) -> dict[str, Any]:
    """One entry's body for per-record `bodies`: their records in order, and once each the
    people they carry (an incident's, an order's) but for those `filed` as records of the
    same recipient's batches (before anything that names them: `FILED_FIRST`); with the
    versions `held` of those people."""
    people: dict[str, dict[str, Any]] = {}
    for body in bodies:
        for person in body.get("people", []):
            if person["id"] not in filed:
                people.setdefault(person["id"], person)
    records = [{"kind": body["kind"], "record": body["record"]} for body in bodies]
    versions = {pid: held[pid] for pid in sorted(people) if pid in held}
    return {"kind": BATCH_KIND, "people": list(people.values()), "records": records,
            "versions": versions}  # fmt: skip


def import_onto_hub(
    engine: Engine, path: Path, progress: Progress | None = None, step: Step | None = None
) -> JobResult:
    """Import `path` into the hub's database on `engine` (see the module docstring).

    First the feed entries a migration noted as owed for what the hub held already
    (`feed.backfill_pending`, as the hub does when it opens the database): owed after the
    import, they would send every imported order a second time, one entry each."""
    feed.backfill_pending(engine)
    result = run_import(HubDatabase(engine), path, progress, step, on_written=to_feed)
    settle_after_bulk(engine)  # searches read the new keys from the index alone
    return result
