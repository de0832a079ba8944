"""`firstresponse users ...`: the first admin, then admin-only changes checked in the core."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from firstresponse.cli import main


@pytest.fixture
def db_args(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("FIRSTRESPONSE_CONFIG_DIR", str(tmp_path / "cfg"))
    for name in ("COLLAR", "PIN", "NEW_PIN", "STORE_KEY"):
        monkeypatch.delenv(f"FIRSTRESPONSE_{name}", raising=False)
    return ["--db", str(tmp_path / "t.db")]


def _users(db_args: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, dict]:
    assert main([*db_args, "users", "list", "--json", "--as", "AD4001", "--pin", "1234"]) == 0
    return {row["collar"]: row for row in json.loads(capsys.readouterr().out)}


def test_first_admin_then_admin_manages_users(
    db_args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    admin = ["--as", "AD4001", "--pin", "1234"]
    first = ["users", "add", "AD4001", "--name", "Demo Admin", "--role", "responder"]
    assert main([*db_args, *first, "--new-pin", "1234"]) == 1
    assert "first one must be --role admin" in capsys.readouterr().err
    first[-1] = "admin"
    assert main([*db_args, *first, "--new-pin", "1234"]) == 0
    add = ["users", "add", "pc2001", "--name", "Demo Responder", "--role", "responder"]
    assert main([*db_args, *add, "--team", "Alpha", "--new-pin", "1234", *admin]) == 0
    assert "PC2001 Demo Responder added as responder" in capsys.readouterr().out
    assert main([*db_args, *add, "--new-pin", "12", *admin]) == 1
    assert "4 to 8 digits" in capsys.readouterr().err
    assert main([*db_args, *add, "--new-pin", "5678", *admin]) == 1
    assert "already exists" in capsys.readouterr().err
    rows = _users(db_args, capsys)
    assert rows["PC2001"]["team"] == "Alpha" and rows["AD4001"]["role"] == "admin"

    officer = ["--as", "PC2001", "--pin", "1234"]
    assert main([*db_args, "users", "unlock", "AD4001", *officer]) == 2
    assert "may not manage users" in capsys.readouterr().err

    for _ in range(3):  # wrong PINs make the next attempt wait (security.throttle)
        main([*db_args, "users", "list", "--as", "PC2001", "--pin", "0000"])
    waiting = _users(db_args, capsys)["PC2001"]
    assert waiting["failed_attempts"] == 3 and not waiting["locked"]
    assert main([*db_args, "users", "unlock", "PC2001", *admin]) == 0
    assert main([*db_args, "users", "reset-pin", "PC2001", "--new-pin", "97531", *admin]) == 0
    assert main([*db_args, "users", "deactivate", "PC2001", *admin]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "PC2001 unlocked",
        "PIN for PC2001 reset",
        "PC2001 deactivated",
    ]
    rows = _users(db_args, capsys)
    assert not rows["PC2001"]["locked"] and not rows["PC2001"]["active"]


def test_wrong_admin_pin_is_refused(
    db_args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = ["users", "add", "AD4001", "--name", "Demo Admin", "--role", "admin"]
    assert main([*db_args, *first, "--new-pin", "1234"]) == 0
    monkeypatch.setenv("FIRSTRESPONSE_COLLAR", "AD4001")
    monkeypatch.setenv("FIRSTRESPONSE_PIN", "4321")
    assert main([*db_args, "users", "list"]) == 2
    assert "wrong PIN" in capsys.readouterr().err
