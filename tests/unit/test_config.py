from __future__ import annotations

from pathlib import Path

import pytest

from firstresponse.config import SettingsError, load_settings


def test_toml_then_environment_override(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('hub_url = "http://127.0.0.1:9"\nidle_lock_seconds = 60\n')
    settings = load_settings(cfg, env={"FIRSTRESPONSE_IDLE_LOCK_SECONDS": "30"})
    assert settings.hub_url == "http://127.0.0.1:9"
    assert settings.idle_lock_seconds == 30


def test_env_db_path_sets_store_path(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "none.toml", env={"FIRSTRESPONSE_DB_PATH": "/x/y.db"})
    assert settings.store_path == Path("/x/y.db")


def test_unknown_setting_is_a_clear_error(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text("colour = 'blue'\n")
    with pytest.raises(SettingsError, match="unknown setting 'colour'"):
        load_settings(cfg, env={})


def test_bad_number_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="not a valid int"):
        load_settings(tmp_path / "none.toml", env={"FIRSTRESPONSE_IDLE_LOCK_SECONDS": "soon"})


def test_secrets_are_masked() -> None:
    settings = load_settings(Path("/nonexistent.toml"), env={"FIRSTRESPONSE_DEVICE_TOKEN": "t0k"})
    assert settings.as_dict()["device_token"] == "********"
