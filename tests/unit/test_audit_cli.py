"""`firstresponse audit verify|show`: an altered or deleted entry is found and listed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from firstresponse.cli import main
from firstresponse.security import audit, users
from firstresponse.store import Store

ADMIN = ["--as", "AD4001", "--pin", "1234"]


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FIRSTRESPONSE_CONFIG_DIR", str(tmp_path / "cfg"))
    for name in ("COLLAR", "PIN", "STORE_KEY"):
        monkeypatch.delenv(f"FIRSTRESPONSE_{name}", raising=False)
    path = tmp_path / "t.db"
    store = Store(path)
    with store.session() as db:
        users.create_user(db, "AD4001", "Demo Admin", "admin", "", "1234")
        users.create_user(db, "PC2001", "Demo Responder", "responder", "Alpha", "1234")
        for n in range(5):
            audit.record(db, "PC2001", "lookup", "person", f"p{n}", query=f"name {n}")
    store.close()
    return path


def _sql(path: Path, statement: str) -> None:
    store = Store(path)
    with store.engine.begin() as conn:
        conn.execute(text(statement))
    store.close()


def _verify(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:
    code = main(["--db", str(path), "audit", "verify", "--json", *ADMIN])
    return code, json.loads(capsys.readouterr().out)


def test_intact_chain_verifies(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, report = _verify(db_path, capsys)
    assert code == 0 and report["ok"] and report["breaks"] == []
    assert report["entries"] == 8  # 2 users, 5 lookups, this sign-in
    assert main(["--db", str(db_path), "audit", "verify", *ADMIN]) == 0
    assert "intact" in capsys.readouterr().out


def test_an_altered_entry_is_found(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _sql(db_path, "UPDATE auditevent SET subject_id = 'someone-else' WHERE seq = 4")
    code, report = _verify(db_path, capsys)
    assert code == 1 and not report["ok"]
    assert report["breaks"] == [{"seq": 4, "reason": "content does not match its hash (altered)"}]


def test_a_deleted_entry_is_found(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _sql(db_path, "DELETE FROM auditevent WHERE seq = 5")
    assert main(["--db", str(db_path), "audit", "verify", *ADMIN]) == 1
    out = capsys.readouterr().out
    assert "BROKEN" in out and "entry 6" in out and "missing" in out


def test_only_an_admin_may_verify_or_show(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    officer = ["--as", "PC2001", "--pin", "1234"]
    assert main(["--db", str(db_path), "audit", "verify", *officer]) == 2
    assert "may not verify audit" in capsys.readouterr().err
    assert main(["--db", str(db_path), "audit", "show", *officer]) == 2


def test_show_lists_entries_and_records_the_viewing(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--db", str(db_path), "audit", "show", "--json", "--action", "lookup", *ADMIN]
    assert main(args) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["subject"] for r in rows] == [f"person:p{n}" for n in range(5)]
    assert main(["--db", str(db_path), "audit", "show", "--limit", "2", *ADMIN]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and "audit.show" in out[0] and "login" in out[1]


def test_an_encrypted_store_with_the_wrong_key_is_explained(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FIRSTRESPONSE_CONFIG_DIR", str(tmp_path / "cfg"))
    path = tmp_path / "enc.db"
    Store(path, key="right-key").close()
    monkeypatch.setenv("FIRSTRESPONSE_STORE_KEY", "wrong-key")
    assert main(["--db", str(path), "audit", "verify", *ADMIN]) == 1
    assert "wrong store key" in capsys.readouterr().err
