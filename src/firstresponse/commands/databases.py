"""Which database a command works on, refused in one plain line when it cannot be that one.

A terminal's store is a file path (`firstresponse --db PATH`, `import-history --db PATH`).
The hub's database is a SQLite path or a `postgresql+psycopg://USER@HOST/DB` URL, given
with `--hub-db` (`--db` on `hub` and `devices`, as before, is kept as another name for it),
else `$FIRSTRESPONSE_HUB_DB`, else `hub.db` in the data folder. A URL where a store's path
is wanted, a web address or other URL where a database is wanted, and a hub database that
does not exist yet or is a terminal's store are each refused before anything is written:
only `firstresponse hub` and the first admin (`users add ... --hub-db`) make a new one.
"""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

#: Something written as `scheme:/...`: a URL, never meant as a file path.
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:/")
DATABASE_SCHEMES = ("postgresql", "sqlite")
HUB_TABLE = "hub_device"  # present on every hub database (hub migrations since 0002_hub)
FLAG = "--hub-db"
HUB_DB_HELP = (
    "the hub's database: a SQLite path or postgresql+psycopg://USER@HOST/DB "
    "(default: $FIRSTRESPONSE_HUB_DB, else hub.db in the data folder)"
)


class DatabaseError(Exception):
    """The database named cannot be the one the command needs; the message says why."""


def is_url(value: str) -> bool:
    return _URL.match(value) is not None


def shown(target: str) -> str:
    """A database as it may be printed: a URL without its password."""
    if not is_url(target):
        return target
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(target).render_as_string(hide_password=True)
    except ArgumentError:
        return target


def store_path(value: str, flag: str = "--db") -> Path:
    """A terminal store's path as given; a URL is refused."""
    if is_url(value):
        raise DatabaseError(
            f"{flag} takes the file path of a terminal's store, not a URL ({shown(value)});"
            f" a hub's database is given with {FLAG}"
        )
    return Path(value)


def add_hub_db_option(parser: argparse.ArgumentParser, *, db_alias: bool = False) -> None:
    """`--hub-db TARGET`; with `db_alias`, `--db` too (the name these verbs had before)."""
    names = [FLAG, "--db"] if db_alias else [FLAG]
    parser.add_argument(*names, dest="hub_db", default="", metavar="TARGET", help=HUB_DB_HELP)


def hub_target(args: argparse.Namespace) -> str:
    """The hub database asked for: --hub-db, else FIRSTRESPONSE_HUB_DB, else hub.db in the
    data folder."""
    from firstresponse.hub.db import ENV_DB

    if getattr(args, "hub_db", ""):
        return str(args.hub_db)
    return os.environ.get(ENV_DB) or str(args.settings.data_dir / "hub.db")


def _check_url(target: str) -> None:
    scheme = target.split(":", 1)[0].split("+", 1)[0].lower()
    if scheme not in DATABASE_SCHEMES:
        raise DatabaseError(
            f"{shown(target)} is not a database: the hub's database is a SQLite path"
            " or a postgresql+psycopg://USER@HOST/DB URL"
        )


def _sqlite_file(target: str) -> Path | None:
    if not is_url(target):
        return Path(target)
    return Path(target.removeprefix("sqlite:///")) if target.startswith("sqlite") else None


def open_hub(target: str, *, create: bool = False) -> Engine:
    """An engine on the hub's database, migrated; DatabaseError (one line) when `target`
    is not a hub database, or (unless `create`) does not exist yet."""
    from sqlalchemy import inspect
    from sqlalchemy.exc import SQLAlchemyError

    from firstresponse.hub.db import hub_engine
    from firstresponse.store.migrate import upgrade

    if is_url(target):
        _check_url(target)
    file = _sqlite_file(target)
    if file is not None and file.is_dir():
        raise DatabaseError(f"{target} is a folder, not a hub database")
    if file is not None and not file.exists() and not create:
        raise DatabaseError(f"no hub database at {target}: {_how_to_create(target)}")
    engine = hub_engine(target, migrate=False)
    try:
        tables = set(inspect(engine).get_table_names())
        if HUB_TABLE not in tables and tables - {"alembic_version"}:
            raise DatabaseError(f"{shown(target)} is a terminal's store, not a hub database")
        if HUB_TABLE not in tables and not create:
            raise DatabaseError(
                f"{shown(target)} holds no hub database yet: {_how_to_create(target)}"
            )
        upgrade(engine, role="hub")
    except SQLAlchemyError as exc:
        engine.dispose()
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise DatabaseError(f"cannot open {shown(target)}: {reason}") from None
    except DatabaseError:
        engine.dispose()
        raise
    return engine


def _how_to_create(target: str) -> str:
    return (
        f"check {FLAG} (or $FIRSTRESPONSE_HUB_DB), or create it with"
        f" `firstresponse hub {FLAG} {shown(target)} --migrate-only`"
    )
