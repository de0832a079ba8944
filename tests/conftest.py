"""Shared fixtures: a migrated store copied from one template, settings in a temporary folder.

Two costs dominate a suite that opens hundreds of stores and signs in hundreds of times:
migrating a new store (about 0.2 s) and Argon2 (about 0.1 s a hash or a verification).
Each test gets its own store file copied from one migrated template, and PIN hashes and
verifications are remembered for the session; the product's own code paths are unchanged.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from firstresponse.config import Settings
from firstresponse.security import pins
from firstresponse.store import Store

REPO = Path(__file__).resolve().parents[1]


class _RememberingHasher(PasswordHasher):
    """The product's hasher, remembering each PIN's hash and each successful verification."""

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
        result = super().verify(hash, password)  # raises on a wrong PIN, as the real one does
        self._verified.add(key)
        return result


@pytest.fixture(autouse=True, scope="session")
def _remembered_pin_hashes() -> Iterator[None]:
    real = pins._hasher
    pins._hasher = _RememberingHasher(real)
    yield
    pins._hasher = real


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One store migrated to the current schema, to copy from."""
    path = tmp_path_factory.mktemp("template") / "store.db"
    Store(path).close()
    return path


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
