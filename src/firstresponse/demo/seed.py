"""The embedded demo store at `data_dir/demo.db`, seeded on first use.

A fresh one gets a generated history of `DEMO_PEOPLE` people, the showcase people, the
lookup index, the demo users (`demo.users`), and then each area's live demo records.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from firstresponse.config import Settings
from firstresponse.records import AuditEvent, User
from firstresponse.store import Store

DEMO_PEOPLE = 3_000
DEMO_SEED = 2026
SEEDED = "demo.seeded"


def demo_store_path(settings: Settings) -> Path:
    return settings.data_dir / "demo.db"


def is_seeded(db: Session) -> bool:
    has_users = db.exec(select(User.id).limit(1)).first() is not None
    done = db.exec(select(AuditEvent.seq).where(AuditEvent.action == SEEDED).limit(1)).first()
    return has_users and done is not None


def remove_store(path: Path) -> None:
    """Delete an SQLite database and its journal files (the demo store, the demo hub's)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def seed_demo(store: Store, settings: Settings, today: date | None = None) -> None:
    """Fill a fresh demo store: history, showcase people, index, users, live records."""
    # Imported only when seeding: a demo store already seeded opens without the generators.
    from firstresponse.demo import attendance, live_calls, showcase_call, supervision
    from firstresponse.demo.generate import generate_history
    from firstresponse.demo.showcase import add_showcase
    from firstresponse.demo.users import seed_users
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
    areas = [live_calls, showcase_call, attendance, supervision]  # in this order
    for area in areas:
        with store.session() as db:
            area.seed(db, settings)
    seeders = [area.__name__ for area in areas]
    with store.session() as db:
        audit.record(db, "demo", SEEDED, "store", "", people=DEMO_PEOPLE, seeders=seeders)


def prepare_demo_store(settings: Settings) -> Store:
    """The demo store at `data_dir/demo.db`, seeded if it is not already.

    A store whose seeding never finished is thrown away and seeded again, so a
    demo interrupted half way never leaves half a demo behind.
    """
    path = demo_store_path(settings)
    store = Store(path)
    with store.session() as db:
        seeded = is_seeded(db)
    if seeded:
        return store
    store.close()
    remove_store(path)
    store = Store(path)
    try:
        seed_demo(store, settings)
    except BaseException:
        store.close()
        raise
    return store
