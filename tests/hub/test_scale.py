"""Several hub processes on one PostgreSQL database, and a database that drops the hub.

Nothing pushed through any of them is lost, stored twice or wrongly in conflict, a newer
version is never overwritten by an older one racing through another process, and a hub
whose connections are cut mid-push recovers by itself.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psycopg
import pytest
from sqlmodel import select

from firstresponse.hub.db import transaction
from firstresponse.records import Child, Incident, OutboxItem
from firstresponse.store import Store, outbox
from firstresponse.sync.protocol import Envelope, ItemResult
from firstresponse.sync.push import envelope, push_outbox
from tests.hub.support import Hub, add_users, free_port, hub_process, queue_cases
from tests.hub.test_ingest import env, incident, person
from tests.postgres import DSN, postgres_schema

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_hub() -> Iterator[Hub]:
    """A migrated PostgreSQL schema with users (no server started)."""
    for url in postgres_schema("hubscale"):
        hub = Hub(url)
        add_users(hub.engine)
        yield hub
        hub.engine.dispose()


def envelopes(store: Store) -> list[Envelope]:
    with store.session() as db:
        return [envelope(row) for row in outbox.waiting(db)]


def test_two_hub_processes_on_one_database_store_everything_exactly_once(
    pg_hub: Hub, tmp_path: Path
) -> None:
    token = pg_hub.enrol()
    shared = Store(tmp_path / "shared.db")
    shared_ids = queue_cases(shared, 30, children=2)
    own = [Store(tmp_path / f"t{n}.db") for n in range(4)]
    own_ids = [queue_cases(store, 15, children=1) for store in own]
    same = envelopes(shared)
    # Versions 2 and 3 of one set of incidents, sent through different hubs at once.
    people = [env("person", person(f"p-v{n}")) for n in range(20)]
    versions = {
        v: [
            env("incident", {**incident(f"i-v{n}", f"p-v{n}", f"v{v}"), "created_by": "PC2001"}, v)
            for n in range(20)
        ]
        for v in (2, 3)
    }
    with (
        hub_process(pg_hub.target, free_port(), workers=2) as first,
        hub_process(pg_hub.target, free_port()) as second,
    ):
        urls = [first, second]
        with pg_hub.client(token, url=first) as client:
            assert {r.status for r in client.push(people)} == {"accepted"}

        def push(n: int, batch: list[Envelope]) -> list[ItemResult]:
            with pg_hub.client(token, url=urls[n % 2]) as client:
                return client.push(batch)

        def drain(n: int) -> int:
            with pg_hub.client(token, url=urls[n % 2]) as client:
                return push_outbox(own[n], client, batch_size=20).accepted

        with ThreadPoolExecutor(12) as pool:
            same_runs = [pool.submit(push, n, same) for n in range(6)]
            version_runs = [pool.submit(push, v, versions[v]) for v in (2, 3)]
            drains = [pool.submit(drain, n) for n in range(4)]
            answers = [r for run in same_runs for r in run.result()]
            answers += [r for run in version_runs for r in run.result()]
            assert [d.result() for d in drains] == [len(ids) for ids in own_ids]
    assert {r.status for r in answers} <= {"accepted", "duplicate"}, [
        (r.status, r.reason) for r in answers if r.status not in ("accepted", "duplicate")
    ]
    assert sum(r.status == "accepted" for r in answers) == len(same) + 40
    every = shared_ids + [i for ids in own_ids for i in ids]
    counts = pg_hub.envelope_counts()
    assert {i: counts.get(i) for i in every} == {i: 1 for i in every}
    with transaction(pg_hub.engine) as db:
        assert len(db.exec(select(Child)).all()) == 30 * 2 + 4 * 15
        summaries = {i.summary for i in db.exec(select(Incident)) if i.id.startswith("i-v")}
    assert summaries == {"v3"}  # never overwritten by version 2 racing through the other hub


def _terminate(application_name: str) -> int:
    with psycopg.connect(DSN, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
            (application_name,),
        ).fetchall()
    return len(rows)


@pytest.fixture
def named_hub() -> Iterator[tuple[Hub, str]]:
    """A hub in this process whose PostgreSQL connections carry a name we can cut."""
    name = f"hubdrop{os.getpid()}"
    for url in postgres_schema("hubdrop"):
        hub = Hub(f"{url}&application_name={name}")
        add_users(hub.engine)
        hub.start()
        try:
            yield hub, name
        finally:
            hub.stop()
            hub.engine.dispose()


def test_the_hub_recovers_when_postgresql_drops_its_connections_mid_push(
    named_hub: tuple[Hub, str], tmp_path: Path
) -> None:
    hub, name = named_hub
    store = Store(tmp_path / "t.db")
    ids = queue_cases(store, 120, children=2)
    token = hub.enrol()
    done = threading.Event()
    failures: list[str] = []

    def sync() -> None:
        with hub.client(token) as client:
            while True:
                report = push_outbox(store, client, batch_size=15)
                if report.stopped:
                    failures.append(report.stopped)  # a dropped connection: retry
                    continue
                if report.accepted + report.duplicate == 0:
                    break
        done.set()

    def acknowledged() -> int:
        with store.session() as db:
            query = select(OutboxItem).where(OutboxItem.status == "acknowledged")
            return len(db.exec(query).all())

    worker = threading.Thread(target=sync)
    worker.start()
    killed = 0
    for cut in range(1, 4):  # cut every connection while batches are going in
        deadline = time.monotonic() + 30
        while not done.is_set() and acknowledged() < cut * 60 and time.monotonic() < deadline:
            time.sleep(0.02)
        killed += _terminate(name)
    worker.join(120)
    assert done.is_set() and not worker.is_alive()
    assert killed > 0  # the hub's connections were cut
    with store.session() as db:
        assert {row.status for row in db.exec(select(OutboxItem))} == {"acknowledged"}
    assert hub.envelope_counts() == {i: 1 for i in ids}
    assert httpx.get(hub.url + "/v1/health").json()["status"] == "ok"
    assert all("503" in f or "unreachable" in f for f in failures), failures
