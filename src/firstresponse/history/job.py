"""An import job at force scale: committed a chunk at a time, resumable, with progress.

The file is read and checked whole first (bad rows are reported exactly as before), then
its incidents are written `CHUNK` at a time, each chunk committed with the job's place in
the `history_import` table (keyed by the SHA-256 of the file). A run that is killed keeps
every chunk it committed; running the same file again carries on from there, and since
people and incidents are keyed on the force's references nothing is added twice. New
people are added to the lookup index in the same transaction as their chunk.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text, insert, update
from sqlalchemy import select as core_select

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
from firstresponse.records import utcnow
from firstresponse.store import Store

JOBS = Table(
    "history_import",
    MetaData(),
    Column("id", String, primary_key=True),
    Column("path", String, nullable=False),
    Column("groups_done", Integer, nullable=False),
    Column("failures", Text, nullable=False),
    Column("added", Text, nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
)
Progress = Callable[[int, int], None]  # rows done, rows in all


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


def run_import(store: Store, path: Path, progress: Progress | None = None) -> JobResult:
    """Import `path` into `store` as a resumable job (see the module docstring)."""
    key = file_key(path)
    report = ImportReport()
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
    while done < len(groups):
        chunk = groups[done : done + CHUNK]
        with store.session() as db:
            touched: set[str] = set()
            writer = BulkWriter(db, report.added, touched)
            importer = Importer(db, report)
            report.touched_people = touched
            failures += write_groups(db, writer, importer, chunk)
            if touched:
                index_people(db, sorted(touched))  # in the chunk's own transaction
            done += len(chunk)
            db.execute(update(JOBS).where(JOBS.c.id == key).values(
                groups_done=done, added=json.dumps(report.added),
                failures=json.dumps([(b.line, b.reason) for b in failures]),
            ))  # fmt: skip
        rows_done += sum(len(g) for g in chunk)
        if progress:
            progress(rows_done, total)
    with store.session() as db:
        db.execute(update(JOBS).where(JOBS.c.id == key).values(finished_at=utcnow()))
    report.bad = sorted(parse_bad + failures, key=lambda b: b.line)
    return JobResult(report, resumed_from)
