"""Session limits are the hub's settings (config file or environment), not fixed in code."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlmodel import select

from firstresponse.cli import main
from firstresponse.config import load_settings
from firstresponse.hub.auth import token_hash
from firstresponse.hub.db import transaction
from firstresponse.hub.models import HubSession
from firstresponse.hub.sessions import SessionLimits
from firstresponse.records import utcnow
from tests.hub.support import PIN, Hub, add_users

SHORT = SessionLimits(shift=timedelta(hours=1), idle=timedelta(minutes=5))


@pytest.fixture
def short_hub(hub_target: str) -> Iterator[Hub]:
    server = Hub(hub_target, limits=SHORT)
    add_users(server.engine)
    server.start()
    yield server
    server.stop()
    server.engine.dispose()


def test_the_limits_come_from_the_config_file_and_the_environment(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("session_shift_hours = 8\nsession_idle_minutes = 90\n", encoding="utf-8")
    settings = load_settings(config, env={"FIRSTRESPONSE_SESSION_IDLE_MINUTES": "15"})
    limits = SessionLimits.from_settings(settings)
    assert (limits.shift, limits.idle) == (timedelta(hours=8), timedelta(minutes=15))
    assert SessionLimits.from_settings(load_settings(config, env={})).idle == timedelta(minutes=90)
    assert limits.describe() == "sessions last 8 h, 15 min idle"


@pytest.mark.parametrize(
    ("shift", "idle", "why"),
    [
        (0, 30, "session_shift_hours must be between 1 and 24"),
        (25, 30, "session_shift_hours must be between 1 and 24"),
        (8, 0, "session_idle_minutes must be at least 1"),
        (1, 61, "no longer than the shift (60 minutes)"),
    ],
)
def test_limits_out_of_range_are_refused_with_the_reason(shift: int, idle: int, why: str) -> None:
    settings = load_settings(
        Path("/nonexistent"),
        env={
            "FIRSTRESPONSE_SESSION_SHIFT_HOURS": str(shift),
            "FIRSTRESPONSE_SESSION_IDLE_MINUTES": str(idle),
        },
    )
    with pytest.raises(ValueError, match=why.replace("(", r"\(").replace(")", r"\)")):
        SessionLimits.from_settings(settings)


def test_the_hub_command_refuses_limits_out_of_range(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FIRSTRESPONSE_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("FIRSTRESPONSE_SESSION_IDLE_MINUTES", "0")
    assert main(["hub", "--db", str(tmp_path / "hub.db"), "--migrate-only"]) == 2
    assert "session_idle_minutes must be at least 1" in capsys.readouterr().err
    assert not (tmp_path / "hub.db").exists()  # refused before anything was opened


def test_a_hub_ends_sessions_by_its_own_limits(short_hub: Hub) -> None:
    token = short_hub.enrol()
    answer = httpx.post(
        short_hub.url + "/v1/sessions",
        json={"collar": "PC2001", "pin": PIN},
        headers={"X-Device-Token": token},
    ).json()
    assert answer["idle_seconds"] == 300
    ends = datetime.fromisoformat(answer["expires_at"])
    ends = ends if ends.tzinfo else ends.replace(tzinfo=utcnow().tzinfo)
    assert timedelta(minutes=59) < ends - utcnow() <= timedelta(hours=1)
    fresh, lapsed = short_hub.headers(token), short_hub.headers(token)
    with transaction(short_hub.engine) as db:
        rows = {row.token_hash: row for row in db.exec(select(HubSession))}
        rows[token_hash(fresh["X-Session"])].last_seen_at = utcnow() - timedelta(minutes=4)
        rows[token_hash(lapsed["X-Session"])].last_seen_at = utcnow() - timedelta(minutes=5)
        db.add_all(rows.values())
    whoami = short_hub.url + "/v1/whoami"
    assert httpx.get(whoami, headers=fresh).status_code == 200  # 4 minutes idle is within 5
    refused = httpx.get(whoami, headers=lapsed)
    assert refused.status_code == 401 and "no activity" in refused.json()["detail"]
