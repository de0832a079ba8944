"""`firstresponse hub`: run the central service terminals sync with."""

from __future__ import annotations

import argparse
import os
import sys

from firstresponse.commands.databases import (
    DatabaseError,
    add_hub_db_option,
    hub_target,
    open_hub,
    shown,
)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from firstresponse.hub.admin import ensure_demo_users
    from firstresponse.hub.db import transaction
    from firstresponse.hub.sessions import SessionLimits

    try:
        limits = SessionLimits.from_settings(args.settings)
    except ValueError as exc:
        print(f"firstresponse hub: {exc}", file=sys.stderr)
        return 2
    target = hub_target(args)
    if args.workers > 1 and not target.startswith("postgresql"):
        print(
            "firstresponse hub: several --workers need PostgreSQL: SQLite is one process's"
            " (one officer's sign-ins are checked one at a time within a process)",
            file=sys.stderr,
        )
        return 2
    try:
        engine = open_hub(target, create=True)
    except DatabaseError as exc:
        print(f"firstresponse hub: {exc}", file=sys.stderr)
        return 1
    if args.demo_users:
        with transaction(engine) as db:
            added = ensure_demo_users(db)
        print(f"demo users added: {', '.join(added) or 'none (already present)'}")
    if args.migrate_only:
        engine.dispose()
        print(f"hub database ready: {shown(target)}")
        return 0
    from firstresponse.hub.db import PoolSize, pool_report

    try:
        pool = PoolSize.from_settings(args.settings)
    except ValueError as exc:
        print(f"firstresponse hub: {exc}", file=sys.stderr)
        return 2
    print(pool_report(engine, pool, args.workers))
    engine.dispose()
    from firstresponse.hub.db import ENV_DB

    os.environ[ENV_DB] = target
    # Every worker process reads its settings afresh: give them the limits checked here.
    os.environ["FIRSTRESPONSE_SESSION_SHIFT_HOURS"] = str(args.settings.session_shift_hours)
    os.environ["FIRSTRESPONSE_SESSION_IDLE_MINUTES"] = str(args.settings.session_idle_minutes)
    for name in ("hub_db_pool_size", "hub_db_max_overflow", "hub_db_pool_timeout_seconds"):
        os.environ[f"FIRSTRESPONSE_{name.upper()}"] = str(getattr(args.settings, name))
    print(f"hub on http://{args.host}:{args.port}  (database {shown(target)})")
    print(limits.describe())
    uvicorn.run(
        "firstresponse.hub.app:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        # Longer than a client's idle keep-alive (httpx: 5 s), so the hub never closes a
        # connection just as a terminal sends its next request on it (which would fail).
        timeout_keep_alive=30,
        # Pulls waiting on the hub (hub.wakeup) are answered empty this soon at shutdown.
        timeout_graceful_shutdown=3,
    )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("hub", help="run the hub service (sync, lookup, assignments)")
    add_hub_db_option(parser, db_alias=True)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8700, help="port (default 8700)")
    parser.add_argument("--workers", type=int, default=1, help="worker processes")
    parser.add_argument("--log-level", default="info", help="uvicorn log level")
    parser.add_argument("--demo-users", action="store_true", help="add the demo users (PIN 1234)")
    parser.add_argument(
        "--migrate-only", action="store_true", help="create or upgrade the database, then exit"
    )
    parser.set_defaults(func=run)
