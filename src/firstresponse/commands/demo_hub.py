"""The local hub beside the demo terminal (`firstresponse demo`, `make demo`; not with
`--offline`).

The hub runs as its own process on loopback with a SQLite database at
`data_dir/demo-hub.db`, holding the demo users (PIN 1234). The demo terminal is enrolled
on it (the token kept in `data_dir/demo-hub.token` for the next run; its settings in
memory, no config file is written), so officers sign in against the hub and records go
from "waiting" to "synced" on screen.

Before the hub starts it is given what a force's hub already holds when a terminal first
connects (`seed_demo_hub`, once per demo store):

- the force's history the demo was generated with (people, aliases, markers, warrants,
  orders, past incidents and their children), copied table by table, with its lookup
  index, as a force loads its history once;
- the demo officers' own records (the calls, attendances and review the seeders made),
  each filed under the officer who made it, as their own terminals would have pushed it.
  The seeders act as each officer (`sync.attest.acting_as`), so every seeded outbox row
  names its author; it is signed for that officer with a key registered on this hub for
  the demo device, as an online sign-in would have done, and the hub ingests the rows
  author by author in the order they were made.

The terminal's copies still wait in its outbox; when it syncs, the hub answers each as a
duplicate, so nothing is held or refused. A real terminal never does this: its records
are signed by the officer who submits them.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # this module is imported by every `firstresponse` command line: stay light
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from firstresponse.config import Settings
    from firstresponse.store import Store

DEVICE = "DEMO-TERMINAL"
#: The history tables copied onto the demo hub (rows never queued by a demo officer).
HISTORY = frozenset(
    {
        "person",
        "personalias",
        "personmarker",
        "person_link",
        "warrant",
        "incident",
        "child",
        "protectiveorder",
    }
)


@dataclass
class Seeded:
    """What `seed_demo_hub` put on the hub."""

    token: str
    history: int = 0  # history rows copied (0 when the hub already held them)
    filed: int = 0  # the officers' records ingested under their names
    refused: list[str] = field(default_factory=list)  # why any was not filed (none expected)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stamp(store: Store) -> str:
    """What tells this demo store from another (its seeding's audit entry)."""
    from sqlmodel import select

    from firstresponse.demo.seed import SEEDED
    from firstresponse.records import AuditEvent

    with store.session() as db:
        query = select(AuditEvent.id).where(AuditEvent.action == SEEDED)
        return db.exec(query).first() or ""


def _seed_users(db: Session) -> Any:
    """The demo users on the hub; returns its admin."""
    from sqlmodel import select

    from firstresponse.demo.users import DEMO_PIN, DEMO_USERS
    from firstresponse.records import User
    from firstresponse.security.users import create_user, get_user

    for collar, name, role, team in DEMO_USERS:
        if get_user(db, collar) is None:
            create_user(db, collar, name, role, team, DEMO_PIN, actor="demo")
    return db.exec(select(User).where(User.collar == "AD4001")).one()


def _enrol(db: Session, token_file: Path) -> tuple[Any, str]:
    """The demo device and its token: the one kept from the last run, else a new enrolment."""
    from firstresponse.hub import admin
    from firstresponse.hub.auth import find_device

    boss = _seed_users(db)
    if token_file.exists():
        token = token_file.read_text(encoding="utf-8").strip()
        device = find_device(db, token)
        if device is not None:
            return device, token
    if any(d.name == DEVICE and d.revoked_at is None for d in admin.devices(db)):
        admin.revoke(db, boss, DEVICE)
    device, token = admin.enrol(db, boss, DEVICE)
    token_file.write_text(token + "\n", encoding="utf-8")
    token_file.chmod(0o600)
    return device, token


def copy_history(store: Store, hub_db: Session) -> int:
    """Copy the demo's history (every HISTORY row no demo officer queued) onto the hub,
    parents first, and rebuild its lookup index; returns the rows copied."""
    from sqlalchemy import insert, select
    from sqlmodel import SQLModel

    from firstresponse.lookup import rebuild_index
    from firstresponse.records import OutboxItem, table_of

    live = select(table_of(OutboxItem).c.record_id)
    copied = 0
    with store.engine.connect() as source:
        for table in SQLModel.metadata.sorted_tables:
            if table.name not in HISTORY:
                continue
            result = source.execute(select(table).where(table.c.id.not_in(live)))
            while rows := result.mappings().fetchmany(2_000):
                hub_db.execute(insert(table), [dict(row) for row in rows])
                copied += len(rows)
    rebuild_index(hub_db)
    return copied


def _sign_seeded(store: Store, hub_db: Session, device_id: str) -> list[str]:
    """Sign each unsigned waiting row for the officer it names, with a key registered on
    the hub for the demo device; returns their ids. Rows naming nobody are left as they are
    (they go as the signed-in officer's)."""
    from sqlmodel import col, select

    from firstresponse.hub.models import HubSigningKey
    from firstresponse.records import OutboxItem, User
    from firstresponse.store.outbox import PENDING
    from firstresponse.sync import attest

    users = {u.collar: u for u in hub_db.exec(select(User))}
    signers: dict[str, attest.Attestor] = {}
    signed = []
    with store.session() as db:
        query = select(OutboxItem).where(
            OutboxItem.status == PENDING, OutboxItem.signature == "", col(OutboxItem.author) != ""
        )
        for row in db.exec(query):
            if row.author not in users:
                continue
            if row.author not in signers:
                key = attest.new_key()
                registered = HubSigningKey(
                    user_id=users[row.author].id,
                    collar=row.author,
                    device_id=device_id,
                    public_key=attest.public_text(key),
                )
                hub_db.add(registered)
                signers[row.author] = attest.Attestor(row.author, registered.id, key)
            signers[row.author].attest(row)
            db.add(row)
            signed.append(row.id)
    return signed


def _file_seeded(hub_db: Session, store: Store, device_id: str, ids: list[str]) -> Seeded:
    """Ingest these outbox rows on the hub, each run of one author's rows as that officer's
    own push, in the order they were made."""
    from itertools import groupby

    from sqlalchemy import literal_column
    from sqlmodel import col, select

    from firstresponse.hub.auth import Principal
    from firstresponse.hub.ingest import ingest
    from firstresponse.hub.models import HubDevice
    from firstresponse.records import OutboxItem, User
    from firstresponse.sync.push import envelope

    with store.session() as db:
        query = select(OutboxItem).where(col(OutboxItem.id).in_(ids))
        rows = list(db.exec(query.order_by(literal_column("outboxitem.rowid"))))
    device = hub_db.get(HubDevice, device_id)
    users = {user.collar: user for user in hub_db.exec(select(User))}
    report = Seeded(token="")
    for author, run in groupby(rows, key=lambda row: row.author):
        batch = list(run)
        principal = Principal(device=device, user=users[author])  # type: ignore[arg-type]
        results = ingest(hub_db, principal, [envelope(row) for row in batch])
        for row, result in zip(batch, results, strict=True):
            if result.status in ("accepted", "duplicate") and not result.waits_for:
                report.filed += 1
            else:
                why = result.reason or f"waits for {result.waits_for}"
                report.refused.append(f"{row.kind} {row.record_id[:8]} ({author}): {why}")
    return report


def seed_demo_hub(engine: Engine, store: Store, token_file: Path, *, history: bool) -> Seeded:
    """Users, the demo device, the demo's history (with `history`: a fresh hub) and its
    officers' records waiting to be filed, on the hub."""
    from firstresponse.hub.db import transaction

    with transaction(engine) as db:
        device, token = _enrol(db, token_file)
        copied = copy_history(store, db) if history else 0
        signed = _sign_seeded(store, db, device.id)
        db.flush()
        report = _file_seeded(db, store, device.id, signed)
    report.token, report.history = token, copied
    return report


@dataclass
class DemoHub:
    process: subprocess.Popen[bytes]
    url: str
    seeded: Seeded

    def answers(self, within: float = 30.0) -> bool:
        """Wait until the hub answers its health check; False if it stopped or never did."""
        import httpx

        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/v1/health", timeout=1).status_code == 200:
                    return True
            except httpx.HTTPError:
                if self.process.poll() is not None:
                    return False
                time.sleep(0.2)
        return False

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _paths(settings: Settings) -> tuple[Path, Path, Path]:
    """The demo hub's database, the demo device's token and the stamp of the demo store the
    hub was seeded for."""
    folder = settings.data_dir
    return folder / "demo-hub.db", folder / "demo-hub.token", folder / "demo-hub.store"


def forget_demo_hub(settings: Settings) -> None:
    """Mark the demo hub as seeded for no store (the demo store is being thrown away): the
    next `demo` seeds it afresh."""
    _paths(settings)[2].unlink(missing_ok=True)


def seeded_before(settings: Settings) -> tuple[Path, Seeded] | None:
    """The demo hub's database and the demo device's token when a run before this one
    seeded the hub for the demo store (`forget_demo_hub` undoes that), without opening
    either database; None otherwise."""
    path, token_file, stamp_file = _paths(settings)
    if not (path.exists() and stamp_file.exists() and token_file.exists()):
        return None
    token = token_file.read_text(encoding="utf-8").strip()
    return (path, Seeded(token=token)) if token else None


def prepare_demo_hub(settings: Settings, store: Store) -> tuple[Path, Seeded]:
    """The demo hub's database, seeded for `store`. One made for another demo store (before
    a `demo --reset`) is thrown away first, with the demo device's token."""
    from firstresponse.demo.seed import remove_store
    from firstresponse.hub.db import hub_engine

    path, token_file, stamp_file = _paths(settings)
    stamp = _stamp(store)
    ours = stamp_file.exists() and stamp_file.read_text(encoding="utf-8").strip() == stamp
    if not ours:
        remove_store(path)
        token_file.unlink(missing_ok=True)
    engine = hub_engine(str(path))
    try:
        seeded = seed_demo_hub(engine, store, token_file, history=not ours)
    finally:
        engine.dispose()
    stamp_file.write_text(stamp + "\n", encoding="utf-8")
    return path, seeded


def spawn_demo_hub(settings: Settings, path: Path, seeded: Seeded) -> DemoHub:
    """The hub on `path` in its own process on a free loopback port, not waited for; the
    terminal's `settings` point at it."""
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
    settings.hub_url, settings.device_token = url, seeded.token
    return DemoHub(process, url, seeded)


def start_demo_hub(settings: Settings, store: Store) -> DemoHub:
    """Seed the hub for `store`, start it and wait until it answers; `settings` point at it."""
    path, seeded = prepare_demo_hub(settings, store)
    for refused in seeded.refused:
        print(f"demo hub: not filed: {refused}", file=sys.stderr)
    hub = spawn_demo_hub(settings, path, seeded)
    if not hub.answers():
        hub.process.kill()
        settings.hub_url = settings.device_token = ""
        raise RuntimeError(f"the demo hub did not start: see {settings.data_dir / 'demo-hub.log'}")
    return hub
