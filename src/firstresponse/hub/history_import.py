"""A force's history onto the hub (`firstresponse import-history FILE --hub-db TARGET`).

The terminal's import job (`history.job`: the same checks, chunks, resumption and
idempotence) run on the hub's database: people, aliases, markers, incidents, children
and orders go into the hub's record tables and its lookup index, as `demo_hub` copies the
demo's history there, so the hub's lookup finds them and serves their history. Each
record a chunk adds also goes on the feed, in that chunk's transaction, as a record a
terminal pushed would (`feed.for_stored`): control-room and supervisor terminals file the
people, markers, incidents, children and orders at their next pulls (a restricted incident
only where restricted records may be seen). Like the demo's history, imported records have no
envelopes: no terminal sent them, so they carry no version.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any, get_args

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
    """Put the records a chunk added on the feed, as pushed records are."""
    configure_mappers()  # the feed builds models of the people it reads: map them first
    stored: list[tuple[str, Any]] = [
        (FED[table], Written(FED[table], values)) for table, values in written if table in FED
    ]
    feed.write(db, feed.for_stored(db, stored))


def import_onto_hub(
    engine: Engine, path: Path, progress: Progress | None = None, step: Step | None = None
) -> JobResult:
    """Import `path` into the hub's database on `engine` (see the module docstring)."""
    return run_import(HubDatabase(engine), path, progress, step, on_written=to_feed)
