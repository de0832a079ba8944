"""A local hub beside the demo terminal (`firstresponse demo --with-hub`, `make demo-hub`).

The hub runs as its own process on loopback with a SQLite database at
`data_dir/demo-hub.db`, holding the demo users (PIN 1234). The demo terminal is enrolled
on it for this run only (its settings in memory; no config file is written), so officers
sign in against the hub and records go from "waiting" to "synced" on screen.

The demo store's seeded records wait in its outbox unsigned (they were made by the
seeder, not by an officer at this terminal); before the hub starts they are signed for
the demo officer each names as its author, with keys registered on this demo hub, as
an online sign-in would have done. A real terminal never does this: its records are
signed by the officer who submits them.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # this module is imported by every `firstresponse` command line: stay light
    from sqlmodel import Session

    from firstresponse.config import Settings
    from firstresponse.store import Store

DEVICE = "DEMO-TERMINAL"
AUTHOR_FIELDS = ("author", "made_by", "reviewer", "created_by")
DEFAULT_AUTHOR = {"notification": "SG3001"}  # anything else unnamed: the call handler


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _seed_hub(db: Session) -> tuple[Any, str]:
    """Demo users on the hub, and a fresh enrolment of the demo terminal."""
    from sqlmodel import select

    from firstresponse.commands.demo import DEMO_PIN, DEMO_USERS
    from firstresponse.hub import admin
    from firstresponse.records import User
    from firstresponse.security.users import create_user, get_user

    for collar, name, role, team in DEMO_USERS:
        if get_user(db, collar) is None:
            create_user(db, collar, name, role, team, DEMO_PIN, actor="demo")
    boss = db.exec(select(User).where(User.collar == "AD4001")).one()
    if any(d.name == DEVICE and d.revoked_at is None for d in admin.devices(db)):
        admin.revoke(db, boss, DEVICE)
    return admin.enrol(db, boss, DEVICE)


def _author(kind: str, body: dict[str, Any], known: set[str]) -> str:
    for field in AUTHOR_FIELDS:
        value = body.get(field)
        if isinstance(value, str) and value in known:
            return value
    return DEFAULT_AUTHOR.get(kind, "CH1001")


def _sign_seeded(store: Store, hub_db: Session, device: Any) -> int:
    """Sign the seeded, unsigned outbox rows for their demo authors (see the docstring)."""
    from sqlmodel import select

    from firstresponse.hub.models import HubSigningKey
    from firstresponse.records import OutboxItem, User
    from firstresponse.store.outbox import PENDING
    from firstresponse.sync import attest

    users = {u.collar: u for u in hub_db.exec(select(User))}
    signers: dict[str, attest.Attestor] = {}
    signed = 0
    with store.session() as db:
        rows = db.exec(
            select(OutboxItem).where(OutboxItem.status == PENDING, OutboxItem.signature == "")
        ).all()
        for row in rows:
            collar = _author(row.kind, json.loads(row.body), set(users))
            if collar not in signers:
                key = attest.new_key()
                registered = HubSigningKey(
                    user_id=users[collar].id,
                    collar=collar,
                    device_id=device.id,
                    public_key=attest.public_text(key),
                )
                hub_db.add(registered)
                signers[collar] = attest.Attestor(collar, registered.id, key)
            row.author = ""
            signers[collar].attest(row)
            db.add(row)
            signed += 1
    return signed


@dataclass
class DemoHub:
    process: subprocess.Popen[bytes]
    url: str

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_demo_hub(settings: Settings, store: Store) -> DemoHub:
    """Start the hub, enrol the demo terminal on it and point `settings` at it."""
    import httpx

    from firstresponse.hub.db import hub_engine, transaction

    path = settings.data_dir / "demo-hub.db"
    engine = hub_engine(str(path))
    try:
        with transaction(engine) as db:
            device, token = _seed_hub(db)
            _sign_seeded(store, db, device)
    finally:
        engine.dispose()
    port = _free_port()
    log = open(settings.data_dir / "demo-hub.log", "ab")  # noqa: SIM115 - the hub's own log
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "firstresponse",
            "hub",
            "--db",
            str(path),
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        stdout=log,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/v1/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            if process.poll() is not None:
                break
            time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError(f"the demo hub did not start: see {settings.data_dir / 'demo-hub.log'}")
    if process.poll() is not None:
        raise RuntimeError(f"the demo hub did not start: see {settings.data_dir / 'demo-hub.log'}")
    settings.hub_url, settings.device_token = url, token
    return DemoHub(process, url)
