"""Writing checked incidents in bulk: one chunk of incidents in a few statements.

The same rules as `importer.Importer` (people keyed on `person_ref`, incidents on
`incident_ref`, aliases, markers, children and orders added only when not held), but
what is already held is read once per chunk and new rows go in with one executemany
per table, so a force's extract loads at thousands of rows a second. An incident whose
reference is already used by another incident is refused whole, as before. On a hub's
PostgreSQL database each table's rows go in by COPY. Given a
`written` list, each record added is noted there too, as (table name, column values).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC
from typing import Any

from sqlmodel import Session

from firstresponse.history.csv_format import HistoryRow, RowError
from firstresponse.lookup import sql
from firstresponse.lookup.sql import as_date
from firstresponse.records import (
    Child,
    Incident,
    Marker,
    Person,
    PersonAlias,
    PersonMarker,
    ProtectiveOrder,
    new_id,
    table_of,
    utcnow,
)

SOURCE = "import"
STEP = 500  # ids per IN (...) query
_T: dict[str, Any] = {
    table_of(m).name: table_of(m)
    for m in (Person, PersonAlias, PersonMarker, Incident, Child, ProtectiveOrder)
}


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), STEP):
        yield items[start : start + STEP]


def _where_in(db: Session, table: str, columns: str, key: str, values: Iterable[Any]) -> list[Any]:
    """Rows of `columns` (SQL) from `table` whose `key` is one of `values`, as the driver gives
    them (dates as ISO text on SQLite)."""
    listed = sorted(set(values))
    if listed and _on_psycopg(db):  # PostgreSQL: the whole list as one array, one round trip
        return sql.rows(db, f"SELECT {columns} FROM {table} WHERE {key} = ANY(?)", listed)
    out: list[Any] = []
    for part in _chunks(listed):
        out += sql.rows(db, f"SELECT {columns} FROM {table} WHERE {key} IN (?*)", part)
    return out


def _on_psycopg(db: Session) -> bool:
    """PostgreSQL through psycopg (a hub's database): rows go in by COPY, lists as arrays."""
    dialect = db.get_bind().dialect
    return dialect.name == "postgresql" and dialect.driver == "psycopg"


def _copy(db: Session, table: str, values: list[dict[str, Any]]) -> None:
    """The rows by one COPY: on PostgreSQL several times quicker than INSERTs, for the
    server as much as here (psycopg adapts each value as it would a parameter)."""
    names = list(values[0])
    connection: Any = db.connection().connection.driver_connection
    statement = f"COPY {table} ({', '.join(names)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in values:
            copy.write_row([row[name] for name in names])


class BulkWriter:
    """Adds chunks of incidents to one session; remembers people across chunks."""

    def __init__(
        self,
        db: Session,
        added: dict[str, int],
        touched: set[str],
        written: list[tuple[str, dict[str, Any]]] | None = None,
    ) -> None:
        self.db = db
        self.added = added
        self.touched = touched
        self.written = written
        self.people: dict[str, str] = {}  # person_ref -> person id

    def _insert(self, table: str, values: list[dict[str, Any]]) -> None:
        if values and _on_psycopg(self.db):
            _copy(self.db, table, values)
        else:
            sql.insert_many(self.db, _T[table], values)
        if self.written is not None:
            self.written.extend((table, row) for row in values)

    def write(self, groups: list[list[HistoryRow]]) -> list[tuple[list[HistoryRow], str]]:
        """Write the groups; returns the groups refused, each with its reason."""
        refs = [g[0].incident_ref for g in groups]
        held = dict(_where_in(self.db, "incident", "source_ref, id", "source_ref", refs))
        taken = {r for (r,) in _where_in(self.db, "incident", "reference", "reference", refs)}
        taken -= set(held)
        refused = [
            (g, f"reference {g[0].incident_ref} is already used by another incident")
            for g in groups
            if g[0].incident_ref in taken
        ]
        groups = [g for g in groups if g[0].incident_ref not in taken]
        rows = [r for g in groups for r in g]
        self._people(rows)
        self._aliases_and_markers(rows)
        self._incidents(groups, held)
        return refused

    def _people(self, rows: list[HistoryRow]) -> None:
        unknown = {r.person_ref for r in rows} - self.people.keys()
        found = _where_in(self.db, "person", "source_ref, id", "source_ref", unknown)
        self.people.update(dict(found))
        new: dict[str, dict[str, Any]] = {}
        now = utcnow()
        for r in rows:
            if r.person_ref in self.people or r.person_ref in new:
                continue
            new[r.person_ref] = {
                "id": new_id(), "forename": r.forename, "surname": r.surname, "dob": r.dob,
                "gender": r.gender, "ethnicity": r.ethnicity, "phone": r.phone,
                "postcode": r.postcode, "address": r.address, "source_ref": r.person_ref,
                "created_at": now,
            }  # fmt: skip
        if new:
            self._insert("person", list(new.values()))
            self.people.update({ref: v["id"] for ref, v in new.items()})
            self.added["people"] += len(new)
            self.touched.update(v["id"] for v in new.values())

    def _aliases_and_markers(self, rows: list[HistoryRow]) -> None:
        ids = {
            self.people[r.person_ref] for r in rows if r.aliases or r.markers or r.role == "child"
        }
        alias_columns = "person_id, forename, surname, kind"
        have_alias = set(_where_in(self.db, "personalias", alias_columns, "person_id", ids))
        have_marker = set(_where_in(self.db, "personmarker", "person_id, marker", "person_id", ids))
        aliases, markers, now = [], [], utcnow()
        for r in rows:
            pid = self.people[r.person_ref]
            for forename, surname, kind in r.aliases:
                if (pid, forename, surname, kind) not in have_alias:
                    have_alias.add((pid, forename, surname, kind))
                    aliases.append({"id": new_id(), "person_id": pid, "forename": forename,
                                    "surname": surname, "kind": kind})  # fmt: skip
                    self.touched.add(pid)
            wanted = [*r.markers, *([Marker.CHILD.value] if r.role == "child" else [])]
            for marker in sorted(set(wanted)):
                if (pid, marker) not in have_marker:
                    have_marker.add((pid, marker))
                    markers.append({"id": new_id(), "person_id": pid, "marker": marker,
                                    "note": "imported", "added_at": now, "source": SOURCE,
                                    "recorded_by": "import-history", "ended_by": "",
                                    "end_reason": ""})  # fmt: skip
        self._insert("personalias", aliases)
        self._insert("personmarker", markers)
        self.added["aliases"] += len(aliases)
        self.added["markers"] += len(markers)

    def _incidents(self, groups: list[list[HistoryRow]], held: dict[str, str]) -> None:
        incidents, children, orders = [], [], []
        for group in groups:
            v = group[0]
            suspect_row = next((r for r in group if r.role == "suspect"), None)
            victim = self.people[v.person_ref]
            suspect = self.people[suspect_row.person_ref] if suspect_row else None
            if v.incident_ref not in held:
                iid = new_id()
                held[v.incident_ref] = iid
                incidents.append({
                    "id": iid, "reference": v.incident_ref,
                    "occurred_at": v.occurred_at.replace(tzinfo=UTC), "victim_id": victim,
                    "suspect_id": suspect,
                    "relationship": v.relationship
                    or (suspect_row.relationship if suspect_row else ""),
                    "address": v.address, "postcode": v.postcode, "summary": v.summary,
                    "risk_level": v.risk_level, "crime_recorded": v.crime_recorded,
                    "arrest_made": v.arrest_made, "grade": v.grade,
                    "restricted": any(r.restricted for r in group), "status": "historic",
                    "source": SOURCE, "source_ref": v.incident_ref, "created_by": "import-history",
                })  # fmt: skip
            iid = held[v.incident_ref]
            for r in group:
                if r.role == "child":
                    age = (r.occurred_at.date() - r.dob).days // 365 if r.dob else None
                    children.append((iid, self.people[r.person_ref], {
                        "id": new_id(), "incident_id": iid, "person_id": self.people[r.person_ref],
                        "name": f"{r.forename} {r.surname}", "age": age, "dob": r.dob,
                        "school": "", "where_during": "", "seen": None, "spoken_to": None,
                        "reason": "",
                    }))  # fmt: skip
                if r.order:
                    kind, starts, ends, detail = r.order
                    orders.append(((kind, suspect or victim, victim, iid, starts), {
                        "id": new_id(), "kind": kind, "subject_id": suspect or victim,
                        "protected_id": victim, "incident_id": iid, "detail": detail,
                        "starts_on": starts, "ends_on": ends,
                    }))  # fmt: skip
        self._insert("incident", incidents)
        self.added["incidents"] += len(incidents)
        self._children(children)
        self._orders(orders)

    def _children(self, children: list[tuple[str, str, dict[str, Any]]]) -> None:
        incidents = {c[0] for c in children}
        have = set(_where_in(self.db, "child", "incident_id, person_id", "incident_id", incidents))
        new = []
        for iid, pid, values in children:
            if (iid, pid) not in have:
                have.add((iid, pid))
                new.append(values)
        self._insert("child", new)
        self.added["children"] += len(new)

    def _orders(self, orders: list[tuple[tuple[Any, ...], dict[str, Any]]]) -> None:
        columns = "kind, subject_id, protected_id, incident_id, starts_on"
        incidents = {k[3] for k, _ in orders}
        have = {
            (kind, subject, protected, incident, as_date(starts))
            for kind, subject, protected, incident, starts in _where_in(
                self.db, "protectiveorder", columns, "incident_id", incidents
            )
        }
        new = []
        for key, values in orders:
            if key not in have:
                have.add(key)
                new.append(values)
        self._insert("protectiveorder", new)
        self.added["orders"] += len(new)


__all__ = ["BulkWriter", "RowError"]
