"""Settings: platformdirs paths, an optional TOML file, FIRSTRESPONSE_* environment overrides.

Precedence (lowest first): built-in defaults, the TOML file, environment variables.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import asdict, dataclass, field, fields
from datetime import time
from pathlib import Path

import platformdirs

APP_NAME = "firstresponse"
ENV_PREFIX = "FIRSTRESPONSE_"


def _repo_checklists() -> Path:
    """The `checklists/` folder: beside the source tree when run from a checkout, else packaged."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "checklists"
        if (candidate / "thrive.toml").exists():
            return candidate
    return here.parent / "data" / "checklists"


@dataclass
class Settings:
    """Effective settings for one terminal or hub process."""

    data_dir: Path = field(default_factory=lambda: Path(platformdirs.user_data_dir(APP_NAME)))
    config_dir: Path = field(default_factory=lambda: Path(platformdirs.user_config_dir(APP_NAME)))
    log_dir: Path = field(default_factory=lambda: Path(platformdirs.user_log_dir(APP_NAME)))
    db_path: Path | None = None
    checklists_dir: Path = field(default_factory=_repo_checklists)
    hub_url: str = ""
    device_token: str = ""
    force_code: str = "WM"
    idle_lock_seconds: int = 300
    store_key: str = ""
    sync_interval_seconds: int = 5
    serial_perpetrator_victims: int = 2  # victims at which a suspect is flagged serial
    shift_starts: str = "07:00,15:00,23:00"  # local (UK) clock times the shifts start
    shift_review_window_minutes: int = 60  # less left of a shift: the next shift reviews
    session_shift_hours: int = 12  # hub: a session ends this long after sign-in
    session_idle_minutes: int = 120  # hub: a session lapses after this long without a request
    hub_db_pool_size: int = 10  # hub on PostgreSQL: connections each process keeps open
    hub_db_max_overflow: int = 10  # hub: more connections each process may open under load
    hub_db_pool_timeout_seconds: int = 5  # hub: wait for a free connection, then answer 503

    @property
    def store_path(self) -> Path:
        """The terminal's SQLite store."""
        return self.db_path or self.data_dir / "terminal.db"

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    def as_dict(self) -> dict[str, object]:
        """Everything printable, secrets masked."""
        out: dict[str, object] = {}
        for key, value in asdict(self).items():
            if key in {"device_token", "store_key"} and value:
                value = "********"
            out[key] = str(value) if isinstance(value, Path) else value
        out["store_path"] = str(self.store_path)
        out["config_file"] = str(self.config_file)
        return out


def hub_configured(settings: Settings) -> bool:
    """Whether this terminal is enrolled with a hub (it has the hub's address and a device
    token)."""
    return bool(settings.hub_url and settings.device_token)


class SettingsError(ValueError):
    """A setting in the TOML file or environment could not be understood."""


def parse_clock_times(raw: object) -> tuple[time, ...]:
    """Clock times from "07:00,15:00,23:00" (or a TOML list of them), sorted, no repeats."""
    parts = raw if isinstance(raw, list) else str(raw).split(",")
    found = set()
    for part in parts:
        text = str(part).strip()
        hours, sep, minutes = text.partition(":")
        if not (sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
            raise ValueError(f"{text!r} is not a clock time HH:MM")
        found.add(time(int(hours), int(minutes)))  # ValueError when out of range
    if not found:
        raise ValueError("give at least one start time")
    return tuple(sorted(found))


NOT_NEGATIVE = frozenset({"shift_review_window_minutes"})


def _coerce(name: str, raw: object, current: object) -> object:
    kind = type(current)
    if name == "shift_starts":
        try:
            return ",".join(f"{t:%H:%M}" for t in parse_clock_times(raw))
        except ValueError as exc:
            raise SettingsError(f"setting {name!r}: {raw!r}: {exc}") from exc
    try:
        if isinstance(current, Path) or name in {"db_path"}:
            return Path(str(raw)).expanduser()
        if kind is not int:
            return str(raw)
        number = int(str(raw))
    except ValueError as exc:
        raise SettingsError(f"setting {name!r}: {raw!r} is not a valid {kind.__name__}") from exc
    if name in NOT_NEGATIVE and number < 0:
        raise SettingsError(f"setting {name!r}: {raw!r} must not be negative")
    return number


#: Settings a running terminal takes up from its config file without a restart.
RELOADABLE = ("hub_url", "device_token", "sync_interval_seconds")


class ConfigWatcher:
    """Re-reads the config file when it changes and applies the RELOADABLE settings.

    So a device token written by `firstresponse devices enrol --write-config` (or by
    hand) is used by a terminal that is already running. Environment variables still win.
    """

    def __init__(self, settings: Settings, env: dict[str, str] | None = None) -> None:
        self.settings = settings
        self.env = env
        self._stamp = self._mtime()

    def _mtime(self) -> float | None:
        try:
            return self.settings.config_file.stat().st_mtime
        except OSError:
            return None

    def refresh(self) -> bool:
        """True when the file changed and its settings were applied."""
        stamp = self._mtime()
        if stamp == self._stamp:
            return False
        self._stamp = stamp
        try:
            fresh = load_settings(self.settings.config_file, self.env)
        except SettingsError:
            return False  # half-written or wrong: keep what works
        for key in RELOADABLE:
            setattr(self.settings, key, getattr(fresh, key))
        return True


def write_settings(path: Path, values: dict[str, str]) -> None:
    """Set `values` in the TOML file at `path`, keeping its other settings."""
    data: dict[str, object] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{path}: {exc}") from exc
    data.update(values)
    lines = [f"{key} = {_toml_value(value)}" for key, value in data.items()]
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
    temporary.chmod(0o600)  # it holds the device token
    temporary.replace(path)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def load_settings(config_file: Path | None = None, env: dict[str, str] | None = None) -> Settings:
    """Build the effective settings from defaults, the TOML file and the environment."""
    env = dict(os.environ if env is None else env)
    settings = Settings()
    known = {f.name for f in fields(Settings)}
    if ENV_PREFIX + "CONFIG_DIR" in env:
        settings.config_dir = Path(env[ENV_PREFIX + "CONFIG_DIR"]).expanduser()
    path = config_file or Path(env.get(ENV_PREFIX + "CONFIG", settings.config_file))
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{path}: {exc}") from exc
        for key, value in data.items():
            if key not in known:
                raise SettingsError(f"{path}: unknown setting {key!r}")
            setattr(settings, key, _coerce(key, value, getattr(settings, key)))
    for key in known:
        raw = env.get(ENV_PREFIX + key.upper())
        if raw is not None:
            setattr(settings, key, _coerce(key, raw, getattr(settings, key)))
    if ENV_PREFIX + "DATA_DIR" in env and ENV_PREFIX + "LOG_DIR" not in env:
        settings.log_dir = settings.data_dir / "logs"  # everything of a terminal in one folder
    return settings
