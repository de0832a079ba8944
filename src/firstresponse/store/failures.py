"""Why the terminal's store cannot be used, in one plain line that says what to do next.

Every command opens the store through `store.Store`, and the terminal UI does too, so a
store that is a folder, a damaged or cut-short file, or a disk that has filled up is
reported the same way everywhere: `StoreError` (raised by `Store`) or, for a failure in
the middle of a command's work, `explain` on whatever the database raised. The command
line (cli.main) prints the line and exits non-zero; nothing is written to a damaged store.
"""

from __future__ import annotations

import errno
from pathlib import Path

#: What SQLite says for a file that is not (or no longer) a whole database.
_DAMAGED = ("file is not a database", "database disk image is malformed", "malformed")
_FULL = ("database or disk is full", "disk is full")
_NO_FILE = ("unable to open database file",)
_IO = ("disk i/o error",)


class StoreError(RuntimeError):
    """The store cannot be used; the message is one line saying why and what to do."""


def folder_given(path: Path) -> str:
    return (
        f"{path} is a folder, not a store file: give the store's file instead "
        f"(for example {path / 'terminal.db'}) with --db, FIRSTRESPONSE_DB_PATH or "
        "db_path in config.toml"
    )


def damaged(path: Path | None, said: str) -> str:
    where = str(path) if path else "the store"
    return (
        f"{where} is damaged or cut short (SQLite: {said}); nothing was changed. Keep a copy "
        "of it, then restore the store from a backup or ask your admin: records not yet "
        "synced are only in this file"
    )


def disk_full(path: Path | None) -> str:
    where = f" holding {path}" if path else ""
    return (
        f"the disk{where} is full: free some space, then run the same command again "
        "(everything saved before is kept; an import carries on where it stopped)"
    )


def cut_short(path: Path) -> str | None:
    """Why a plain store file is shorter than its own header says it is (a copy or a disk
    cut off part-way), read from the header alone; None when it is not, or cannot tell."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError:
        return None
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return None
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    counted = header[24:28] == header[92:96]  # the header's page count is kept up to date
    if counted and pages and size < pages * page_size:
        return damaged(path, f"the file holds {size:,} bytes of {pages * page_size:,}")
    return None


def explain(exc: BaseException, path: Path | None = None) -> str | None:
    """The plain line for `exc` if it is one of the store's known failures, else None."""
    if isinstance(exc, StoreError):
        return str(exc)
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return disk_full(path)
    if isinstance(exc, IsADirectoryError) and path is not None:
        return folder_given(path)
    said = str(getattr(exc, "orig", None) or exc).splitlines()[0] if str(exc) else ""
    lowered = said.lower()
    if not _is_database_error(exc):
        return None
    if any(text in lowered for text in _FULL):
        return disk_full(path)
    if any(text in lowered for text in _DAMAGED):
        return damaged(path, said)
    if any(text in lowered for text in _NO_FILE):
        if path is not None and path.is_dir():
            return folder_given(path)
        where = str(path) if path else "the store"
        return f"cannot open {where} ({said}): check its folder exists and that you may write to it"
    if any(text in lowered for text in _IO):
        return (
            f"reading or writing {path or 'the store'} failed ({said}): check the disk, "
            "then run the same command again"
        )
    return None


def _is_database_error(exc: BaseException) -> bool:
    """An SQLite (or SQLCipher) error, raw or as SQLAlchemy wraps it."""
    import sqlite3

    from sqlalchemy.exc import DBAPIError

    if isinstance(exc, DBAPIError | sqlite3.DatabaseError):
        return True
    return type(exc).__name__ in {"DatabaseError", "OperationalError"}
