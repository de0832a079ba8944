"""Sync benchmark, loopback only.

1. Ingest: 10,000 records (person, incident, child cases) posted in batches of 200 to the
   hub's full ingest (validated, authorised by content, written to the record tables and the
   change feed, exactly once), against the same request bytes posted to the same server,
   signed in the same way, writing each envelope durably as one raw row in the same
   database (one transaction per batch): the least a durable store can do. Goal: ratio
   >= 0.5. The raw writes are timed three times (the table emptied between) and the median
   taken. For information: the same bytes to an endpoint that only parses them, and a
   terminal's outbox pushed through its real client (outbox reads and acknowledgements).
2. Shift start: 200 concurrent simulated terminals, each with its own store and device,
   signing in and pushing their outboxes at once, retrying a network failure with backoff
   as the real client does: sign-in and push latency (p50/p95/p99), retries, and a check
   that every record is on the hub exactly once and acknowledged on its terminal.

    .venv/bin/python bench/sync.py [--db postgresql+psycopg://...] [--records 10000]
        [--terminals 200] [--per-terminal 50] [--workers N] [--part all|ingest|shift]

The hub and the parse-only endpoint run as separate uvicorn processes on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from sqlalchemy import func  # noqa: E402
from sqlmodel import select  # noqa: E402

from firstresponse.hub import admin  # noqa: E402
from firstresponse.hub.db import hub_engine, transaction  # noqa: E402
from firstresponse.hub.deps import Db, Who  # noqa: E402  (module level: FastAPI resolves it here)
from firstresponse.hub.models import HubEnvelope  # noqa: E402
from firstresponse.records import Child, Incident, OutboxItem, Person, User  # noqa: E402
from firstresponse.security.pins import hash_pin  # noqa: E402
from firstresponse.store import Store, outbox  # noqa: E402
from firstresponse.sync.backoff import Backoff  # noqa: E402
from firstresponse.sync.client import Credentials, HubClient, NetworkFailure  # noqa: E402
from firstresponse.sync.protocol import (  # noqa: E402
    ItemResult,
    PushRequest,
    PushResponse,
)
from firstresponse.sync.push import envelope, push_outbox  # noqa: E402

PIN = "4826"
BATCH = 200
ROUNDS = 3  # the sinks are timed this many times; the median is shown


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


RAW = "bench_raw_envelope"


def raw_table(metadata: Any) -> Any:
    """One row per envelope: its id, version, hash and body text, keyed on (id, version)."""
    from sqlalchemy import Column, Integer, Table, Text

    return Table(
        RAW,
        metadata,
        Column("record_id", Text, primary_key=True),
        Column("version", Integer, primary_key=True),
        Column("content_hash", Text, nullable=False),
        Column("body", Text, nullable=False),
    )


def hub_app(target: str):
    """The hub exactly as `firstresponse hub` serves it, plus a bench-only route on the same
    server that writes each envelope of a push durably as one raw row in the same database."""
    from fastapi import APIRouter
    from sqlalchemy import MetaData, insert

    from firstresponse.hub.app import create_app
    from firstresponse.records import canonical_json

    engine = hub_engine(target, migrate=False)
    table = raw_table(MetaData())
    table.create(engine, checkfirst=True)
    router = APIRouter()

    @router.post("/bench/raw", response_model=PushResponse)
    def raw(batch: PushRequest, who: Who, db: Db) -> PushResponse:
        rows = [
            {
                "record_id": e.id,
                "version": e.version,
                "content_hash": e.content_hash,
                "body": canonical_json(e.body),
            }
            for e in batch.envelopes
        ]
        with transaction(db) as session:
            if rows:
                session.execute(insert(table), rows)
        return PushResponse(
            results=[
                ItemResult(id=e.id, version=e.version, status="accepted", code=200)
                for e in batch.envelopes
            ]
        )

    app = create_app(engine)
    app.include_router(router)
    return app


def empty_raw(target: str) -> None:
    from sqlalchemy import MetaData, delete

    engine = hub_engine(target, migrate=False)
    with transaction(engine) as db:
        db.execute(delete(raw_table(MetaData())))
    engine.dispose()


def null_app():
    """Parses a push exactly as the hub does (the same request and response models, the
    same FastAPI route machinery), answers every item, stores nothing."""
    from fastapi import FastAPI

    app = FastAPI()

    @app.post("/v1/push", response_model=PushResponse)
    def push(batch: PushRequest) -> PushResponse:
        return PushResponse(
            results=[
                ItemResult(id=e.id, version=e.version, status="accepted", code=200)
                for e in batch.envelopes
            ]
        )

    return app


class Server:
    """A uvicorn process on loopback, stopped on exit."""

    def __init__(self, argv: list[str], env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [*argv, "--port", str(self.port)],
            cwd=REPO,
            env={**os.environ, **(env or {})},
            stdout=None,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/docs", timeout=1).status_code < 500:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server {argv} did not start")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def queue(store: Store, records: int, author: str) -> int:
    """Cases of person + incident + child until at least `records` envelopes are queued."""
    with store.session() as db:
        made = 0
        while made < records:
            person = Person(forename="Bench", surname=f"Victim{made}")
            outbox.enqueue_record(db, person)
            db.flush()
            incident = Incident(
                reference=f"B-{uuid.uuid4().hex}",
                occurred_at=datetime.now(UTC),
                victim_id=person.id,
                summary="synthetic benchmark incident " * 4,
                created_by=author,
            )
            outbox.enqueue_record(db, incident, priority=outbox.PRIORITY_HIGH_RISK)
            db.flush()
            made += 2
            if made < records:
                child = Child(incident_id=incident.id, name="Bench Child", age=6, seen=True)
                outbox.enqueue_record(db, child, priority=outbox.PRIORITY_CHILD)
                made += 1
    return made


def setup_hub(target: str, users: list[str]) -> dict[str, str]:
    """Users (responders) and one device token per user on the hub database."""
    engine = hub_engine(target)
    pin_hash = hash_pin(PIN)
    tokens = {}
    with transaction(engine) as db:
        boss = User(collar="BENCHADMIN", name="Bench Admin", role="admin", pin_hash=pin_hash)
        db.add(boss)
        for collar in users:
            db.add(
                User(
                    collar=collar,
                    name=f"Bench {collar}",
                    role="responder",
                    team="Bench",
                    pin_hash=pin_hash,
                )
            )
        db.flush()
        for collar in users:
            _device, tokens[collar] = admin.enrol(db, boss, f"MDT-{collar}")
    engine.dispose()
    return tokens


def hub_counts(target: str) -> tuple[int, int]:
    """(stored envelopes, distinct record ids) on the hub."""
    engine = hub_engine(target, migrate=False)
    with transaction(engine) as db:
        total = db.exec(select(func.count()).select_from(HubEnvelope)).one()
        distinct = db.exec(select(func.count(func.distinct(HubEnvelope.record_id)))).one()
    engine.dispose()
    return int(total), int(distinct)


def post_all(url: str, bodies: list[str], headers: dict[str, str], path: str = "/v1/push") -> float:
    """Seconds to post every body in turn on one keep-alive connection."""
    with httpx.Client(base_url=url, timeout=120) as http:
        headers = {"Content-Type": "application/json", **headers}
        start = time.perf_counter()
        for body in bodies:
            answer = http.post(path, content=body, headers=headers)
            answer.raise_for_status()
            statuses = {item["status"] for item in answer.json()["results"]}
            assert statuses == {"accepted"}, answer.text[:500]
        return time.perf_counter() - start


def hub_server(target: str, workers: int = 1) -> Server:
    argv = [sys.executable, "-m", "firstresponse", "hub", "--db", target, "--log-level", "warning"]
    return Server([*argv, "--workers", str(workers)])


def bench_hub_server(target: str) -> Server:
    """The hub plus the raw-row route, one process."""
    return Server([sys.executable, str(Path(__file__)), "--serve-hub", target])


def throughput(target: str, client_target: str, work: Path, records: int) -> dict[str, float]:
    tokens = setup_hub(target, ["PC9000"])
    store = Store(work / "terminal.db")
    records = queue(store, records, "PC9000")
    with store.session() as db:
        items = outbox.waiting(db)
        bodies = [
            PushRequest(envelopes=[envelope(i) for i in items[n : n + BATCH]]).model_dump_json()
            for n in range(0, len(items), BATCH)
        ]
    hub = bench_hub_server(target)
    try:
        device = {"X-Device-Token": tokens["PC9000"]}
        signed_in = httpx.post(  # sign in once, as at shift start: the session token after
            hub.url + "/v1/sessions", json={"collar": "PC9000", "pin": PIN}, headers=device
        )
        signed_in.raise_for_status()
        headers = {**device, "X-Session": signed_in.json()["token"]}
        with httpx.Client(base_url=hub.url, headers=headers) as http:
            http.get("/v1/whoami").raise_for_status()
        raw_times = []
        for _ in range(ROUNDS):
            empty_raw(target)
            raw_times.append(post_all(hub.url, bodies, headers, "/bench/raw"))
        raw_s = statistics.median(raw_times)
        hub_s = post_all(hub.url, bodies, headers)
    finally:
        hub.stop()
    null = Server([sys.executable, str(Path(__file__)), "--serve-null"])
    try:
        null_s = statistics.median(post_all(null.url, bodies, {}) for _ in range(ROUNDS))
    finally:
        null.stop()
    client_tokens = setup_hub(client_target, ["PC9000"])
    served = hub_server(client_target)
    try:
        credentials = Credentials("PC9000", PIN)
        with HubClient(served.url, client_tokens["PC9000"], credentials) as client:
            client.whoami()
            start = time.perf_counter()
            report = push_outbox(store, client, batch_size=BATCH)
            client_s = time.perf_counter() - start
        assert report.accepted == records and not report.stopped, report
    finally:
        served.stop()
    total, distinct = hub_counts(target)
    assert hub_counts(client_target) == (records, records)
    with store.session() as db:
        acked = db.exec(
            select(func.count()).select_from(OutboxItem).where(OutboxItem.status == "acknowledged")
        ).one()
    store.close()
    return {
        "records": records,
        "hub_rps": records / hub_s,
        "raw_rps": records / raw_s,
        "ratio": raw_s / hub_s,
        "null_rps": records / null_s,
        "null_ratio": null_s / hub_s,
        "client_rps": records / client_s,
        "stored": total,
        "distinct": distinct,
        "acknowledged": int(acked),
        "megabytes": sum(len(b) for b in bodies) / 1e6,
    }


def percentile(ordered: list[float], share: float) -> float:
    return ordered[round(share * (len(ordered) - 1))] if ordered else float("nan")


def retrying(call, backoff: Backoff, retries: list[str], deadline: float):
    """`call()`, retried after a NetworkFailure with backoff (as the sync worker does)."""
    while True:
        try:
            return call()
        except NetworkFailure as exc:
            if time.monotonic() > deadline:
                raise
            retries.append(str(exc))
            time.sleep(backoff.next_delay())


def fleet(
    target: str, work: Path, terminals: int, per_terminal: int, workers: int = 1
) -> dict[str, float]:
    collars = [f"PC{7000 + n}" for n in range(terminals)]
    tokens = setup_hub(target, collars)
    stores = {}
    expected = 0
    for collar in collars:
        stores[collar] = Store(work / f"{collar}.db")
        expected += queue(stores[collar], per_terminal, collar)
    hub = hub_server(target, workers)
    latencies: list[float] = []
    sign_ins: list[float] = []
    retries: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(terminals)

    class TimedClient(HubClient):
        def push(self, envelopes):
            start = time.perf_counter()
            try:
                return super().push(envelopes)
            finally:
                with lock:
                    latencies.append(time.perf_counter() - start)

    def terminal(collar: str) -> tuple[int, str]:
        backoff = Backoff(base=0.5, cap=10.0)
        deadline = time.monotonic() + 600
        with TimedClient(hub.url, tokens[collar], Credentials(collar, PIN), timeout=120) as c:
            start = time.perf_counter()
            retrying(c.whoami, backoff, retries, deadline)  # all 200 sign in at once
            with lock:
                sign_ins.append(time.perf_counter() - start)
            backoff.reset()
            barrier.wait(600)
            accepted = 0
            while True:
                report = push_outbox(stores[collar], c, batch_size=10)
                accepted += report.accepted
                if not report.stopped or report.auth_failed or time.monotonic() > deadline:
                    return accepted, report.stopped
                with lock:
                    retries.append(report.stopped)
                time.sleep(backoff.next_delay())  # the rows wait in the outbox; try again

    try:
        start = time.perf_counter()
        with ThreadPoolExecutor(terminals) as pool:
            outcomes = list(pool.map(terminal, collars))
        wall = time.perf_counter() - start
    finally:
        hub.stop()
    pending = 0
    for store in stores.values():
        with store.session() as db:
            pending += len(outbox.waiting(db))
        store.close()
    total, distinct = hub_counts(target)
    ordered = sorted(latencies)
    signed = sorted(sign_ins)
    return {
        "terminals": terminals,
        "records": expected,
        "requests": len(ordered),
        "p50_ms": 1000 * percentile(ordered, 0.50),
        "p95_ms": 1000 * percentile(ordered, 0.95),
        "p99_ms": 1000 * percentile(ordered, 0.99),
        "max_ms": 1000 * ordered[-1],
        "sign_in_p50_ms": 1000 * percentile(signed, 0.50),
        "sign_in_p99_ms": 1000 * percentile(signed, 0.99),
        "retries": len(retries),
        "retry_reasons": sorted({reason[:80] for reason in retries})[:3],
        "wall_s": wall,
        "stopped": sum(1 for _, why in outcomes if why),
        "stored": total,
        "distinct": distinct,
        "lost": expected - distinct,
        "duplicated": total - distinct,
        "left_pending": pending,
    }


def fresh_target(db: str, work: Path, name: str) -> str:
    """A new SQLite file, or a new schema in the given PostgreSQL database."""
    if not db:
        return str(work / f"{name}.db")
    import psycopg

    schema = f"bench_{name}_{uuid.uuid4().hex[:8]}"
    base = db.split("?")[0]
    with psycopg.connect(base.replace("postgresql+psycopg", "postgresql"), autocommit=True) as c:
        c.execute(f"CREATE SCHEMA {schema}")
    return f"{base}?options=-csearch_path%3D{schema}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="", help="PostgreSQL URL (default: SQLite files)")
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--terminals", type=int, default=200)
    parser.add_argument("--per-terminal", type=int, default=50)
    parser.add_argument("--workers", type=int, default=1, help="hub workers for the shift start")
    parser.add_argument(
        "--part", choices=("all", "ingest", "shift"), default="all", help="which part to run"
    )
    parser.add_argument("--serve-null", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve-hub", default="", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_null or args.serve_hub:
        import uvicorn

        app = hub_app(args.serve_hub) if args.serve_hub else null_app()
        uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")
        return 0
    backend = "PostgreSQL" if args.db else "SQLite"
    ok = True
    with tempfile.TemporaryDirectory(prefix="fr-bench-") as tmp:
        work = Path(tmp)
        if args.part != "shift":
            ok = ingest_part(args, backend, work)
        if args.part != "ingest":
            ok = shift_part(args, backend, work) and ok
    return 0 if ok else 1


def ingest_part(args: argparse.Namespace, backend: str, work: Path) -> bool:
    """Part 1: full ingest against raw rows; prints the figures, returns whether all landed."""
    t = throughput(
        fresh_target(args.db, work, "push"),
        fresh_target(args.db, work, "client"),
        work,
        args.records,
    )
    print(f"[{backend}] ingest {t['records']:,} records ({t['megabytes']:.1f} MB):")
    print(
        f"  full ingest {t['hub_rps']:8.0f} records/s (stored {t['stored']:,}, "
        f"distinct {t['distinct']:,})"
    )
    print(
        f"  raw rows    {t['raw_rps']:8.0f} records/s (same server and database, one "
        f"durable row each; median of {ROUNDS})"
    )
    verdict = "meets" if t["ratio"] >= 0.5 else "MISSES"
    print(f"  ratio       {t['ratio']:8.2f}  ({verdict} the 0.5 goal)")
    print(
        f"  parse only  {t['null_rps']:8.0f} records/s (for information: stores nothing; "
        f"full ingest is {t['null_ratio']:.2f} of it)"
    )
    print(
        f"  terminal    {t['client_rps']:8.0f} records/s (a terminal's outbox through its "
        f"client; acknowledged {t['acknowledged']:,})"
    )
    return bool(t["distinct"] == t["records"] == t["stored"])


def shift_part(args: argparse.Namespace, backend: str, work: Path) -> bool:
    """Part 2: 200 terminals at shift start; prints the figures, returns whether all landed."""
    fleet_dir = work / "fleet"
    fleet_dir.mkdir()
    f = fleet(
        fresh_target(args.db, work, "fleet"),
        fleet_dir,
        args.terminals,
        args.per_terminal,
        args.workers,
    )
    print(
        f"[{backend}] shift start: {f['terminals']} terminals at once, hub workers "
        f"{args.workers}, {f['records']:,} records, {f['requests']} pushes in "
        f"{f['wall_s']:.1f}s:"
    )
    print(f"  sign-in  p50 {f['sign_in_p50_ms']:.0f} ms  p99 {f['sign_in_p99_ms']:.0f} ms")
    print(
        f"  push     p50 {f['p50_ms']:.0f} ms  p95 {f['p95_ms']:.0f} ms  "
        f"p99 {f['p99_ms']:.0f} ms  max {f['max_ms']:.0f} ms; retries {f['retries']}"
        + (f" ({'; '.join(f['retry_reasons'])})" if f["retries"] else "")
    )
    print(
        f"  lost {f['lost']}  duplicated {f['duplicated']}  left pending "
        f"{f['left_pending']}  runs stopped {f['stopped']}"
    )
    return f["lost"] == 0 and f["duplicated"] == 0 and f["left_pending"] == 0


if __name__ == "__main__":
    raise SystemExit(main())
