"""`firstresponse demo`: the terminal on its embedded demo store, seeded on first use.

The demo store lives at `data_dir/demo.db`. A fresh one gets the demo users (every
PIN 1234), a generated history of `DEMO_PEOPLE` people, the showcase people from
`demo.showcase`, the lookup index, and then each area's live demo records.
"""

from __future__ import annotations

import argparse
import importlib
import logging
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used, so `firstresponse --help` stays fast
    from sqlmodel import Session

    from firstresponse.config import Settings
    from firstresponse.store import Store

log = logging.getLogger("firstresponse.demo")

DEMO_PEOPLE = 3_000
DEMO_SEED = 2026
DEMO_PIN = "1234"
SEEDED = "demo.seeded"
#: (collar, name, role, team) — every PIN is DEMO_PIN; roles as `records.Role` values.
DEMO_USERS = (
    ("CH1001", "Call Handler Avery", "call_handler", "Alpha"),
    ("PC2001", "PC Jordan Reeve", "responder", "Alpha"),
    ("PC2002", "PC Sam Okafor", "responder", "Bravo"),
    ("SG3001", "Sgt Morgan Hale", "supervisor", "Alpha"),
    ("AD4001", "Admin Casey Lund", "admin", ""),
)
#: Each area's seeder, called in this order when it is installed.
AREA_SEEDERS = (
    "firstresponse.calls.demo",
    "firstresponse.demo.showcase_call",
    "firstresponse.attendance.demo",
    "firstresponse.supervision.demo",
)


def demo_store_path(settings: Settings) -> Path:
    return settings.data_dir / "demo.db"


def is_seeded(db: Session) -> bool:
    from sqlmodel import select

    from firstresponse.records import AuditEvent, User

    has_users = db.exec(select(User.id).limit(1)).first() is not None
    done = db.exec(select(AuditEvent.seq).where(AuditEvent.action == SEEDED).limit(1)).first()
    return has_users and done is not None


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def seed_users(db: Session) -> None:
    from firstresponse.security.users import create_user

    for collar, name, role, team in DEMO_USERS:
        create_user(db, collar, name, role, team, DEMO_PIN, actor="demo")


def run_area_seeders(store: Store, settings: Settings) -> list[str]:
    """Call each installed area's `seed(db, settings)`; returns the modules that ran."""
    ran = []
    for name in AREA_SEEDERS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                log.info("demo: %s is not installed; skipped", name)
                continue
            raise
        with store.session() as db:
            module.seed(db, settings)
        ran.append(name)
    return ran


def seed_demo(store: Store, settings: Settings, today: date | None = None) -> None:
    """Fill a fresh demo store: history, showcase people, index, users, live records."""
    from firstresponse.demo import generate_history
    from firstresponse.demo.showcase import add_showcase
    from firstresponse.lookup import rebuild_index
    from firstresponse.security import audit

    today = today or date.today()
    generate_history(store.engine, DEMO_PEOPLE, DEMO_SEED, today, settings.force_code, workers=0)
    with store.session() as db:
        add_showcase(db, today, settings.force_code)
    with store.session() as db:
        rebuild_index(db)
    with store.session() as db:
        seed_users(db)
    ran = run_area_seeders(store, settings)
    with store.session() as db:
        audit.record(db, "demo", SEEDED, "store", "", people=DEMO_PEOPLE, seeders=ran)


def prepare_demo_store(settings: Settings) -> Store:
    """The demo store at `data_dir/demo.db`, seeded if it is not already.

    A store whose seeding never finished is thrown away and seeded again, so a
    demo interrupted half way never leaves half a demo behind.
    """
    from firstresponse.store import Store

    path = demo_store_path(settings)
    store = Store(path)
    with store.session() as db:
        seeded = is_seeded(db)
    if seeded:
        return store
    store.close()
    _remove(path)
    store = Store(path)
    try:
        seed_demo(store, settings)
    except BaseException:
        store.close()
        raise
    return store


def run(args: argparse.Namespace) -> int:
    from firstresponse.tui.app import FirstResponseApp

    settings = args.settings
    if args.reset:
        _remove(demo_store_path(settings))
    store = prepare_demo_store(settings)
    if args.seed_only:
        print(f"demo store ready: {store.path}")
        store.close()
        return 0
    hub = None
    if args.with_hub:
        from firstresponse.commands.demo_hub import start_demo_hub

        hub = start_demo_hub(settings, store)
    try:
        FirstResponseApp(settings, store, demo=True).run()
    finally:
        store.close()
        if hub is not None:
            hub.stop()
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "demo", help="open the terminal on the embedded demo (users CH1001..AD4001, PIN 1234)"
    )
    parser.add_argument("--reset", action="store_true", help="throw the demo store away first")
    parser.add_argument("--seed-only", action="store_true", help="prepare the demo store and exit")
    parser.add_argument(
        "--with-hub",
        action="store_true",
        help="start a local hub beside the terminal and sync with it (see README)",
    )
    parser.set_defaults(func=run)
