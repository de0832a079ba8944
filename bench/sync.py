"""Sync benchmark, loopback only: every figure beside its goal, the peer and the load.

1. Peer (`--peer pouchdb`): the same 10,000 records, batches of 200, pushed to the hub and
   to pouchdb-server 4.2 with LevelDB fsynced (bench/pouch_peer.py, installed with npm into
   the bench cache), one client and 50 at once, fresh database per round, systems taking
   turns (bench/versus_peer.py). Goals: hub records/s >= 1.0x the peer's; push p99 at 50
   clients <= the peer's.
2. Ingest diagnostics: full ingest against the same bytes written by the same server as
   one durable raw row each (median of 3), parse-only, and a terminal's outbox pushed
   through its real client. Not goals: they show where the time goes.
3. Shift start (bench/shift_start.py): 2,000 terminals signing in at random moments within
   one minute, each then pushing its first records (goals: sign-in p99 <= 2 s, push p99
   <= 2 s, 0 lost), and 200 at once beside it; then those terminals idle, polling every
   `sync_interval_seconds` as today: hub CPU (the baseline for changes pushed, not polled).
4. Fleet: 200 terminals with real stores and clients signing in and pushing at once.

    .venv/bin/python bench/sync.py [--db sqlite] [--db postgresql+psycopg://...]
        [--peer pouchdb] [--part all|peer|ingest|shift|fleet] [--quick] [--workers N]

`--quick` runs every part with small numbers in seconds (a smoke run, not a measurement).
The hub, the parse-only endpoint and the peer run as separate processes on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from hub_setup import (
    BATCH,
    PIN,
    Server,
    drop_target,
    free_port,
    fresh_target,
    hub_counts,
    hub_server,
    load,
    percentile,
    queue,
    setup_hub,
)
from sqlalchemy import func
from sqlmodel import select

from firstresponse.hub.db import hub_engine, transaction
from firstresponse.hub.deps import Db, Who  # module level: FastAPI resolves it here
from firstresponse.records import OutboxItem
from firstresponse.store import Store, outbox
from firstresponse.sync.backoff import Backoff
from firstresponse.sync.client import Credentials, HubClient, NetworkFailure
from firstresponse.sync.protocol import ItemResult, PushRequest, PushResponse
from firstresponse.sync.push import envelope, push_outbox

ROUNDS = 3  # the sinks are timed this many times; the median is shown


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


QUICK = {
    "records": 400,
    "clients": [1, 4],
    "rounds": 1,
    "terminals": 20,
    "window": 2.0,
    "burst": 10,
    "idle_seconds": 2.0,
    "fleet": 4,
    "fleet_records": 10,
}


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db",
        action="append",
        help="'sqlite' or a PostgreSQL URL; repeat for both (default: sqlite)",
    )
    parser.add_argument("--peer", choices=("pouchdb", "none"), default="none")
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument(
        "--clients", type=int, nargs="+", default=[1, 50], help="concurrent clients vs the peer"
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds per system vs the peer")
    parser.add_argument("--terminals", type=int, default=2000, help="shift start terminals")
    parser.add_argument("--window", type=float, default=60.0, help="shift start spread (s)")
    parser.add_argument("--per-terminal", type=int, default=5, help="first records each")
    parser.add_argument("--burst", type=int, default=200, help="terminals signing in at once")
    parser.add_argument("--idle-seconds", type=float, default=30.0, help="idle CPU window")
    parser.add_argument("--fleet", type=int, default=200, help="real-client terminals")
    parser.add_argument("--fleet-records", type=int, default=50, help="records each")
    parser.add_argument("--workers", type=int, default=1, help="hub workers (shift, fleet)")
    parser.add_argument(
        "--part",
        choices=("all", "peer", "ingest", "shift", "fleet"),
        default="all",
        help="which part to run",
    )
    parser.add_argument("--quick", action="store_true", help="small numbers: a smoke run")
    parser.add_argument("--serve-null", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve-hub", default="", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        for name, value in QUICK.items():
            setattr(args, name, value)
    args.db = args.db or ["sqlite"]
    return args


def main() -> int:
    args = arguments()
    if args.serve_null or args.serve_hub:
        import uvicorn

        app = hub_app(args.serve_hub) if args.serve_hub else null_app()
        uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")
        return 0
    print(f"machine: {os.cpu_count()} cores, load {load()} (1, 5, 15 min)")
    parts = {
        "peer": peer_part,
        "ingest": ingest_part,
        "shift": shift_part,
        "fleet": fleet_part,
    }
    ok = True
    with tempfile.TemporaryDirectory(prefix="fr-bench-") as tmp:
        for db in args.db:
            backend = "SQLite" if db == "sqlite" else "PostgreSQL"
            for name, part in parts.items():
                if args.part in ("all", name):
                    work = Path(tmp) / f"{name}-{backend}"
                    work.mkdir()
                    ok = part(args, db, backend, work) and ok
    print(f"load at the end {load()}")
    return 0 if ok else 1


def peer_part(args: argparse.Namespace, db: str, backend: str, work: Path) -> bool:
    """The hub beside pouchdb-server; True when skipped (no peer asked for, or no node)."""
    if args.peer == "none":
        print(f"[{backend}] peer: not run (add --peer pouchdb to measure the goals against it)")
        return True
    from pouch_peer import PouchPeer, cache_dir, missing_tools
    from versus_peer import compare, print_rows

    absent = missing_tools()
    if absent:
        print(f"[{backend}] peer: skipped, {absent} (install Node.js with npm to measure it)")
        return True
    peer = PouchPeer(cache_dir(), free_port())
    try:
        rows = compare(db, work, peer, args.records, args.clients, args.rounds)
    finally:
        fsynced = peer.stop()
    return print_rows(backend, rows, args.rounds, fsynced)


def shift_part(args: argparse.Namespace, db: str, backend: str, work: Path) -> bool:
    """Shift start spread over the window, the burst beside it, then idle polling."""
    from shift_start import report_shift

    return report_shift(args, db, backend, work)


def ingest_part(args: argparse.Namespace, db: str, backend: str, work: Path) -> bool:
    """Diagnostics: full ingest against raw rows; prints the figures, returns whether all
    landed."""
    targets = fresh_target(db, work, "push"), fresh_target(db, work, "client")
    try:
        t = throughput(*targets, work, args.records)
    finally:
        for target in targets:
            drop_target(target)
    print(
        f"[{backend}] ingest diagnostics, {t['records']:,} records ({t['megabytes']:.1f} MB), "
        f"load {load()}:"
    )
    print(
        f"  full ingest {t['hub_rps']:8.0f} records/s (stored {t['stored']:,}, "
        f"distinct {t['distinct']:,})"
    )
    print(
        f"  raw rows    {t['raw_rps']:8.0f} records/s (same server and database, one "
        f"durable row each; median of {ROUNDS})"
    )
    print(f"  ratio       {t['ratio']:8.2f}  (a diagnostic, not a goal: the peer is the goal)")
    print(
        f"  parse only  {t['null_rps']:8.0f} records/s (for information: stores nothing; "
        f"full ingest is {t['null_ratio']:.2f} of it)"
    )
    print(
        f"  terminal    {t['client_rps']:8.0f} records/s (a terminal's outbox through its "
        f"client; acknowledged {t['acknowledged']:,})"
    )
    return bool(t["distinct"] == t["records"] == t["stored"])


def fleet_part(args: argparse.Namespace, db: str, backend: str, work: Path) -> bool:
    """200 terminals with real stores and clients at once; returns whether all landed."""
    fleet_dir = work / "fleet"
    fleet_dir.mkdir()
    target = fresh_target(db, work, "fleet")
    try:
        f = fleet(target, fleet_dir, args.fleet, args.fleet_records, args.workers)
    finally:
        drop_target(target)
    print(
        f"[{backend}] fleet: {f['terminals']} terminals (real stores and clients) at once, "
        f"load {load()}, hub workers "
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
