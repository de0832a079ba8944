"""On the terminal too, nothing that is not valid text is hashed or stored: bytes that are
not UTF-8 (which Python hands on as lone surrogates) are refused in one line, or, in the
audit log, which must record what was asked, written as an escape."""

from __future__ import annotations

from pathlib import Path

import pytest

from firstresponse.cli import main
from firstresponse.security import audit, users
from firstresponse.store import Store

NOT_UTF8 = b"Mar\xffsh".decode("utf-8", "surrogateescape")  # as argv holds it


@pytest.fixture(autouse=True)
def _settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIRSTRESPONSE_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("FIRSTRESPONSE_PIN", "1234")
    for name in ("COLLAR", "STORE_KEY", "HUB_URL", "DEVICE_TOKEN", "DB_PATH"):
        monkeypatch.delenv(f"FIRSTRESPONSE_{name}", raising=False)


def test_an_argument_that_is_not_utf8_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "t.db")
    assert main(["--db", db, "lookup", NOT_UTF8, "--as", "CH1001"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "firstresponse: 'Mar\\udcffsh' is not valid UTF-8 text: type it again"


def test_a_team_that_is_not_text_is_refused(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.db")
    try:
        with pytest.raises(users.UserError, match="lone surrogate"), store.session() as db:
            users.create_user(db, "PC2009", "Ann Lee", "responder", NOT_UTF8, "1234")
    finally:
        store.close()


def test_the_audit_log_records_such_text_escaped_and_stays_whole(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.db")
    try:
        with store.session() as db:
            event = audit.record(db, "CH1001", "lookup", "person", "", query=NOT_UTF8)
        with store.session() as db:
            assert event.detail == {"query": "Mar\\udcffsh"}
            assert audit.verify(db) == []
    finally:
        store.close()
