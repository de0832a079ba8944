"""Ingest beside the peer: the same envelopes pushed to the hub (`POST /v1/push`, signed in,
authorised by content, filed in the record tables, feed and person index) and to
pouchdb-server (`_bulk_docs`, new_edits false), by one client or many at once.

Each round uses a fresh database on each system (a new SQLite file or PostgreSQL schema
and a new hub process; a new pouchdb database), and the systems take turns going first.
Records/s is the median of the rounds; push latencies are pooled over them.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import httpx
from hub_setup import (
    JSON,
    batches,
    drop_target,
    envelopes_by_author,
    fresh_target,
    hub_counts,
    hub_server,
    load,
    setup_hub,
    sign_in,
    spread,
)
from pouch_peer import PouchPeer, bulk_docs, check_answer

from firstresponse.store import Store
from firstresponse.sync.protocol import PushRequest


@dataclass
class Plan:
    """The records each client pushes, as request bodies for either system."""

    collars: list[str]
    hub_bodies: list[list[str]]
    peer_bodies: list[list[str]]
    records: int


@dataclass
class Run:
    records: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.records / self.seconds


@dataclass
class Row:
    clients: int
    records: int
    hub: list[Run] = field(default_factory=list)
    peer: list[Run] = field(default_factory=list)
    load_before: str = ""
    load_after: str = ""

    def rate(self, runs: list[Run]) -> float:
        return statistics.median(run.rate for run in runs)

    def ratios(self) -> list[float]:
        return [h.rate / p.rate for h, p in zip(self.hub, self.peer, strict=True)]

    def spread(self, runs: list[Run]) -> dict[str, float]:
        return spread([seconds for run in runs for seconds in run.latencies])


def make_plan(work: Path, records: int, clients: int) -> Plan:
    """`records` split evenly over `clients` officers, each pushing its own in batches."""
    store = Store(work / f"plan-{clients}-{records}.db")
    share = -(-records // clients)
    found = envelopes_by_author(store, {f"PC{9000 + n}": share for n in range(clients)})
    store.close()
    collars = list(found)
    return Plan(
        collars=collars,
        hub_bodies=[
            [PushRequest(envelopes=b).model_dump_json() for b in batches(found[c])] for c in collars
        ],
        peer_bodies=[[bulk_docs(b) for b in batches(found[c])] for c in collars],
        records=sum(len(found[c]) for c in collars),
    )


def push_all(
    url: str,
    path: str,
    bodies: list[list[str]],
    headers: list[dict[str, str]],
    check: Callable[[httpx.Response], None],
    warm: str,
) -> tuple[float, list[float]]:
    """Every client posts its bodies in turn on its own keep-alive connection, all clients
    starting together; returns (seconds from first start to last answer, latencies)."""
    clients = len(bodies)
    ready = threading.Barrier(clients)
    latencies: list[float] = []
    spans: list[tuple[float, float]] = []
    lock = threading.Lock()
    failures: list[BaseException] = []

    def client(n: int) -> None:
        try:
            with httpx.Client(base_url=url, headers={**JSON, **headers[n]}, timeout=300) as http:
                http.get(warm).raise_for_status()  # connected before the clock starts
                ready.wait(120)
                start = time.perf_counter()
                mine = []
                for body in bodies[n]:
                    sent = time.perf_counter()
                    check(http.post(path, content=body))
                    mine.append(time.perf_counter() - sent)
                with lock:
                    latencies.extend(mine)
                    spans.append((start, time.perf_counter()))
        except BaseException as exc:  # reported below, not lost in a thread
            failures.append(exc)
            ready.abort()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{len(failures)} clients failed: {failures[0]!r}") from failures[0]
    return max(end for _, end in spans) - min(start for start, _ in spans), latencies


def check_hub(answer: httpx.Response) -> None:
    answer.raise_for_status()
    statuses = {item["status"] for item in answer.json()["results"]}
    if statuses != {"accepted"}:
        raise RuntimeError(f"hub did not accept every record: {answer.text[:300]}")


def hub_round(db: str, work: Path, plan: Plan) -> Run:
    target = fresh_target(db, work, "ingest")
    tokens = setup_hub(target, plan.collars)
    server = hub_server(target)
    try:
        headers = [sign_in(server.url, tokens[c], c) for c in plan.collars]
        seconds, latencies = push_all(
            server.url, "/v1/push", plan.hub_bodies, headers, check_hub, "/v1/health"
        )
    finally:
        server.stop()
    stored = hub_counts(target)
    drop_target(target)
    if stored != (plan.records, plan.records):
        raise RuntimeError(f"hub stored {stored}, expected {plan.records} once each")
    return Run(plan.records, seconds, latencies)


def peer_round(peer: PouchPeer, plan: Plan) -> Run:
    path = peer.fresh_database()
    headers: list[dict[str, str]] = [{} for _ in plan.collars]
    seconds, latencies = push_all(peer.url, path, plan.peer_bodies, headers, check_answer, "/")
    stored = peer.doc_count(path)
    if stored != plan.records:
        raise RuntimeError(f"pouchdb-server holds {stored} documents, expected {plan.records}")
    return Run(plan.records, seconds, latencies)


def again_once(round_: Callable[[], Run]) -> Run:
    """The round, run once more (and said so) if its server went away on the shared machine."""
    try:
        return round_()
    except (httpx.TransportError, RuntimeError) as exc:
        print(f"  (a round failed and was run again: {exc!r:.200})", flush=True)
        return round_()


def compare(
    db: str, work: Path, peer: PouchPeer, records: int, client_counts: list[int], rounds: int
) -> list[Row]:
    """Hub and peer, `rounds` each per client count, taking turns to go first."""
    rows = []
    for clients in client_counts:
        plan = make_plan(work, records, clients)
        row = Row(clients, plan.records, load_before=load())
        for n in range(rounds):
            for system in ("hub", "peer") if n % 2 == 0 else ("peer", "hub"):
                if system == "hub":
                    row.hub.append(again_once(partial(hub_round, db, work, plan)))
                else:
                    row.peer.append(again_once(partial(peer_round, peer, plan)))
        row.load_after = load()
        rows.append(row)
    return rows


def verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def print_rows(backend: str, rows: list[Row], rounds: int, fsynced: int) -> bool:
    """The table, goals beside the figures; returns whether every goal is met."""
    print(
        f"[{backend}] hub beside pouchdb-server 4.2 (LevelDB fsynced: {fsynced:,} writes with "
        f"sync: true), batches of 200, fresh database per round, {rounds} rounds, systems "
        "taking turns:"
    )
    print(
        "  clients  records  hub rec/s  peer rec/s  hub/peer (rounds)    goal >=1.0x  "
        "push p50/p95/p99 ms: hub | peer      load before -> after"
    )
    ok = True
    for row in rows:
        hub_rate, peer_rate = row.rate(row.hub), row.rate(row.peer)
        ratios = row.ratios()
        hub_ms, peer_ms = row.spread(row.hub), row.spread(row.peer)
        rate_ok = hub_rate >= peer_rate
        ok = ok and rate_ok
        print(
            f"  {row.clients:7d}  {row.records:7,}  {hub_rate:9,.0f}  {peer_rate:10,.0f}  "
            f"{hub_rate / peer_rate:4.2f} ({min(ratios):.2f}-{max(ratios):.2f})"
            f"{'':6}{verdict(rate_ok):11}  "
            f"{hub_ms['p50']:.0f}/{hub_ms['p95']:.0f}/{hub_ms['p99']:.0f} | "
            f"{peer_ms['p50']:.0f}/{peer_ms['p95']:.0f}/{peer_ms['p99']:.0f}"
            f"{'':8}{row.load_before} -> {row.load_after}"
        )
    crowd = max(rows, key=lambda r: r.clients)
    hub_p99, peer_p99 = crowd.spread(crowd.hub)["p99"], crowd.spread(crowd.peer)["p99"]
    p99_ok = hub_p99 <= peer_p99
    print(
        f"  push p99 at {crowd.clients} clients: hub {hub_p99:.0f} ms, peer {peer_p99:.0f} ms "
        f"({verdict(p99_ok)} the goal: hub <= peer)"
    )
    return ok and p99_ok
