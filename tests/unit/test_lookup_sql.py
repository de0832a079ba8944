"""lookup.sql: plain SQL on the driver reads and writes exactly what the ORM does."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime

from firstresponse.lookup.sql import as_date, bound, insert_many, rows
from firstresponse.records import Incident, Person, table_of
from firstresponse.store import Store

WHEN = datetime(2024, 3, 9, 21, 30, tzinfo=UTC)


def _incident(person_id: str, reference: str) -> dict[str, object]:
    return {
        "id": reference.lower(), "reference": reference, "occurred_at": WHEN,
        "victim_id": person_id, "suspect_id": None, "relationship": "partner", "address": "",
        "postcode": "", "summary": "", "risk_level": None, "crime_recorded": True,
        "arrest_made": None, "grade": None, "restricted": False, "status": "historic",
        "source": "import", "source_ref": reference, "created_by": "test",
    }  # fmt: skip


def test_insert_many_stores_the_text_the_orm_stores(store: Store) -> None:
    with store.session() as db:
        person = Person(forename="Ada", surname="Marsh", dob=date(1990, 2, 3))
        db.add(person)
        db.flush()
        db.add(Incident(**_incident(person.id, "ORM-1")))  # type: ignore[arg-type]
        db.flush()
        insert_many(db, table_of(Incident), [_incident(person.id, "RAW-1")])
    conn = sqlite3.connect(store.path)
    try:
        stored = conn.execute(
            "SELECT reference, occurred_at, crime_recorded, restricted, arrest_made"
            " FROM incident ORDER BY reference"
        ).fetchall()
    finally:
        conn.close()
    assert [row[1:] for row in stored] == [stored[0][1:]] * 2  # same text, same flags
    with store.session() as db:
        raw = db.get(Incident, "raw-1")
        assert raw is not None and raw.occurred_at.replace(tzinfo=UTC) == WHEN


def test_rows_expands_lists_and_reads_dates_and_times_as_the_orm_wrote_them(
    store: Store,
) -> None:
    with store.session() as db:
        people = [Person(forename=n, surname="Marsh", dob=date(1990, 2, 3)) for n in "ABC"]
        db.add_all(people)
        db.flush()
        db.add(Incident(**_incident(people[0].id, "ORM-2")))  # type: ignore[arg-type]
        db.flush()
        ids = [p.id for p in people[:2]]
        sql = "SELECT id, dob FROM person WHERE id IN (?*) AND surname = ?"
        found = rows(db, sql, ids, "Marsh")
        assert sorted(pid for pid, _ in found) == sorted(ids)
        assert {as_date(dob) for _, dob in found} == {date(1990, 2, 3)}
        assert rows(db, "SELECT id FROM person WHERE id IN (?*)", []) == []
        since = bound(db, table_of(Incident).c.occurred_at, WHEN)
        later = rows(db, "SELECT reference FROM incident WHERE occurred_at >= ?", since)
        assert later == [("ORM-2",)]  # the boundary itself is included
