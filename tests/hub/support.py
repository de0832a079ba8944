"""A real hub on loopback (uvicorn in a thread), its database, and terminal helpers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from firstresponse.hub import admin
from firstresponse.hub.app import create_app
from firstresponse.hub.db import hub_engine, transaction
from firstresponse.hub.models import HubEnvelope
from firstresponse.hub.sessions import SessionLimits
from firstresponse.records import Child, Incident, Person, User
from firstresponse.security.pins import hash_pin
from firstresponse.store import Store, outbox
from firstresponse.sync.client import Credentials, HubClient

PIN = "1234"
REPO = Path(__file__).resolve().parents[2]


@cache
def pin_hash() -> str:
    return hash_pin(PIN)


USERS = {
    "CH1001": ("call_handler", "Control"),
    "PC2001": ("responder", "Response A"),
    "PC2002": ("responder", "Response B"),
    "SG3001": ("supervisor", "Response A"),
    "AD4001": ("admin", ""),
}


def add_users(engine: Engine, extra: dict[str, tuple[str, str]] | None = None) -> None:
    with transaction(engine) as db:
        for collar, (role, team) in {**USERS, **(extra or {})}.items():
            db.add(
                User(
                    collar=collar, name=f"Test {collar}", role=role, team=team, pin_hash=pin_hash()
                )
            )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Hub:
    """A hub served by uvicorn on 127.0.0.1 in a background thread; restartable."""

    target: str
    engine: Engine = field(init=False)
    port: int = field(default_factory=free_port)
    limits: SessionLimits | None = None
    _server: uvicorn.Server | None = None
    _thread: threading.Thread | None = None

    def __post_init__(self) -> None:
        self.engine = hub_engine(self.target)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        config = uvicorn.Config(
            create_app(self.engine, self.limits),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 30  # a start-up, not a timing under test: loaded CI
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("hub did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(10)
        self._server = self._thread = None

    def enrol(self, name: str | None = None) -> str:
        with transaction(self.engine) as db:
            admin_user = db.exec(select(User).where(User.collar == "AD4001")).one()
            _device, token = admin.enrol(db, admin_user, name or f"dev-{uuid.uuid4().hex[:8]}")
        return token

    def client(self, token: str, collar: str = "PC2001", url: str | None = None) -> HubClient:
        return HubClient(url or self.url, token, Credentials(collar, PIN), timeout=10)

    def session_client(
        self, token: str, collar: str = "PC2001", url: str | None = None
    ) -> HubClient:
        """A client on `url` (say, a proxy) with a session signed in directly on the hub."""
        with self.client(token, collar) as direct:
            direct.whoami()
            session = direct.session
        return HubClient(url or self.url, token, session, timeout=10)

    def headers(self, token: str, collar: str = "PC2001", pin: str = PIN) -> dict[str, str]:
        """Raw request headers of a signed-in officer: device token and a fresh session."""
        return session_headers(self.url, token, collar, pin)

    def envelope_counts(self) -> dict[str, int]:
        """How many stored envelopes each record id has (exactly-once checks)."""
        with transaction(self.engine) as db:
            query = select(HubEnvelope.record_id, func.count()).group_by(HubEnvelope.record_id)
            return {rid: n for rid, n in db.exec(query)}


def make_case(db: Session, children: int = 1, author: str = "PC2001") -> list[str]:
    """Queue a victim, an incident and its children on a terminal; returns the record ids."""
    victim = Person(forename="Ivy", surname=f"Testcase{uuid.uuid4().hex[:6]}")
    outbox.enqueue_record(db, victim)
    db.flush()
    incident = Incident(
        reference=f"T-{uuid.uuid4().hex[:10]}",
        occurred_at=datetime.now(UTC),
        victim_id=victim.id,
        status="live",
        source="call",
        created_by=author,
    )
    outbox.enqueue_record(db, incident, priority=outbox.PRIORITY_HIGH_RISK)
    db.flush()
    ids = [victim.id, incident.id]
    for n in range(children):
        child = Child(incident_id=incident.id, name=f"Child {n}", age=5 + n, seen=True)
        outbox.enqueue_record(db, child, priority=outbox.PRIORITY_CHILD)
        ids.append(child.id)
    return ids


def queue_cases(store: Store, cases: int, children: int = 1) -> list[str]:
    ids: list[str] = []
    with store.session() as db:
        for _ in range(cases):
            ids += make_case(db, children)
    return ids


def terminal(path: Path) -> Store:
    return Store(path)


def session_headers(url: str, token: str, collar: str, pin: str = PIN) -> dict[str, str]:
    """Sign in once (POST /v1/sessions) and return the headers later requests carry."""
    import httpx

    response = httpx.post(
        url + "/v1/sessions", json={"collar": collar, "pin": pin}, headers={"X-Device-Token": token}
    )
    response.raise_for_status()
    return {"X-Device-Token": token, "X-Session": response.json()["token"]}


@contextmanager
def hub_process(
    target: str, port: int, workers: int = 1, start_within: float = 60
) -> Iterator[str]:
    """`firstresponse hub` on `target` in its own process(es); yields its base URL once healthy."""
    argv = [sys.executable, "-m", "firstresponse", "hub", "--db", target, "--port", str(port)]
    argv += ["--workers", str(workers), "--log-level", "warning"]
    proc = subprocess.Popen(argv, cwd=REPO, env=dict(os.environ), stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_within
        while True:
            try:
                httpx.get(f"{base}/v1/health", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                assert proc.poll() is None, "the hub command exited"
                assert time.monotonic() < deadline, "the hub command did not start"
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(20)


def serve(target: str) -> Iterator[Hub]:
    """A running hub on `target` with the test officers, stopped and disposed afterwards."""
    server = Hub(target)
    add_users(server.engine)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        server.engine.dispose()
