"""A wrong store key is explained by every command, never shown as a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from firstresponse.cli import main
from firstresponse.records import User
from firstresponse.store import Store


def test_wrong_key_is_a_plain_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "terminal.db"
    Store(path, key="right horse battery").close()
    monkeypatch.setenv("FIRSTRESPONSE_STORE_KEY", "wrong key")
    monkeypatch.setenv("FIRSTRESPONSE_CONFIG_DIR", str(tmp_path / "config"))
    assert main(["--db", str(path), "outbox"]) == 2
    err = capsys.readouterr().err
    assert "cannot open the store" in err and "Traceback" not in err


def test_encrypted_store_raises_sqlalchemy_errors(tmp_path: Path) -> None:
    store = Store(tmp_path / "terminal.db", key="right horse battery")
    try:
        with store.session() as db:
            db.add(User(collar="PC1", name="One", role="responder"))
        with pytest.raises(IntegrityError), store.session() as db:
            db.add(User(collar="PC1", name="Again", role="responder"))
    finally:
        store.close()


STORE_VERBS = [
    ["outbox"],
    ["audit", "verify"],
    ["audit", "show"],
    ["users", "list"],
    ["lookup", "Ann"],
    ["sync", "--once", "--as", "PC1"],
    ["dip-sample", "--from", "2026-01-01", "--to", "2026-02-01"],
    ["export", "--from", "2026-01-01", "--to", "2026-02-01", "--as", "SG1"],
    ["import-history", str(Path(__file__).resolve().parents[2] / "docs" / "import-example.csv")],
    ["demo-data", "--people", "2"],
    [],  # the terminal UI
]


@pytest.mark.parametrize("verb", STORE_VERBS, ids=lambda v: " ".join(v[:2]) or "tui")
def test_an_encrypted_store_without_its_key_is_one_plain_line(
    verb: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "terminal.db"
    Store(path, key="right horse battery").close()
    monkeypatch.delenv("FIRSTRESPONSE_STORE_KEY", raising=False)
    monkeypatch.setenv("FIRSTRESPONSE_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("FIRSTRESPONSE_PIN", "1234")
    assert main(["--db", str(path), *verb]) != 0
    out = capsys.readouterr()
    [line] = out.err.splitlines()
    assert "this store is encrypted: set its key (FIRSTRESPONSE_STORE_KEY" in line
    assert "Traceback" not in out.out + out.err
