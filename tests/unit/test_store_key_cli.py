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
