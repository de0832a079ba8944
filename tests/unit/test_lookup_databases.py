"""The same lookup on both databases the project runs on: SQLite (terminal) and PostgreSQL (hub).

PostgreSQL runs in a fresh schema on 127.0.0.1:5432 (db `test`); skipped, with the reason,
only when that server is unreachable.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from firstresponse.hub.db import hub_engine, transaction
from firstresponse.lookup import LookupQuery, index_person, person_history, rebuild_index, search
from firstresponse.records import Incident, Person, PersonAlias
from tests.postgres import postgres_schema


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    sqlite = request.param == "sqlite"
    target = iter([str(tmp_path / "hub.db")]) if sqlite else postgres_schema("lookuptest")
    made = hub_engine(next(target))
    yield made
    made.dispose()
    for _ in target:  # finish the generator: drops the schema
        pass


def test_index_search_and_history(engine: Engine) -> None:
    with transaction(engine) as db:
        victim = Person(
            forename="Muhammad", surname="Rahman", dob=date(1991, 7, 4), phone="07700 900321"
        )
        suspect = Person(forename="William", surname="Okafor-Lindqvist", postcode="B1 1AA")
        db.add_all([victim, suspect])
        db.flush()
        db.add(
            Incident(
                reference="PG-1",
                occurred_at=datetime(2026, 1, 2, tzinfo=UTC),
                victim_id=victim.id,
                suspect_id=suspect.id,
                relationship="partner",
                risk_level="high",
            )
        )
    with transaction(engine) as db:  # filed on commit, no explicit call
        found = search(db, LookupQuery(name="Rahman Mohammed", dob=date(1991, 4, 7)))
        assert found[0].person_id == victim.id
        assert "spelling variant Mohammed=Muhammad" in found[0].reasons
        assert "DOB day/month swapped" in found[0].reasons
        assert [m.person_id for m in search(db, LookupQuery(phone="+447700900321"))] == [victim.id]
        assert rebuild_index(db) == 2
        assert search(db, LookupQuery(name="Bill Lindqvist", postcode="b11aa"))[0].person_id == (
            suspect.id
        )
        db.add(PersonAlias(person_id=victim.id, surname="Begum", kind="previous_surname"))
        db.flush()
        index_person(db, victim.id)
        assert "previous surname Begum" in search(db, LookupQuery(name="Muhammad Begum"))[0].reasons
        history = person_history(db, victim.id, today=date(2026, 6, 1))
    assert history is not None
    assert history.da_incidents_12m == 1
    assert history.previous_partners == [
        "William Okafor-Lindqvist (partner, 1 incident, latest 2026-01-02)"
    ]


def _key_rows(engine: Engine) -> list[tuple[str, str]]:
    with transaction(engine) as db:
        return sorted((k, p) for k, p in db.execute(text("SELECT key, person_id FROM lookup_key")))


def _people(engine: Engine) -> list[Person]:
    with transaction(engine) as db:
        people = [
            Person(forename=f"Ann{c}", surname="Okafor Lindqvist", dob=date(1980 + i, 2, 3))
            for i, c in enumerate("abcdef")
        ]
        people.append(Person(forename="Tom", surname="Undated"))
        db.add_all(people)
        db.flush()
        db.add(PersonAlias(person_id=people[0].id, forename="Nan", surname="Reed", kind="alias"))
    return people


def test_keys_are_written_in_multi_row_inserts_whole(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from firstresponse.lookup import index

    people = _people(engine)
    with transaction(engine) as db:
        facts = list(index.load_people(db, [p.id for p in people]).values())
    wanted, _ = index.keyed(facts)
    assert _key_rows(engine) == sorted(wanted)
    monkeypatch.setattr(index, "ROWS_PER_INSERT", 8)  # several statements, the last part-full
    with transaction(engine) as db:
        assert rebuild_index(db) == len(people)
    assert _key_rows(engine) == sorted(wanted) and len(wanted) % 8


def test_people_filed_before_name_year_keys_are_given_them_on_upgrade(engine: Engine) -> None:
    from alembic import command

    from firstresponse.store.migrate import alembic_config, upgrade

    people = _people(engine)
    filed = _key_rows(engine)
    assert any(k.startswith("nny:") for k, _ in filed)
    with transaction(engine) as db:  # as filed before `nny:` keys, but for one filed since
        sql = "DELETE FROM lookup_key WHERE key LIKE 'nny:%' AND person_id <> :kept"
        db.execute(text(sql), {"kept": people[1].id})
    assert len(_key_rows(engine)) < len(filed)
    command.downgrade(alembic_config(engine, "hub"), "0010_signouts")
    upgrade(engine, role="hub")
    assert _key_rows(engine) == filed  # every key back, none twice
