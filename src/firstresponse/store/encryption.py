"""Encryption at rest for the terminal's store: SQLCipher with a key derived by scrypt.

The configured store key (a device key, or one derived from the officer's credentials)
is never used directly: scrypt stretches it with a random 16-byte salt chosen when the
store is created. SQLCipher keeps that salt as the first 16 bytes of the file, so the
salt travels with the store and nothing else needs to be kept beside it. The derived
key and the salt are handed to SQLCipher as a raw key, which skips SQLCipher's own
(slower, weaker) passphrase stretching.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from firstresponse.store.failures import StoreError

SALT_BYTES = 16
KEY_BYTES = 32
#: scrypt cost: 16 MiB of memory and tens of milliseconds per derivation, once per store open.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
PLAIN_HEADER = b"SQLite format 3\x00"


KEY_SETTING = "FIRSTRESPONSE_STORE_KEY, or store_key in config.toml"


class StoreKeyError(StoreError):
    """The store cannot be opened with the key given (wrong key, no key, or not encrypted)."""


def require_plain(path: Path) -> None:
    """Raise StoreKeyError, saying where to set the key, if `path` is an encrypted store.

    Opened without a key, SQLite would only say "file is not a database" on first use.
    """
    if not path.is_file() or path.stat().st_size == 0:
        return
    with path.open("rb") as handle:
        header = handle.read(len(PLAIN_HEADER))
    if header != PLAIN_HEADER:
        raise StoreKeyError(
            f"this store is encrypted: set its key ({KEY_SETTING}): {path} (a store that"
            " was never encrypted but reads like this is damaged: restore it from a backup)"
        )


def derive_key(secret: str, salt: bytes) -> bytes:
    """A 32-byte SQLCipher key stretched from `secret` with scrypt."""
    if not secret:
        raise StoreKeyError("an encrypted store needs a non-empty store key")
    return hashlib.scrypt(
        secret.encode("utf-8"),
        salt=salt,
        n=SCRYPT_N,
        r=SCRYPT_R,
        p=SCRYPT_P,
        dklen=KEY_BYTES,
    )


def _existing_salt(path: Path) -> bytes | None:
    """The salt of an existing store, None for a new one; StoreKeyError for a plain store."""
    size = path.stat().st_size if path.exists() else 0
    if size == 0:
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size:
            raise StoreKeyError(f"{path} is empty but has a write-ahead log: not opening it")
        return None
    with path.open("rb") as handle:
        header = handle.read(SALT_BYTES)
    if header == PLAIN_HEADER:
        raise StoreKeyError(
            f"{path} is a plain (unencrypted) store: it cannot be opened with a store key"
        )
    if len(header) < SALT_BYTES:
        raise StoreKeyError(f"{path} is too short to be an encrypted store")
    return header


def _keyed(path: Path, key: bytes, salt: bytes) -> Any:
    from sqlcipher3 import dbapi2 as sqlcipher

    conn = sqlcipher.connect(str(path), check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is reported by StoreKeyError
    conn.execute(f"PRAGMA key = \"x'{key.hex()}{salt.hex()}'\"")
    return conn


def dbapi() -> Any:
    """The DB-API module behind encrypted connections.

    Pass it as `create_engine(..., module=dbapi())` so SQLAlchemy wraps SQLCipher's
    errors (IntegrityError and the rest) exactly as it wraps sqlite3's.
    """
    from sqlcipher3 import dbapi2

    return dbapi2


def encrypted_connector(path: Path, key: str) -> Callable[[], Any]:
    """A DB-API connect function for an SQLCipher store at `path`, keyed from `key`.

    A new store is created encrypted. Opening an existing store with the wrong key, or a
    plain store with any key, raises StoreKeyError with a message saying so.
    """
    if not key:
        raise StoreKeyError("an encrypted store needs a non-empty store key")
    derived: dict[bytes, bytes] = {}  # salt -> key, so scrypt runs once per store

    def connect() -> Any:
        from sqlcipher3 import dbapi2 as sqlcipher

        salt = _existing_salt(path)
        fresh = salt is None
        salt = salt or secrets.token_bytes(SALT_BYTES)
        if salt not in derived:
            derived[salt] = derive_key(key, salt)
        conn = _keyed(path, derived[salt], salt)
        try:
            if fresh:
                # Write the header (and so the salt) to the main file now, not on a later
                # checkpoint, so the salt is never only in the write-ahead log.
                conn.execute("PRAGMA journal_mode=DELETE")
                conn.execute("CREATE TABLE _firstresponse_init(x)")
                conn.execute("DROP TABLE _firstresponse_init")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
        except sqlcipher.DatabaseError as exc:
            conn.close()
            raise StoreKeyError(
                f"cannot open {path}: wrong store key, or not a firstresponse encrypted store"
            ) from exc
        return conn

    return connect
