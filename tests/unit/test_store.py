"""The local store: pragmas, migrations, and upgrading a store made by an older version."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import select

from firstresponse.records import Child, Incident, OutboxItem, Person, utcnow
from firstresponse.store import Store, make_engine, outbox
from firstresponse.store.migrate import current_revisions, head_revisions, upgrade


def test_pragmas(store: Store) -> None:
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_opening_migrates_to_the_head(store: Store) -> None:
    assert current_revisions(store.engine) == head_revisions()


def test_older_store_upgrades_without_losing_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = make_engine(path)
    upgrade(engine, "0001_foundation")
    engine.dispose()
    raw = sqlite3.connect(path)
    raw.execute(
        "INSERT INTO person (id, forename, surname, gender, phone, postcode, address, created_at)"
        " VALUES ('p1', 'Ada', 'Quill', '', '', '', '', '2020-01-01 00:00:00')"
    )
    raw.commit()
    raw.close()
    store = Store(path)
    try:
        assert current_revisions(store.engine) == head_revisions()
        with store.session() as db:
            assert [p.surname for p in db.exec(select(Person))] == ["Quill"]
    finally:
        store.close()


def test_foreign_keys_are_enforced(store: Store) -> None:
    import pytest
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), store.session() as db:
        db.add(Incident(reference="X1", occurred_at=datetime.now(UTC), victim_id="nobody"))


def test_outbox_row_commits_or_rolls_back_with_its_record(store: Store) -> None:
    import pytest

    with pytest.raises(RuntimeError), store.session() as db:
        person = Person(forename="Ada", surname="Quill")
        db.add(person)
        outbox.enqueue(db, "person", person.id, {"id": person.id})
        raise RuntimeError("crash before commit")
    with store.session() as db:
        assert db.exec(select(Person)).all() == []
        assert db.exec(select(OutboxItem)).all() == []
        person = Person(forename="Ada", surname="Quill")
        db.add(person)
        outbox.enqueue(db, "person", person.id, {"id": person.id})
    with store.session() as db:
        assert [i.record_id for i in outbox.waiting(db)] == [person.id]


def test_outbox_orders_high_risk_then_children_first(store: Store) -> None:
    with store.session() as db:
        outbox.enqueue(db, "assessment", "a-normal", {"n": 1})
        outbox.enqueue(db, "assessment", "a-child", {"n": 2}, priority=outbox.PRIORITY_CHILD)
        outbox.enqueue(db, "assessment", "a-high", {"n": 3}, priority=outbox.PRIORITY_HIGH_RISK)
    with store.session() as db:
        assert [i.record_id for i in outbox.waiting(db)] == ["a-high", "a-child", "a-normal"]


def test_an_urgent_record_takes_its_waiting_parents_ahead_with_it(store: Store) -> None:
    with store.session() as db:
        other = Person(forename="Rhea", surname="Tolley")
        outbox.enqueue_record(db, other)
        victim = Person(forename="Ada", surname="Quill")
        outbox.enqueue_record(db, victim)
        db.flush()
        incident = Incident(reference="L-1", occurred_at=utcnow(), victim_id=victim.id)
        outbox.enqueue_record(db, incident)
        db.flush()
        child = Child(incident_id=incident.id, name="Kit Quill", age=4)
        outbox.enqueue_record(db, child, priority=outbox.PRIORITY_CHILD)
    with store.session() as db:
        order = [(i.record_id, i.priority) for i in outbox.waiting(db)]
    assert order == [
        (victim.id, outbox.PRIORITY_CHILD),
        (incident.id, outbox.PRIORITY_CHILD),
        (child.id, outbox.PRIORITY_CHILD),
        (other.id, outbox.PRIORITY_NORMAL),
    ]


def test_a_record_read_back_and_sent_again_keeps_the_text_of_its_times(store: Store) -> None:
    from firstresponse.records import Decision

    with store.session() as db:
        person = Person(forename="Ada", surname="Timekeeper")
        db.add(person)
        db.flush()
        incident = Incident(reference="T-TIME", occurred_at=datetime.now(UTC), victim_id=person.id)
        db.add(incident)
        db.flush()
        decision = Decision(incident_id=incident.id, kind="bwv_off", reason="Flat battery")
        first = outbox.enqueue_record(db, decision)
        first_body = first.body
    with store.session() as db:
        again = db.get(Decision, decision.id)
        assert again is not None and again.made_at.tzinfo is None  # SQLite drops the zone
        again.reviewed = True
        second = outbox.enqueue_record(db, again)
        second_body = second.body
    before, after = json.loads(first_body), json.loads(second_body)
    assert {k for k in before if before[k] != after[k]} == {"reviewed"}
    assert after["made_at"].endswith("Z")


def test_many_threads_each_keep_their_own_connection(tmp_path: Path) -> None:
    """A terminal's threads (UI, sync, autosave, workers) may outnumber five: none may lose
    its connection to another (SQLAlchemy's pool for "sqlite://" closes them past five,
    and a closed connection in use crashes the process)."""
    import threading

    engine = make_engine(tmp_path / "threads.db")
    threads = 8
    ready = threading.Barrier(threads)
    failures: list[BaseException] = []

    def work() -> None:
        raw = engine.raw_connection()
        try:
            raw.cursor().execute("SELECT 1")
            ready.wait(timeout=30)  # every thread holds a connection now
            raw.cursor().execute("SELECT 1")
        except BaseException as exc:
            failures.append(exc)
        finally:
            raw.close()

    running = [threading.Thread(target=work) for _ in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join(timeout=60)
    assert failures == []
    engine.dispose()
