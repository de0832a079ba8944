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


def test_shift_pattern_from_toml_list_then_environment(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('shift_starts = ["18:00", "06:00"]\nshift_review_window_minutes = 90\n')
    settings = load_settings(cfg, env={})
    assert (settings.shift_starts, settings.shift_review_window_minutes) == ("06:00,18:00", 90)
    settings = load_settings(cfg, env={"FIRSTRESPONSE_SHIFT_STARTS": " 22:00, 08:00 ,08:00"})
    assert settings.shift_starts == "08:00,22:00"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SHIFT_STARTS", "7am", "'7am' is not a clock time HH:MM"),
        ("SHIFT_STARTS", "25:00", "hour must be in 0..23"),
        ("SHIFT_STARTS", "", "'' is not a clock time"),
        ("SHIFT_REVIEW_WINDOW_MINUTES", "-5", "must not be negative"),
    ],
)
def test_a_bad_shift_setting_is_a_clear_error(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings(tmp_path / "none.toml", env={f"FIRSTRESPONSE_{name}": value})
