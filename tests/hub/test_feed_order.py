"""The pull feed's order: no cursor skips a slow commit, and nothing unrelated holds it back."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from firstresponse.hub import feed
from firstresponse.hub.db import hub_engine, transaction
from firstresponse.hub.models import EVERYONE
from firstresponse.records import User
from firstresponse.store import Store
from firstresponse.sync.pull import pull_changes
from firstresponse.sync.push import push_outbox
from tests.hub.support import Hub, add_users, serve
from tests.hub.test_pull import dispatch
from tests.postgres import DSN, postgres_schema


def _entries(db, tag: str, n: int) -> list[dict]:
    return [feed.entry(db, "lookup", EVERYONE, f"{tag}-{k}", {"n": k}) for k in range(n)]


def test_a_slow_commit_is_never_skipped_by_a_cursor(hub_target: str) -> None:
    """A writes first and commits last; B writes and commits meanwhile. A reader polling all
    along gets every entry exactly once, A's before B's."""
    engine = hub_engine(hub_target)
    add_users(engine)
    with transaction(engine) as db:
        reader = db.exec(select(User).where(User.collar == "CH1001")).one()
    seen: list[str] = []
    cursor = ""

    def poll() -> None:
        nonlocal cursor
        with transaction(engine, read_only=True) as db:
            changes, cursor, _more = feed.read(db, reader, cursor, 1000)
        seen.extend(change.record_id for change in changes)

    b_done = threading.Event()

    def writer_b() -> None:
        with transaction(engine) as db:
            feed.write(db, _entries(db, "b", 3))
        b_done.set()

    with transaction(engine) as a:
        feed.write(a, _entries(a, "a", 3))
        feed.flush(a)  # A's entries are in, uncommitted; PostgreSQL: A holds the feed lock
        other = threading.Thread(target=writer_b)
        other.start()
        for _ in range(5):
            poll()
            time.sleep(0.05)
        assert seen == [] and not b_done.is_set()  # B waits for A: it cannot commit ahead
    other.join(30)
    poll()
    poll()
    assert seen == ["a-0", "a-1", "a-2", "b-0", "b-1", "b-2"]
    engine.dispose()


@pytest.fixture(params=[pytest.param("postgres", marks=pytest.mark.postgres)])
def pg_hub(tmp_path: Path) -> Iterator[Hub]:
    for target in postgres_schema("feedorder"):
        yield from serve(target)


def test_an_unrelated_open_transaction_delays_no_ones_assignments(
    pg_hub: Hub, tmp_path: Path
) -> None:
    """Any writing transaction left open on the server (an admin's psql session, another
    application, a test running beside this one) once hid every later feed entry."""
    psycopg = pytest.importorskip("psycopg")
    with psycopg.connect(DSN) as idle:
        idle.execute("SELECT pg_current_xact_id()")  # open, and holding a transaction id
        control = Store(tmp_path / "control.db")
        dispatch(control, "PC2001")
        with pg_hub.client(pg_hub.enrol(), "CH1001") as client:
            assert push_outbox(control, client).accepted == 4
        mine = Store(tmp_path / "pc2001.db")
        with pg_hub.client(pg_hub.enrol(), "PC2001") as client:
            assert pull_changes(mine, client) == 2  # the assignment and its briefing, now
        idle.rollback()
