"""What the hub benches share: hub processes on loopback, fresh databases, officers with
enrolled devices, a terminal's queued records, percentiles and the machine's load."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Sequence
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
from firstresponse.hub.models import HubEnvelope  # noqa: E402
from firstresponse.records import Child, Incident, Person, User  # noqa: E402
from firstresponse.security.pins import hash_pin  # noqa: E402
from firstresponse.store import Store, outbox  # noqa: E402
from firstresponse.sync.protocol import Envelope  # noqa: E402
from firstresponse.sync.push import envelope  # noqa: E402

PIN = "4826"
BATCH = 200
JSON = {"Content-Type": "application/json"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def load() -> str:
    """The machine's load average (1, 5, 15 minutes), to print beside the figures."""
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


class Server:
    """A uvicorn process on loopback, stopped on exit."""

    def __init__(self, argv: list[str], env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [*argv, "--port", str(self.port)],
            cwd=REPO,
            env={**os.environ, **(env or {})},
            stdout=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                if httpx.get(self.url + "/docs", timeout=1).status_code < 500:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server {argv} did not start (exit code {self.proc.poll()})")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def hub_server(target: str, workers: int = 1, env: dict[str, str] | None = None) -> Server:
    """`firstresponse hub` on `target`, exactly as deployed."""
    argv = [sys.executable, "-m", "firstresponse", "hub", "--db", target, "--log-level", "warning"]
    return Server([*argv, "--workers", str(workers)], env)


def fresh_target(db: str, work: Path, name: str) -> str:
    """A new SQLite file (db '' or 'sqlite'), or a new schema in the PostgreSQL database."""
    if db in ("", "sqlite"):
        return str(work / f"{name}-{uuid.uuid4().hex[:6]}.db")
    import psycopg

    schema = f"bench_{name}_{uuid.uuid4().hex[:8]}"
    base = db.split("?")[0]
    with psycopg.connect(base.replace("postgresql+psycopg", "postgresql"), autocommit=True) as c:
        c.execute(f"CREATE SCHEMA {schema}")
    return f"{base}?application_name={schema}&options=-csearch_path%3D{schema}"


class ConnectionWatch:
    """The most PostgreSQL connections a hub on `target` held at once, sampled twice a
    second (its connections carry the schema's name as application_name); None on SQLite."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.most: int | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> ConnectionWatch:
        if "%3D" in self.target:
            self.most = 0
            self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(5)

    def _watch(self) -> None:
        import psycopg

        base, schema = self.target.split("?")[0], self.target.rsplit("%3D", 1)[1]
        with psycopg.connect(
            base.replace("postgresql+psycopg", "postgresql"), autocommit=True
        ) as conn:
            while not self._stop.wait(0.5):
                row = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                    (schema,),
                ).fetchone()
                self.most = max(self.most or 0, int(row[0]) if row else 0)


def drop_target(target: str) -> None:
    """Remove a database made by `fresh_target` (a file, or a PostgreSQL schema)."""
    if "%3D" not in target:
        for suffix in ("", "-wal", "-shm"):
            Path(target + suffix).unlink(missing_ok=True)
        return
    import psycopg

    base, schema = target.split("?")[0], target.rsplit("%3D", 1)[1]
    with psycopg.connect(base.replace("postgresql+psycopg", "postgresql"), autocommit=True) as c:
        c.execute(f"DROP SCHEMA {schema} CASCADE")


def setup_hub(
    target: str, users: Sequence[str], roles: dict[str, str] | None = None
) -> dict[str, str]:
    """Officers (responders unless `roles` says otherwise), and one enrolled device (its
    token) per officer, on the hub database."""
    engine = hub_engine(target)
    pin_hash = hash_pin(PIN)
    tokens = {}
    with transaction(engine) as db:
        boss = db.exec(select(User).where(User.collar == "BENCHADMIN")).first()
        if boss is None:  # a kept database (hub_lookup.py --keep) has its admin already
            boss = User(collar="BENCHADMIN", name="Bench Admin", role="admin", pin_hash=pin_hash)
            db.add(boss)
        for collar in users:
            db.add(
                User(
                    collar=collar,
                    name=f"Bench {collar}",
                    role=(roles or {}).get(collar, "responder"),
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


def sign_in(url: str, token: str, collar: str) -> dict[str, str]:
    """Headers of a signed-in officer (device token and session), as after shift start."""
    answer = httpx.post(
        url + "/v1/sessions",
        json={"collar": collar, "pin": PIN},
        headers={"X-Device-Token": token},
        timeout=60,
    )
    answer.raise_for_status()
    return {"X-Device-Token": token, "X-Session": answer.json()["token"]}


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


def envelopes_by_author(store: Store, counts: dict[str, int]) -> dict[str, list[Envelope]]:
    """Each officer's `counts[collar]` records, queued on one scratch terminal store and
    taken off its outbox as the envelopes that terminal would push, in outbox order."""
    found = {}
    for collar, records in counts.items():
        queue(store, records, collar)
        with store.session() as db:
            items = outbox.waiting(db)
            found[collar] = [envelope(item) for item in items]
            for item in items:
                outbox.acknowledge(db, item)
    return found


def batches(envelopes: list[Envelope], size: int = BATCH) -> list[list[Envelope]]:
    return [envelopes[n : n + size] for n in range(0, len(envelopes), size)]


def percentile(ordered: Sequence[float], share: float) -> float:
    return ordered[round(share * (len(ordered) - 1))] if ordered else float("nan")


def spread(latencies: list[float]) -> dict[str, float]:
    """p50/p95/p99 and max in milliseconds."""
    ordered = sorted(latencies)
    out = {f"p{round(s * 100)}": 1000 * percentile(ordered, s) for s in (0.50, 0.95, 0.99)}
    out["max"] = 1000 * ordered[-1] if ordered else float("nan")
    return out


def cpu_seconds(pid: int) -> float:
    """User + system CPU of process `pid` and every process below it (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    used: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        used[int(entry.name)] = (int(fields[11]) + int(fields[12])) / ticks
    family, grew = {pid}, True
    while grew:
        below = {child for child, parent in parents.items() if parent in family} - family
        family |= below
        grew = bool(below)
    return sum(used.get(member, 0.0) for member in family)


def as_json(value: Any) -> str:
    import orjson

    return orjson.dumps(value).decode()
