"""Shared fixtures: a migrated store copied from one template, settings in a temporary folder.

Two costs dominate a suite that opens hundreds of stores and signs in hundreds of times:
migrating a new store (about 0.2 s) and Argon2 (about 0.03 s a hash, a verification or a
key derivation). Each test gets its own store file copied from one migrated template; PIN
hashes, verifications (right and wrong) and the keys attest derives from a PIN and salt
to wrap an officer's signing key are remembered for the session. Each remembered answer is
the one Argon2 gave for exactly those inputs, so the product's own code paths and results
are unchanged: a wrong PIN still fails, a key wrapped under one PIN still will not open
under another.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import shutil
import sqlite3
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx._transports.default as httpx_transport
import pytest
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from sqlalchemy.engine import Engine

from firstresponse.config import Settings
from firstresponse.hub import heap
from firstresponse.security import pins
from firstresponse.store import Store, migrate
from firstresponse.sync import attest

REPO = Path(__file__).resolve().parents[1]


class _RememberingHasher(PasswordHasher):
    """The product's hasher, remembering each PIN's hash and each verification's outcome."""

    def __init__(self, real: PasswordHasher) -> None:
        super().__init__(
            time_cost=real.time_cost,
            memory_cost=real.memory_cost,
            parallelism=real.parallelism,
            hash_len=real.hash_len,
            salt_len=real.salt_len,
            type=real.type,
        )
        self._hashes: dict[str, str] = {}
        self._verified: set[tuple[str, str]] = set()
        self._refused: dict[tuple[str, str], VerificationError] = {}

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        key = password if isinstance(password, str) else password.decode()
        if salt is not None:
            return super().hash(password, salt=salt)
        if key not in self._hashes:
            self._hashes[key] = super().hash(password)
        return self._hashes[key]

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        key = (str(hash), str(password))
        if key in self._verified:
            return True
        if key in self._refused:
            raise self._refused[key]  # the same error the real verification raised
        try:
            result = super().verify(hash, password)  # raises on a wrong PIN, as the real one
        except VerificationError as refused:
            self._refused[key] = refused
            raise
        self._verified.add(key)
        return result


@pytest.fixture(autouse=True, scope="session")
def _remembered_pin_hashes() -> Iterator[None]:
    real = pins._hasher
    pins._hasher = _RememberingHasher(real)
    yield
    pins._hasher = real


@pytest.fixture(autouse=True, scope="session")
def _remembered_wrapping_keys() -> Iterator[None]:
    """attest's Argon2 key derivation, remembered by (PIN, salt): unwrapping a key this
    session wrapped costs no second derivation; a new salt or another PIN derives anew."""
    real = attest._kek
    attest._kek = functools.cache(real)
    yield
    attest._kek = real


@contextlib.contextmanager
def _settled_without_a_full_collection() -> Iterator[None]:
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@pytest.fixture(autouse=True, scope="session")
def _hubs_in_this_process_skip_the_full_collection() -> Iterator[None]:
    """A hub started in this process (uvicorn in a thread) freezes the heap as
    hub.heap.settled does, without the full collection first. That collection is for a
    hub process holding only the hub; here it scanned the whole test process (pytest,
    Textual, every module loaded), about 0.25 s of CPU at each of several hundred hub
    starts. It changes no answer a hub gives; `firstresponse hub` started as its own
    process by the tests (tests.hub.support.hub_process, the demo hub) settles as it
    ships."""
    real = heap.settled
    heap.settled = _settled_without_a_full_collection
    yield
    heap.settled = real


@pytest.fixture(autouse=True, scope="session")
def _one_tls_context_for_default_clients() -> Iterator[None]:
    """httpx builds an SSL context for every client (the CA bundle read and parsed: about
    25 ms of CPU), and the tests make thousands of clients (each HubClient, each
    httpx.get), every one to http://127.0.0.1. Clients asking for the default
    verification share one context built by httpx's own function; any other asks it anew."""
    real = httpx_transport.create_ssl_context
    shared = real()

    def create(verify: Any = True, cert: Any = None, trust_env: bool = True) -> ssl.SSLContext:
        if verify is True and cert is None and trust_env:
            return shared
        return real(verify, cert, trust_env)

    httpx_transport.create_ssl_context = create
    yield
    httpx_transport.create_ssl_context = real


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One store migrated to the current schema, to copy from."""
    path = tmp_path_factory.mktemp("template") / "store.db"
    Store(path).close()
    return path


@pytest.fixture(autouse=True, scope="session")
def _new_stores_copied_from_the_template(migrated_template: Path) -> Iterator[None]:
    """A new, empty, unencrypted store migrated to the head as a terminal's gets the
    template's pages (SQLite's backup: the same database, byte for byte, that this
    migration made for the template) instead of running the migrations again (about
    0.15 s of CPU, and tests open hundreds of new stores). A store with anything in it,
    an encrypted one, another revision or another role is migrated as it ships."""
    real = migrate.upgrade

    def upgrade(engine: Engine, revision: str = "head", role: Any = "terminal") -> None:
        if revision == "head" and role == "terminal":
            with engine.connect() as conn:
                raw = conn.connection.driver_connection
                plain = type(raw) is sqlite3.Connection  # not SQLCipher's
                if plain and not raw.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                    source = sqlite3.connect(migrated_template)
                    try:
                        source.backup(raw)
                    finally:
                        source.close()
                    return
        real(engine, revision, role)

    migrate.upgrade = upgrade
    yield
    migrate.upgrade = real


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        config_dir=tmp_path / "config",
        log_dir=tmp_path / "log",
        checklists_dir=REPO / "checklists",
    )


@pytest.fixture
def store(settings: Settings, migrated_template: Path) -> Iterator[Store]:
    settings.store_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(migrated_template, settings.store_path)
    s = Store(settings.store_path)
    yield s
    s.close()
