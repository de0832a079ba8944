"""Shift start and idle terminals, simulated over HTTP against a real hub process.

Shift start: each terminal signs in at a random moment within the window (or all at once
for the burst), then pushes its first records. Officers returning to a device they have
signed in on before (the usual shift start: the goal) sign in with their key
(`GET /v1/sessions/challenge`, then `POST /v1/sessions/key`: an Ed25519 signature on the
hub, sync.key_sign_in); the key each registered at that earlier sign-in is put in the
hub's database beforehand, as the sign-in left it. A first sign-in on a device
(`POST /v1/sessions`, collar and PIN: Argon2 on the hub) is printed beside, as a burst.
A failed request (network error, 429 or 503) is retried after Retry-After
or a backoff, as the sync client does; a sign-in or push is timed from its first attempt
to its answer, so retries count against it. Lost: records not on the hub once all is done.

Idle: the signed-in terminals then poll as today's sync worker does when nothing changes,
every `sync_interval_seconds` (users, pull until no more, roster with its digest, held
records), and the hub process's CPU is read from /proc over the window: the baseline for
changes pushed rather than polled.
"""

from __future__ import annotations

import asyncio
import base64
import os
import random
import time
from argparse import Namespace
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hub_setup import (
    JSON,
    PIN,
    ConnectionWatch,
    Server,
    cpu_seconds,
    drop_target,
    envelopes_by_author,
    fresh_target,
    hub_counts,
    hub_server,
    load,
    setup_hub,
    spread,
)
from sqlmodel import select

from firstresponse.config import load_settings
from firstresponse.hub.auth import find_device
from firstresponse.hub.db import PoolSize, hub_engine, transaction
from firstresponse.hub.sessions import end_session, open_session
from firstresponse.records import User
from firstresponse.store import Store
from firstresponse.sync import attest, key_sign_in
from firstresponse.sync.protocol import PushRequest

RETRYABLE = {429, 502, 503, 504}
GIVE_UP_SECONDS = 300


@dataclass
class Terminal:
    collar: str
    token: str
    body: str  # its first records, as one push
    records: int
    session: str = ""
    key_id: str = ""  # with `key`: registered at an earlier sign-in on this device
    key: Ed25519PrivateKey | None = None
    cursor: str = ""
    digest: str = ""

    def headers(self) -> dict[str, str]:
        return {"X-Device-Token": self.token, "X-Session": self.session}


@dataclass
class Tally:
    sign_ins: list[float] = field(default_factory=list)
    pushes: list[float] = field(default_factory=list)
    polls: list[float] = field(default_factory=list)
    requests: int = 0
    retries: int = 0
    reasons: set[str] = field(default_factory=set)
    gave_up: int = 0


def terminals(work_store: Store, tokens: dict[str, str], per_terminal: int) -> list[Terminal]:
    """One terminal per officer, each with `per_terminal` records of its own to push."""
    found = envelopes_by_author(work_store, dict.fromkeys(tokens, per_terminal))
    return [
        Terminal(
            collar,
            tokens[collar],
            PushRequest(envelopes=envelopes).model_dump_json(),
            len(envelopes),
        )
        for collar, envelopes in found.items()
    ]


async def request(
    http: httpx.AsyncClient, tally: Tally, method: str, path: str, **kwargs: object
) -> httpx.Response:
    """One request, retried as the sync client retries; raises once it gives up."""
    deadline = time.monotonic() + GIVE_UP_SECONDS
    delay = 0.5
    while True:
        tally.requests += 1
        try:
            answer = await http.request(method, path, **kwargs)  # type: ignore[arg-type]
            if answer.status_code not in RETRYABLE:
                if answer.status_code >= 400:  # 304: the roster is current
                    answer.raise_for_status()
                return answer
            reason = f"HTTP {answer.status_code}"
            wait = float(answer.headers.get("Retry-After") or delay)
        except httpx.TransportError as exc:
            reason, wait = type(exc).__name__, delay
        if time.monotonic() + wait > deadline:
            raise RuntimeError(f"gave up after {GIVE_UP_SECONDS} s: {reason}")
        tally.retries += 1
        tally.reasons.add(reason)
        await asyncio.sleep(wait * random.uniform(0.8, 1.2))
        delay = min(delay * 2, 10.0)


def registered_keys(target: str, fleet: list[Terminal]) -> None:
    """What each officer's earlier sign-in on their device left on the hub: a session
    (since ended) and their signing key; the terminal keeps the private key."""
    engine = hub_engine(target, migrate=False)
    with transaction(engine, read_only=True) as db:
        users = {u.collar: u for u in db.exec(select(User))}
        devices = {t.collar: find_device(db, t.token) for t in fleet}
    for terminal in fleet:
        device = devices[terminal.collar]
        assert device is not None
        terminal.key = attest.new_key()
        session, _row, terminal.key_id = open_session(
            engine, device, users[terminal.collar], attest.public_text(terminal.key)
        )
        end_session(engine, session)
    engine.dispose()


async def sign_in(http: httpx.AsyncClient, terminal: Terminal, tally: Tally) -> httpx.Response:
    """With the officer's key when the device has one for them, else with the PIN."""
    device = {"X-Device-Token": terminal.token}
    if terminal.key is None:
        body = {"collar": terminal.collar, "pin": PIN}
        return await request(http, tally, "POST", "/v1/sessions", json=body, headers=device)
    for _ in range(3):
        asked = await request(http, tally, "GET", "/v1/sessions/challenge", headers=device)
        challenge = asked.json()["challenge"]
        message = key_sign_in.message(terminal.collar, terminal.key_id, challenge)
        body = {
            "collar": terminal.collar,
            "key_id": terminal.key_id,
            "challenge": challenge,
            "signature": base64.b64encode(terminal.key.sign(message)).decode(),
        }
        try:
            return await request(http, tally, "POST", "/v1/sessions/key", json=body, headers=device)
        except httpx.HTTPStatusError as exc:  # the key refused: say why, try a new challenge
            if exc.response.status_code != 403:
                raise
            tally.retries += 1
            tally.reasons.add(f"403 {exc.response.json().get('detail', '')}"[:90])
    raise RuntimeError(f"{terminal.collar}: the hub refused the key three times")


async def arrive(http: httpx.AsyncClient, terminal: Terminal, at: float, tally: Tally) -> None:
    """Sign in after `at` seconds, then push the first records."""
    await asyncio.sleep(at)
    try:
        start = time.perf_counter()
        answer = await sign_in(http, terminal, tally)
        tally.sign_ins.append(time.perf_counter() - start)
        terminal.session = answer.json()["token"]
        start = time.perf_counter()
        answer = await request(
            http,
            tally,
            "POST",
            "/v1/push",
            content=terminal.body,
            headers={**JSON, **terminal.headers()},
        )
        tally.pushes.append(time.perf_counter() - start)
        refused = [
            i for i in answer.json()["results"] if i["status"] not in ("accepted", "duplicate")
        ]
        if refused:
            raise RuntimeError(f"{terminal.collar}: hub refused {refused[:1]}")
    except RuntimeError:
        tally.gave_up += 1


def client(url: str) -> httpx.AsyncClient:
    """One connection per request in flight, as separate terminals would have."""
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
    return httpx.AsyncClient(base_url=url, limits=limits, timeout=120)


async def shift_start(
    url: str, fleet: list[Terminal], window: float, seed: int
) -> tuple[Tally, float]:
    """Every terminal arrives at a random moment within `window` seconds (0: all at once)."""
    chance = random.Random(seed)
    tally = Tally()
    async with client(url) as http:
        start = time.perf_counter()
        await asyncio.gather(*(arrive(http, t, chance.uniform(0, window), tally) for t in fleet))
    return tally, time.perf_counter() - start


async def poll(http: httpx.AsyncClient, terminal: Terminal, tally: Tally) -> None:
    """One idle sync as today's worker makes it: users, pull, roster, held."""
    headers = terminal.headers()
    await request(http, tally, "GET", "/v1/users", headers={"X-Device-Token": terminal.token})
    while True:
        params = {"cursor": terminal.cursor, "limit": 200}
        page = (
            await request(http, tally, "GET", "/v1/pull", params=params, headers=headers)
        ).json()
        terminal.cursor = page["cursor"]
        if not page["more"]:
            break
    roster_headers = {**headers, **({"If-None-Match": terminal.digest} if terminal.digest else {})}
    roster = await request(http, tally, "GET", "/v1/roster", headers=roster_headers)
    if roster.status_code == 200:
        terminal.digest = roster.json()["digest"]
    await request(http, tally, "GET", "/v1/held", headers=headers)


async def idle(
    url: str, fleet: list[Terminal], interval: float, seconds: float, server: Server
) -> dict[str, float]:
    """Signed-in terminals polling every `interval` s for `seconds`: hub CPU and polls."""
    tally = Tally()
    async with client(url) as http:

        async def keep_polling(terminal: Terminal) -> None:
            await asyncio.sleep(random.uniform(0, interval))
            while True:
                start = time.perf_counter()
                try:
                    await poll(http, terminal, tally)
                except (RuntimeError, httpx.HTTPError):
                    tally.gave_up += 1  # as a terminal would: try again next time
                else:
                    tally.polls.append(time.perf_counter() - start)
                await asyncio.sleep(interval)

        pollers = [asyncio.create_task(keep_polling(t)) for t in fleet if t.session]
        await asyncio.sleep(2 * interval)  # each has pulled what arrived at shift start
        tally.polls.clear()
        tally.requests = tally.retries = tally.gave_up = 0
        cpu_before, wall_before = cpu_seconds(server.proc.pid), time.perf_counter()
        await asyncio.sleep(seconds)
        wall = time.perf_counter() - wall_before
        cpu = cpu_seconds(server.proc.pid) - cpu_before
        for task in pollers:
            task.cancel()
        await asyncio.gather(*pollers, return_exceptions=True)
    return {
        "terminals": sum(1 for t in fleet if t.session),
        "polls_per_s": len(tally.polls) / wall,
        "wanted_per_s": sum(1 for t in fleet if t.session) / interval,
        "requests_per_s": tally.requests / wall,
        "hub_cores": cpu / wall,
        "poll_p99_ms": spread(tally.polls)["p99"],
        "retries": tally.retries,
        "failed": tally.gave_up,
        "seconds": wall,
    }


def outcome(tally: Tally, wall: float, fleet: list[Terminal], target: str) -> dict[str, object]:
    expected = sum(t.records for t in fleet)
    stored, distinct = hub_counts(target)
    return {
        "terminals": len(fleet),
        "records": expected,
        "wall_s": wall,
        "sign_in": spread(tally.sign_ins),
        "push": spread(tally.pushes),
        "retries": tally.retries,
        "reasons": sorted(tally.reasons),
        "gave_up": tally.gave_up,
        "lost": expected - distinct,
        "duplicated": stored - distinct,
    }


def report_shift(args: Namespace, db: str, backend: str, work: Path) -> bool:
    """Shift start spread over the window, the burst beside it, then the spread terminals
    idle; prints each figure beside its goal, returns whether nothing was lost."""
    interval = float(load_settings().sync_interval_seconds)
    ok = True
    rounds = [
        ("spread", args.terminals, args.window, True),
        ("burst", args.burst, 0, True),
        ("first burst", args.burst, 0, False),
    ]
    if getattr(args, "first_spread", False):
        rounds.append(("first spread", args.terminals, args.window, False))
    for label, count, window, returning in rounds:
        target = fresh_target(db, work, label.replace(" ", "_"))
        tokens = setup_hub(target, [f"PC{10_000 + n}" for n in range(count)])
        store = Store(work / f"{label.replace(' ', '-')}.db")
        fleet = terminals(store, tokens, args.per_terminal)
        store.close()
        if returning:
            registered_keys(target, fleet)
        server = hub_server(target, args.workers)
        before = load()
        try:
            with ConnectionWatch(target) as connections:
                tally, wall = asyncio.run(shift_start(server.url, fleet, window, seed=28))
            found = outcome(tally, wall, fleet, target)
            found["connections"] = connections.most
            shown = print_shift(
                backend, label, window, args.workers, found, f"{before} -> {load()}"
            )
            ok = shown and ok
            if label == "spread":
                quiet = asyncio.run(idle(server.url, fleet, interval, args.idle_seconds, server))
                print_idle(backend, interval, quiet)
        finally:
            server.stop()
        drop_target(target)
    return ok


def meets(value: float, goal: float) -> str:
    return f"goal <= {goal:.0f} ms: {'meets' if value <= goal else 'MISSES'}"


def print_shift(
    backend: str, label: str, window: float, workers: int, found: dict[str, Any], loads: str
) -> bool:
    how = f"at random moments within {window:g} s" if window else "at once"
    who = (
        "officers signing in on a device for the first time (PIN: Argon2 on the hub)"
        if label.startswith("first")
        else "returning officers signing in with their device key"
    )
    print(
        f"[{backend}] shift start, {who}: {found['terminals']:,} terminals signing in {how}, then "
        f"pushing their first records ({found['records']:,} in all); hub workers {workers}; "
        f"{found['wall_s']:.1f} s; load {loads}:"
    )
    sign, push = found["sign_in"], found["push"]
    goal = label == "spread"
    for name, figures in (("sign-in", sign), ("push   ", push)):
        print(
            f"  {name}  p50 {figures['p50']:.0f} ms  p95 {figures['p95']:.0f} ms  p99 "
            f"{figures['p99']:.0f} ms  max {figures['max']:.0f} ms"
            + (f"  ({meets(figures['p99'], 2000)})" if goal else "")
        )
    reasons = f" ({', '.join(found['reasons'])})" if found["reasons"] else ""
    if found["connections"] is not None:
        pool = PoolSize.default()
        print(
            f"  PostgreSQL connections held at most {found['connections']} (the pool allows "
            f"{workers} x {pool.most} = {workers * pool.most})"
        )
    print(
        f"  lost {found['lost']} (goal 0)  duplicated {found['duplicated']}  gave up "
        f"{found['gave_up']}  retries {found['retries']}{reasons}"
    )
    return bool(found["lost"] == 0 and found["duplicated"] == 0 and found["gave_up"] == 0)


def print_idle(backend: str, interval: float, quiet: dict[str, float]) -> None:
    print(
        f"[{backend}] idle: {quiet['terminals']:,.0f} signed-in terminals polling every "
        f"{interval:g} s as today (users, pull, roster, held) for {quiet['seconds']:.0f} s, "
        f"load {load()}:"
    )
    print(
        f"  polls answered {quiet['polls_per_s']:.0f}/s of {quiet['wanted_per_s']:.0f}/s wanted "
        f"({quiet['requests_per_s']:.0f} requests/s), poll p99 {quiet['poll_p99_ms']:.0f} ms, "
        f"retries {quiet['retries']:.0f}, polls failed {quiet['failed']:.0f}"
    )
    print(
        f"  hub CPU {quiet['hub_cores']:.2f} cores of {os.cpu_count()} (the baseline for "
        "changes pushed, not polled: goal almost nothing)"
    )
