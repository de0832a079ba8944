"""Every command acting as an officer needs their PIN: refused in one plain line without
one (no terminal to ask at, no FIRSTRESPONSE_PIN), and a missing PIN is never counted as
a wrong one; a wrong one is."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlmodel import select

from firstresponse.cli import main
from firstresponse.records import AuditEvent, User
from firstresponse.security.users import create_user
from firstresponse.store import Store

PERIOD = ["--from", "2026-01-01", "--to", "2026-12-31"]
COMMANDS = {
    "export": ["export", *PERIOD, "--as", "SG3001"],
    "dip-sample": ["dip-sample", *PERIOD, "--as", "SG3001"],
    "lookup": ["lookup", "Nadia", "Quill", "--as", "SG3001"],
    "users": ["users", "list", "--as", "SG3001"],
    "audit": ["audit", "show", "--as", "SG3001"],
}


@pytest.fixture
def store_args(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A terminal store with a supervisor; no PIN in the environment, no terminal."""
    monkeypatch.setenv("FIRSTRESPONSE_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("FIRSTRESPONSE_DATA_DIR", str(tmp_path / "data"))
    for name in ("COLLAR", "PIN", "NEW_PIN", "STORE_KEY"):
        monkeypatch.delenv(f"FIRSTRESPONSE_{name}", raising=False)
    monkeypatch.setattr("sys.stdin", open(os.devnull))  # noqa: SIM115 - stdin closed
    path = tmp_path / "t.db"
    store = Store(path)
    with store.session() as db:
        create_user(db, "SG3001", "Sergeant", "supervisor", "Alpha", "2468", actor="test")
    store.close()
    return ["--db", str(path)]


def _attempts(store_args: list[str]) -> tuple[int, bool, int]:
    """The supervisor's failed attempts, whether locked, and failed sign-ins audited."""
    store = Store(Path(store_args[1]))
    try:
        with store.session() as db:
            user = db.exec(select(User).where(User.collar == "SG3001")).one()
            failed = db.exec(select(AuditEvent).where(AuditEvent.action == "login.failed")).all()
            return user.failed_attempts, user.locked, len(failed)
    finally:
        store.close()


@pytest.mark.parametrize("verb", sorted(COMMANDS))
def test_no_pin_is_refused_plainly_and_never_counts(
    verb: str, store_args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    for _ in range(6):  # more than the five wrong PINs that would lock the account
        assert main([*store_args, *COMMANDS[verb]]) == 2
        out, err = capsys.readouterr()
        assert err.strip().splitlines() == [
            f"firstresponse {verb}: no PIN for SG3001: set FIRSTRESPONSE_PIN or run this at a"
            " terminal"
        ]
        assert out == ""
    assert _attempts(store_args) == (0, False, 0)


def test_the_right_pin_runs_and_a_wrong_one_counts(
    store_args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FIRSTRESPONSE_PIN", "2468")
    assert main([*store_args, *COMMANDS["export"]]) == 0
    assert '"figures"' in capsys.readouterr().out
    monkeypatch.setenv("FIRSTRESPONSE_PIN", "1111")
    assert main([*store_args, *COMMANDS["export"]]) == 2
    assert "wrong PIN" in capsys.readouterr().err
    assert _attempts(store_args)[:2] == (1, False)


def test_export_names_the_officer(
    store_args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FIRSTRESPONSE_PIN", "2468")
    assert main([*store_args, "export", *PERIOD]) == 2
    assert "sign in with --as COLLAR" in capsys.readouterr().err
