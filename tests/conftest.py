"""Shared fixtures: a fresh migrated store and settings pointing into a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from firstresponse.config import Settings
from firstresponse.store import Store

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        config_dir=tmp_path / "config",
        log_dir=tmp_path / "log",
        checklists_dir=REPO / "checklists",
    )


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    s = Store(settings.store_path)
    yield s
    s.close()
