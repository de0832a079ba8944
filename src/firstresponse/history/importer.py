"""Import a force's history extract (see `csv_format`): check every row, keep the good ones.

Rows are grouped by incident; each incident goes in under its own savepoint, so one
bad incident never takes the others with it. People and incidents are keyed on the
force's own references (`Person.source_ref`, `Incident.source_ref`), and aliases,
markers, children and orders are only added when not already there, so importing the
same file again changes nothing.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from firstresponse.history.bulk import SOURCE, BulkWriter
from firstresponse.history.csv_format import REQUIRED, HistoryRow, RowError, parse_row
from firstresponse.records import (
    Child,
    Incident,
    Marker,
    Person,
    PersonAlias,
    PersonMarker,
    ProtectiveOrder,
)

CHUNK = 2_000  # incidents written (and, in a job, committed) together


class FormatError(ValueError):
    """The file as a whole cannot be read (no header, missing columns)."""


@dataclass
class BadRow:
    line: int
    reason: str


@dataclass
class ImportReport:
    """What an import did: rows read, records added, and every bad row with its reason."""

    rows: int = 0
    bad: list[BadRow] = field(default_factory=list)
    added: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            ("people", "aliases", "markers", "incidents", "children", "orders"), 0
        )
    )
    touched_people: set[str] = field(default_factory=set)
    #: When a list: every record added, as (table name, column values), for whoever
    #: passes them on (the hub's feed); the job takes them after each part.
    written: list[tuple[str, dict[str, Any]]] | None = None

    @property
    def good_rows(self) -> int:
        return self.rows - len(self.bad)


def read_rows(path: Path, report: ImportReport) -> list[HistoryRow]:
    """Every row that passes its own checks; the others go to `report.bad`."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = [name.strip() for name in reader.fieldnames or []]
        missing = [name for name in REQUIRED if name not in header]
        if missing:
            raise FormatError(f"the header is missing column(s): {', '.join(missing)}")
        reader.fieldnames = header
        good = []
        line = reader.line_num + 1
        for raw in _rows_or_errors(reader):
            report.rows += 1
            try:
                if isinstance(raw, csv.Error):
                    raise RowError(_unreadable(raw))
                if None in raw:
                    raise RowError("more cells than the header has columns")
                good.append(parse_row(line, raw))
            except RowError as exc:
                report.bad.append(BadRow(line, str(exc)))
            line = reader.line_num + 1
    return good


def _rows_or_errors(reader: csv.DictReader[str]) -> Iterator[dict[str, str | None] | csv.Error]:
    """The reader's rows, with a row the csv module cannot read given as its error.

    The reader skips the rest of such a line and reads on, so one bad row (say, a cell
    longer than the csv module's field limit) costs only itself.
    """
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            reader.line_num = reader.reader.line_num  # DictReader counts only rows it returns
            yield exc


def _unreadable(exc: csv.Error) -> str:
    if "field limit" in str(exc):
        return f"a cell is longer than {csv.field_size_limit():,} characters: row not read"
    return f"the row cannot be read as CSV ({exc})"


def incident_groups(rows: list[HistoryRow], report: ImportReport) -> list[list[HistoryRow]]:
    """Rows grouped by incident, victim first; incidents without one victim are refused."""
    grouped: dict[str, list[HistoryRow]] = defaultdict(list)
    for row in rows:
        grouped[row.incident_ref].append(row)
    out = []
    for ref, group in grouped.items():
        victims = [r for r in group if r.role == "victim"]
        if not victims:
            for row in group:
                report.bad.append(BadRow(row.line, f"incident {ref} has no valid victim row"))
            continue
        keep = [victims[0]]
        seen = {victims[0].person_ref: victims[0].line}
        suspect_line = 0
        for row in group:
            if row is victims[0]:
                continue
            if row.role == "victim":
                reason = f"incident {ref} already has a victim on line {victims[0].line}"
            elif row.role == "suspect" and suspect_line:
                reason = f"incident {ref} already has a suspect on line {suspect_line}"
            elif row.person_ref in seen:
                reason = (
                    f"{row.person_ref} is already in incident {ref} on line {seen[row.person_ref]}"
                )
            else:
                reason = ""
            if reason:
                report.bad.append(BadRow(row.line, reason))
                continue
            if row.role == "suspect":
                suspect_line = row.line
            seen[row.person_ref] = row.line
            keep.append(row)
        out.append(keep)
    return out


class Importer:
    """Writes checked incidents into one session, adding only what is not there yet."""

    def __init__(self, db: Session, report: ImportReport) -> None:
        self.db = db
        self.report = report
        self.people: dict[str, Person] = {}

    def _add(self, record: Any) -> None:
        self.db.add(record)
        if self.report.written is not None:
            self.report.written.append((record.__tablename__, record.model_dump()))

    def person(self, row: HistoryRow) -> Person:
        person = self.people.get(row.person_ref)
        if person is None:
            person = self.db.exec(select(Person).where(Person.source_ref == row.person_ref)).first()
        if person is None:
            person = Person(
                forename=row.forename,
                surname=row.surname,
                dob=row.dob,
                gender=row.gender,
                ethnicity=row.ethnicity,
                phone=row.phone,
                postcode=row.postcode,
                address=row.address,
                source_ref=row.person_ref,
            )
            self._add(person)
            self.db.flush()
            self.report.added["people"] += 1
            self.report.touched_people.add(person.id)
        self.people[row.person_ref] = person
        self._aliases(person, row)
        markers = [*row.markers, *([Marker.CHILD.value] if row.role == "child" else [])]
        self._markers(person, markers)
        return person

    def _aliases(self, person: Person, row: HistoryRow) -> None:
        if not row.aliases:
            return
        have = {
            (a.forename, a.surname, a.kind)
            for a in self.db.exec(select(PersonAlias).where(PersonAlias.person_id == person.id))
        }
        for forename, surname, kind in row.aliases:
            if (forename, surname, kind) not in have:
                self._add(
                    PersonAlias(person_id=person.id, forename=forename, surname=surname, kind=kind)
                )
                have.add((forename, surname, kind))
                self.report.added["aliases"] += 1
                self.report.touched_people.add(person.id)

    def _markers(self, person: Person, markers: Iterable[str]) -> None:
        wanted = set(markers)
        if not wanted:
            return
        have = set(
            self.db.exec(select(PersonMarker.marker).where(PersonMarker.person_id == person.id))
        )
        for marker in sorted(wanted - have):
            self._add(PersonMarker(person_id=person.id, marker=marker, note="imported"))
            self.report.added["markers"] += 1

    def incident(self, rows: list[HistoryRow]) -> None:
        victim_row = rows[0]
        victim = self.person(victim_row)
        suspect_row = next((r for r in rows if r.role == "suspect"), None)
        suspect = self.person(suspect_row) if suspect_row else None
        incident = self.db.exec(
            select(Incident).where(Incident.source_ref == victim_row.incident_ref)
        ).first()
        if incident is None:
            taken = self.db.exec(
                select(Incident.id).where(Incident.reference == victim_row.incident_ref)
            ).first()
            if taken is not None:
                raise RowError(
                    f"reference {victim_row.incident_ref} is already used by another incident"
                )
            incident = Incident(
                reference=victim_row.incident_ref,
                occurred_at=victim_row.occurred_at.replace(tzinfo=UTC),
                victim_id=victim.id,
                suspect_id=suspect.id if suspect else None,
                relationship=victim_row.relationship
                or (suspect_row.relationship if suspect_row else ""),
                address=victim_row.address,
                postcode=victim_row.postcode,
                summary=victim_row.summary,
                risk_level=victim_row.risk_level,
                crime_recorded=victim_row.crime_recorded,
                arrest_made=victim_row.arrest_made,
                grade=victim_row.grade,
                restricted=any(r.restricted for r in rows),
                status="historic",
                source=SOURCE,
                source_ref=victim_row.incident_ref,
                created_by="import-history",
            )
            self._add(incident)
            self.db.flush()
            self.report.added["incidents"] += 1
        for row in rows:
            if row.role == "child":
                self._child(incident, row)
            if row.order:
                self._order(incident, victim, suspect or victim, row.order)

    def _child(self, incident: Incident, row: HistoryRow) -> None:
        child = self.person(row)
        exists = self.db.exec(
            select(Child.id).where(Child.incident_id == incident.id, Child.person_id == child.id)
        ).first()
        if exists is not None:
            return
        age = None
        if row.dob:
            age = (row.occurred_at.date() - row.dob).days // 365
        self._add(
            Child(
                incident_id=incident.id,
                person_id=child.id,
                name=f"{row.forename} {row.surname}",
                age=age,
                dob=row.dob,
            )
        )
        self.report.added["children"] += 1

    def _order(self, incident: Incident, protected: Person, subject: Person, order: tuple) -> None:
        kind, starts, ends, detail = order
        exists = self.db.exec(
            select(ProtectiveOrder.id).where(
                ProtectiveOrder.kind == kind,
                ProtectiveOrder.subject_id == subject.id,
                ProtectiveOrder.protected_id == protected.id,
                ProtectiveOrder.incident_id == incident.id,
                ProtectiveOrder.starts_on == starts,
            )
        ).first()
        if exists is not None:
            return
        self._add(
            ProtectiveOrder(
                kind=kind,
                subject_id=subject.id,
                protected_id=protected.id,
                incident_id=incident.id,
                detail=detail,
                starts_on=starts,
                ends_on=ends,
            )
        )
        self.report.added["orders"] += 1


def write_groups(
    db: Session, writer: BulkWriter, importer: Importer, groups: list[list[HistoryRow]]
) -> list[BadRow]:
    """Write a chunk of incidents in bulk; if the database refuses the chunk, one by one.

    Returns the rows of every incident refused, each with its reason.
    """
    report = importer.report
    bad: list[BadRow] = []
    before = dict(report.added), set(report.touched_people), dict(writer.people)
    mark = _mark(report)
    try:
        with db.begin_nested():
            refused = writer.write(groups)
    except SQLAlchemyError:
        report.added, report.touched_people, writer.people = before
        _undo_written(report, mark)
        refused = []
        for group in groups:
            refused += _one_by_one(db, importer, group)
    for group, reason in refused:
        bad += [BadRow(row.line, f"incident {row.incident_ref}: {reason}") for row in group]
    return bad


def _one_by_one(
    db: Session, importer: Importer, group: list[HistoryRow]
) -> list[tuple[list[HistoryRow], str]]:
    report = importer.report
    before = dict(report.added), set(report.touched_people), dict(importer.people)
    mark = _mark(report)
    try:
        with db.begin_nested():
            importer.incident(group)
    except (RowError, SQLAlchemyError) as exc:
        report.added, report.touched_people, importer.people = before
        _undo_written(report, mark)
        return [(group, str(exc).splitlines()[0])]
    return []


def _mark(report: ImportReport) -> int:
    return len(report.written) if report.written is not None else 0


def _undo_written(report: ImportReport, mark: int) -> None:
    """Forget the records noted since `mark`: their savepoint rolled back."""
    if report.written is not None:
        del report.written[mark:]


def import_history(db: Session, path: Path) -> ImportReport:
    """Import `path` into `db` (the caller commits); bad rows are reported, not fatal."""
    report = ImportReport()
    rows = read_rows(path, report)
    importer = Importer(db, report)
    writer = BulkWriter(db, report.added, report.touched_people)
    groups = incident_groups(rows, report)
    for start in range(0, len(groups), CHUNK):
        report.bad += write_groups(db, writer, importer, groups[start : start + CHUNK])
    report.bad.sort(key=lambda bad: bad.line)
    return report
