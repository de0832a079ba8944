"""An import job at force scale: committed a chunk at a time, resumable, with progress.

The file is read and checked whole first (bad rows are reported exactly as before), then
its incidents are written a chunk at a time (`CHUNK`, or a tenth of the file if more, in
parts of `CHUNK` shown on the progress bar), each chunk committed with the job's place in
the `history_import` table (keyed by the SHA-256 of the file). A run that is killed keeps
every chunk it committed; running the same file again carries on from there, and since
people and incidents are keyed on the force's references nothing is added twice.

People already held who gain an alias are refiled in the lookup index with their chunk.
New people are too, in a small import; in a large one (`FILE_AT_END` incidents or more
left to write) they are filed together once every chunk is in, which is much faster: the
job's last step, in one transaction with marking the job finished. Until then they are
in the store but not found by a search; a run killed before that step files them when
the same file is run again (`lookup.index_unfiled` finds everybody without keys).

`on_written`, when given, is handed the records each chunk added (table name, column
values) in that chunk's transaction: the hub puts them on its feed (hub.history_import).
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import insert, update
from sqlalchemy import select as core_select
from sqlmodel import Session

from firstresponse.history.bulk import BulkWriter
from firstresponse.history.importer import (
    CHUNK,
    BadRow,
    Importer,
    ImportReport,
    incident_groups,
    read_rows,
    write_groups,
)
from firstresponse.lookup import index_people
from firstresponse.lookup.index import index_unfiled
from firstresponse.lookup.sql import rows
from firstresponse.records import utcnow
from firstresponse.records.system import HISTORY_IMPORT

JOBS = HISTORY_IMPORT
Progress = Callable[[int, int], None]  # rows done, rows in all
Step = Callable[[str], None]  # told what the job does next, in plain words
Written = Callable[[Session, list[tuple[str, dict[str, Any]]]], None]  # records a part added


class Database(Protocol):
    """Where the job writes: a terminal's store, or the hub's database (hub.history_import)."""

    def session(self) -> Any: ...


CHUNKS = 10  # a large file is committed in about this many chunks (each a rewrite of
# the pages its rows land on, all over the tables' indexes: fewer is much faster)
NEVER = 1_000_000  # young collections before a full one: more than a job makes
FILE_AT_END = 20_000  # incidents left to write from which new people are filed at the end
CACHE_KIB = 262_144  # SQLite page cache while importing (256 MB): big tables stay in memory


@dataclass
class JobResult:
    report: ImportReport
    resumed_from: int  # incidents already written by an earlier, interrupted run


def file_key(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def run_import(
    store: Database,
    path: Path,
    progress: Progress | None = None,
    step: Step | None = None,
    on_written: Written | None = None,
) -> JobResult:
    """Import `path` into `store` as a resumable job (see the module docstring)."""
    with _no_full_collections():
        return _run(store, path, progress, step, on_written)


@contextmanager
def _no_full_collections() -> Iterator[None]:
    """Full garbage collections held off while a job runs: each looks at every object the
    process holds (the whole file's rows, read and checked), again and again as the job
    makes records that reference counting frees anyway; about a quarter of the job's CPU.
    Young collections run as usual; the thresholds are put back at the end."""
    saved = gc.get_threshold()
    gc.set_threshold(saved[0], saved[1], NEVER)
    try:
        yield
    finally:
        gc.set_threshold(*saved)


def _run(
    store: Database,
    path: Path,
    progress: Progress | None,
    step: Step | None,
    on_written: Written | None,
) -> JobResult:
    key = file_key(path)
    report = ImportReport(written=[] if on_written else None)
    groups = incident_groups(read_rows(path, report), report)
    parse_bad = list(report.bad)
    total = sum(len(g) for g in groups)
    with store.session() as db:
        job = db.execute(core_select(JOBS).where(JOBS.c.id == key)).first()
        if job is None or job.finished_at is not None:  # a new job (again, if it finished)
            if job is not None:
                db.execute(JOBS.delete().where(JOBS.c.id == key))
            db.execute(insert(JOBS).values(
                id=key, path=str(path), groups_done=0, failures="[]",
                added=json.dumps(report.added), started_at=utcnow(),
            ))  # fmt: skip
            done, failures = 0, []
        else:
            done = int(job.groups_done)
            failures = [BadRow(line, reason) for line, reason in json.loads(job.failures)]
            report.added = {**report.added, **json.loads(job.added)}
    resumed_from = done
    rows_done = sum(len(g) for g in groups[:done])
    if progress:
        progress(rows_done, total)
    chunk_size = max(CHUNK, -(-len(groups) // CHUNKS))
    file_at_end = len(groups) - done >= FILE_AT_END
    while done < len(groups):
        chunk = groups[done : done + chunk_size]
        with store.session() as db:
            _import_cache(db)
            importer = Importer(db, report)
            for start in range(0, len(chunk), CHUNK):  # written a part at a time, shown so
                part = chunk[start : start + CHUNK]
                touched: set[str] = set()
                writer = BulkWriter(db, report.added, touched, report.written)
                report.touched_people = touched
                failures += write_groups(db, writer, importer, part)
                index_people(db, _filed(db, touched) if file_at_end else sorted(touched))
                rows_done += sum(len(g) for g in part)
                if progress and start + CHUNK < len(chunk):
                    progress(rows_done, total)
            if on_written and report.written:  # once a chunk: its parts' people are known
                on_written(db, report.written)
                report.written.clear()
            done += len(chunk)
            db.execute(update(JOBS).where(JOBS.c.id == key).values(
                groups_done=done, added=json.dumps(report.added),
                failures=json.dumps([(b.line, b.reason) for b in failures]),
            ))  # fmt: skip
        if progress:
            progress(rows_done, total)
    with store.session() as db:  # the last step: file new people, mark the job finished
        _import_cache(db)
        if step:
            step("filing new people in the lookup index")
        index_unfiled(db)
        db.execute(update(JOBS).where(JOBS.c.id == key).values(finished_at=utcnow()))
    report.bad = sorted(parse_bad + failures, key=lambda b: b.line)
    return JobResult(report, resumed_from)


def _filed(db: Session, ids: set[str]) -> list[str]:
    """Those of `ids` already in the lookup index (people held before, given an alias)."""
    wanted, held = sorted(ids), []
    for start in range(0, len(wanted), 500):
        sql = "SELECT DISTINCT person_id FROM lookup_key WHERE person_id IN (?*)"
        held += [pid for (pid,) in rows(db, sql, wanted[start : start + 500])]
    return held


def _import_cache(db: Session) -> None:
    """A page cache big enough for the indexes an import writes into (SQLite)."""
    if db.get_bind().dialect.name == "sqlite":
        db.connection().exec_driver_sql(f"PRAGMA cache_size=-{CACHE_KIB}")
