"""Changes pushed, not polled: 2,000 idle terminals against one hub process, in one run.

Each runs on a hub process of its own, on the same database (a hub still working through
one's backlog would be charged to the other).

1. Polling as before: each terminal syncs every `sync_interval_seconds` as the sync
   worker did when nothing changed (users, pull, roster with its digest, held records).
2. Waiting on the hub: each terminal sits in a pull with `wait` (20-25 s, as the worker
   draws it), asks again when it answers, and makes the worker's full sync (users,
   roster, held) once every `REFRESH_EVERY` seconds from a random start.

In each, for `--seconds`: the hub's CPU (user + system of its processes, /proc), the
requests made, and the time from a call handler's assignment (its push sent) to the
responder's pull receiving it, for `--assignments` cases sent to random responders at a
steady rate (goal while waiting: p99 <= 2 s). `uptime`'s load is printed beside each.
Sessions are opened in the hub's database beforehand (no Argon2: sign-in is measured by
bench/shift_start.py), and before each phase their last use is spread over the interval
at which the hub notes it (`hub.sessions.touch_every`), as in a shift's steady state
(`steady_touches`).

    .venv/bin/python bench/longpoll.py [--db sqlite|postgresql+psycopg://...]
        [--terminals 2000] [--seconds 60] [--assignments 120] [--workers 1]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import ssl
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from hub_setup import (
    JSON,
    cpu_seconds,
    drop_target,
    fresh_target,
    hub_server,
    setup_hub,
    spread,
)
from shift_start import Tally, request
from sqlmodel import select

from firstresponse.config import load_settings
from firstresponse.hub.auth import find_device
from firstresponse.hub.db import hub_engine, transaction
from firstresponse.hub.models import HubSession
from firstresponse.hub.sessions import DEFAULT_LIMITS, open_session, touch_every
from firstresponse.records import Assignment, Incident, Person, User, utcnow
from firstresponse.store import Store, outbox
from firstresponse.sync.protocol import PushRequest
from firstresponse.sync.push import envelope
from firstresponse.sync.worker import REFRESH_EVERY, WAIT_ON_HUB

HANDLER = "CH0001"
GOAL_MS = 2000.0
TLS = ssl.create_default_context()  # made once, not per terminal (none is used: loopback)
WARM_UP = 10.0  # seconds over which the terminals start, before the measured window
GRACE = 10.0  # seconds after the window for the last cases to arrive


@dataclass
class Terminal:
    collar: str
    token: str
    session: str
    cursor: str = ""
    digest: str = ""

    def headers(self) -> dict[str, str]:
        return {"X-Device-Token": self.token, "X-Session": self.session}


@dataclass
class Arrivals:
    """When each assignment was sent and when its responder's pull received it."""

    sent: dict[str, float] = field(default_factory=dict)
    received: dict[str, float] = field(default_factory=dict)

    def note(self, page: dict) -> None:
        now = time.monotonic()
        for change in page["changes"]:
            if change["topic"] == "assignment":
                self.received.setdefault(change["record_id"], now)

    def latencies(self) -> list[float]:
        return [self.received[i] - t for i, t in self.sent.items() if i in self.received]


def sessions(target: str, tokens: dict[str, str]) -> dict[str, str]:
    """A session for each officer on their device, opened in the hub's database."""
    engine = hub_engine(target, migrate=False)
    found = {}
    with transaction(engine, read_only=True) as db:
        users = {u.collar: u for u in db.exec(select(User))}
        devices = {collar: find_device(db, token) for collar, token in tokens.items()}
    for collar, device in devices.items():
        assert device is not None
        found[collar], _row, _key = open_session(engine, device, users[collar], "")
    engine.dispose()
    return found


def steady_touches(target: str) -> None:
    """Sessions last used at random moments in the past minute, as in a shift's steady
    state (the hub notes a session's use at most every `hub.sessions.touch_every`): not
    all 2,000 due for that write at once, as they would be straight after setup."""
    engine = hub_engine(target, migrate=False)
    now, every = utcnow(), touch_every(DEFAULT_LIMITS)
    with transaction(engine) as db:
        for row in db.exec(select(HubSession)):
            row.last_seen_at = now - timedelta(seconds=random.uniform(0, every.total_seconds()))
            db.add(row)
    engine.dispose()


def cases(work: Path, responders: list[str], count: int) -> list[tuple[str, str, str]]:
    """(responder, assignment id, push body) for `count` cases, each a victim, an incident
    and its assignment, as the call handler's terminal would push them."""
    store = Store(work / f"control-{uuid.uuid4().hex[:6]}.db")
    found = []
    for n in range(count):
        responder = random.choice(responders)
        with store.session() as db:
            victim = Person(forename="Bench", surname=f"Caller{n}")
            outbox.enqueue_record(db, victim)
            db.flush()
            incident = Incident(
                reference=f"LP-{uuid.uuid4().hex[:10]}",
                occurred_at=datetime.now(UTC),
                victim_id=victim.id,
                status="live",
                source="call",
                created_by=HANDLER,
            )
            outbox.enqueue_record(db, incident, priority=outbox.PRIORITY_HIGH_RISK)
            db.flush()
            assignment = Assignment(
                incident_id=incident.id, assignee=responder, grade="immediate", briefing={}
            )
            outbox.enqueue_record(db, assignment)
            db.flush()
            items = outbox.waiting(db)
            body = PushRequest(envelopes=[envelope(item) for item in items]).model_dump_json()
            for item in items:
                outbox.acknowledge(db, item)
        found.append((responder, assignment.id, body))
    store.close()
    return found


async def pull(http: httpx.AsyncClient, t: Terminal, tally: Tally, wait: float = 0) -> dict:
    params: dict[str, object] = {"cursor": t.cursor, "limit": 200}
    extra: dict[str, object] = {}
    if wait:
        params["wait"] = f"{wait:.1f}"
        extra["timeout"] = wait + 30
    answer = await request(
        http, tally, "GET", "/v1/pull", params=params, headers=t.headers(), **extra
    )
    page = answer.json()
    t.cursor = page["cursor"]
    return page


async def refresh(http: httpx.AsyncClient, t: Terminal, tally: Tally) -> None:
    """The rest of a full sync: officers, roster (with its digest), held records."""
    await request(http, tally, "GET", "/v1/users", headers={"X-Device-Token": t.token})
    roster_headers = {**t.headers(), **({"If-None-Match": t.digest} if t.digest else {})}
    roster = await request(http, tally, "GET", "/v1/roster", headers=roster_headers)
    if roster.status_code == 200:
        t.digest = roster.json()["digest"]
    await request(http, tally, "GET", "/v1/held", headers=t.headers())


def own_client(url: str) -> httpx.AsyncClient:
    """A terminal's own connection (one pool of 2,000 connections costs the bench more
    than the hub: httpx looks through every connection for each request)."""
    return httpx.AsyncClient(
        base_url=url, timeout=120, verify=TLS, limits=httpx.Limits(max_connections=2)
    )


async def polling(url: str, t: Terminal, tally: Tally, seen: Arrivals, every: float) -> None:
    """As the worker did: a full sync every `every` seconds."""
    await asyncio.sleep(random.uniform(0, every))
    async with own_client(url) as http:
        while True:
            start = time.monotonic()
            while (page := await pull(http, t, tally)) and page["more"]:
                seen.note(page)
            seen.note(page)
            await refresh(http, t, tally)
            tally.polls.append(time.monotonic() - start)
            await asyncio.sleep(every)


async def waiting(url: str, t: Terminal, tally: Tally, seen: Arrivals) -> None:
    """As the worker does now: sit in waiting pulls; a full sync every REFRESH_EVERY s."""
    await asyncio.sleep(random.uniform(0, WARM_UP))  # terminals come online over a spell
    refresh_at = time.monotonic() + random.uniform(0, REFRESH_EVERY)
    async with own_client(url) as http:
        while True:
            page = await pull(http, t, tally, wait=WAIT_ON_HUB * random.uniform(0.8, 1.0))
            seen.note(page)
            if time.monotonic() >= refresh_at:
                await refresh(http, t, tally)
                refresh_at += REFRESH_EVERY


async def dispatch(
    http: httpx.AsyncClient,
    handler: Terminal,
    work: list[tuple[str, str, str]],
    gap: float,
    tally: Tally,
    seen: Arrivals,
) -> None:
    """The call handler sends each case in turn, one every `gap` seconds."""
    for _responder, assignment_id, body in work:
        seen.sent[assignment_id] = time.monotonic()
        await request(
            http, tally, "POST", "/v1/push", content=body, headers={**JSON, **handler.headers()}
        )
        await asyncio.sleep(gap)


async def phase(
    url: str,
    fleet: list[Terminal],
    handler: Terminal,
    work: list[tuple[str, str, str]],
    how: str,
    seconds: float,
    server_pid: int,
    interval: float,
) -> dict[str, object]:
    tally, seen = Tally(), Arrivals()
    async with own_client(url) as control:  # the call handler's
        if how == "polling":
            tasks = [asyncio.create_task(polling(url, t, tally, seen, interval)) for t in fleet]
        else:
            tasks = [asyncio.create_task(waiting(url, t, tally, seen)) for t in fleet]
        try:
            await asyncio.sleep(WARM_UP + 5)  # every terminal in its rhythm
            tally.requests = 0
            start_load = os.getloadavg()[0]
            cpu0, own0, wall0 = cpu_seconds(server_pid), cpu_seconds(os.getpid()), time.monotonic()
            gap = seconds / max(len(work), 1)
            tasks.append(asyncio.create_task(dispatch(control, handler, work, gap, Tally(), seen)))
            await asyncio.sleep(seconds)
            wall = time.monotonic() - wall0
            cpu, own = cpu_seconds(server_pid) - cpu0, cpu_seconds(os.getpid()) - own0
            requests = tally.requests
            await asyncio.sleep(GRACE)  # the last cases' pulls (a case not by then: not received)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    return {
        "how": how,
        "wall": wall,
        "hub_cpu": cpu,
        "bench_cpu": own,
        "requests_per_s": requests / wall,
        "latency": spread(seen.latencies()),
        "received": len(seen.latencies()),
        "sent": len(seen.sent),
        "retries": tally.retries,
        "reasons": sorted(tally.reasons),
        "load": f"{start_load:.2f} -> {os.getloadavg()[0]:.2f}",
        "uptime": subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(),
    }


def show(backend: str, found: dict[str, object], terminals: int, interval: float) -> None:
    how = (
        f"polling every {interval:g} s as before (users, pull, roster, held)"
        if found["how"] == "polling"
        else f"waiting on the hub (pull wait {WAIT_ON_HUB * 0.8:g}-{WAIT_ON_HUB:g} s, full sync "
        f"every {REFRESH_EVERY:g} s)"
    )
    lat = found["latency"]
    assert isinstance(lat, dict)
    wall = float(found["wall"])  # type: ignore[arg-type]
    print(f"[{backend}] {terminals:,} idle terminals {how}, {wall:.0f} s:")
    print(f"  uptime: {found['uptime']}")
    print(
        f"  hub CPU {found['hub_cpu']:.1f} s user+sys in {wall:.0f} s = "
        f"{float(found['hub_cpu']) / wall:.3f} cores of {os.cpu_count()}  "  # type: ignore[arg-type]
        f"(bench client {float(found['bench_cpu']) / wall:.2f} cores)  "  # type: ignore[arg-type]
        f"{found['requests_per_s']:.0f} requests/s"
        + (f" (of {terminals * 4 / interval:.0f}/s wanted)" if found["how"] == "polling" else "")
    )
    goal = ""
    if found["how"] == "waiting":
        goal = f"  (goal p99 <= {GOAL_MS:.0f} ms: {'meets' if lat['p99'] <= GOAL_MS else 'MISSES'})"
    print(
        f"  assignment -> responder's pull: p50 {lat['p50']:.0f} ms  p95 {lat['p95']:.0f} ms  "
        f"p99 {lat['p99']:.0f} ms  max {lat['max']:.0f} ms  ({found['received']}/{found['sent']} "
        f"received){goal}"
    )
    reasons = f" ({', '.join(found['reasons'])})" if found["reasons"] else ""  # type: ignore[arg-type]
    print(f"  retries {found['retries']}{reasons}  load {found['load']}")


def run(args: argparse.Namespace, db: str, work: Path) -> dict[str, dict[str, object]]:
    backend = "SQLite" if db == "sqlite" else "PostgreSQL"
    interval = float(load_settings().sync_interval_seconds)
    target = fresh_target(db, work, "longpoll")
    responders = [f"PC{10_000 + n}" for n in range(args.terminals)]
    tokens = setup_hub(target, [*responders, HANDLER], {HANDLER: "call_handler"})
    opened = sessions(target, tokens)
    fleet = [Terminal(c, tokens[c], opened[c]) for c in responders]
    handler = Terminal(HANDLER, tokens[HANDLER], opened[HANDLER])
    results = {}
    try:
        for how in ("waiting", "polling"):  # each on a hub process of its own
            work_cases = cases(work, responders, args.assignments)
            steady_touches(target)
            server = hub_server(target, args.workers)
            try:
                results[how] = asyncio.run(
                    phase(
                        server.url,
                        fleet,
                        handler,
                        work_cases,
                        how,
                        args.seconds,
                        server.proc.pid,
                        interval,
                    )
                )
            finally:
                server.stop()
            show(backend, results[how], len(fleet), interval)
    finally:
        drop_target(target)
    base, now = results["polling"], results["waiting"]
    ratio = float(base["hub_cpu"]) / max(float(now["hub_cpu"]), 1e-9)  # type: ignore[arg-type]
    print(f"[{backend}] hub CPU polling / waiting: {ratio:.1f}x less while waiting on the hub")
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", action="append", help="'sqlite' or a PostgreSQL URL (repeat)")
    parser.add_argument("--terminals", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--assignments", type=int, default=120)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; {subprocess.getoutput('uptime').strip()}")
    ok = True
    with tempfile.TemporaryDirectory(prefix="fr-longpoll-") as tmp:
        for db in args.db or ["sqlite"]:
            work = Path(tmp) / uuid.uuid4().hex[:6]
            work.mkdir()
            found = run(args, db, work)
            lat = found["waiting"]["latency"]
            assert isinstance(lat, dict)
            ok = ok and lat["p99"] <= GOAL_MS
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
