"""A force's history onto the hub (`firstresponse import-history FILE --hub-db TARGET`).

The terminal's import job (`history.job`: the same checks, chunks, resumption and
idempotence) run on the hub's database: people, aliases, markers, incidents, children
and orders go into the hub's record tables and its lookup index, as `demo_hub` copies the
demo's history there, so the hub's lookup finds them and serves their history. Each
record a chunk adds also goes on the feed, in that chunk's transaction, as a record a
terminal pushed would (`feed.for_stored`): control-room and supervisor terminals file the
people, markers, incidents and children at their next pull (a restricted incident only
where restricted records may be seen). Like the demo's history, imported records have no
envelopes: no terminal sent them, so they carry no version.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import configure_mappers
from sqlmodel import Session

from firstresponse.history.job import JobResult, Progress, Step, run_import
from firstresponse.hub import feed
from firstresponse.hub.db import transaction
from firstresponse.records import Kind
from firstresponse.records.kinds import MODELS

#: The kind of each table the import writes that a terminal is sent (aliases are not).
FED: dict[str, Kind] = {
    str(model.__tablename__): kind
    for kind, model in MODELS.items()
    if kind in {Kind.PERSON, Kind.MARKER, Kind.INCIDENT, Kind.CHILD, Kind.ORDER}
}


class HubDatabase:
    """The hub's database as the import job writes to it: a transaction per chunk."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        with transaction(self.engine) as db:
            yield db


def to_feed(db: Session, written: list[tuple[str, dict[str, Any]]]) -> None:
    """Put the records a chunk added on the feed, as pushed records are."""
    configure_mappers()  # a model built from values reads its fields only once it is mapped
    stored: list[tuple[str, Any]] = [
        (FED[table], MODELS[FED[table]].model_construct(**values))
        for table, values in written
        if table in FED
    ]
    feed.write(db, feed.for_stored(db, stored))


def import_onto_hub(
    engine: Engine, path: Path, progress: Progress | None = None, step: Step | None = None
) -> JobResult:
    """Import `path` into the hub's database on `engine` (see the module docstring)."""
    return run_import(HubDatabase(engine), path, progress, step, on_written=to_feed)
