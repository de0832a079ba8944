"""The audit chain's head kept outside the store: deleting the newest entries is reported."""

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
    for name in ("COLLAR", "PIN", "STORE_KEY", "HUB_URL", "DEVICE_TOKEN"):
        monkeypatch.delenv(f"FIRSTRESPONSE_{name}", raising=False)
    path = tmp_path / "t.db"
    store = Store(path)
    with store.session() as db:
        users.create_user(db, "AD4001", "Demo Admin", "admin", "", "1234")
        for n in range(5):
            audit.record(db, "AD4001", "lookup", "person", f"p{n}")
    store.close()
    return path


def delete_newest(path: Path, count: int) -> None:
    store = Store(path)
    with store.engine.begin() as conn:  # behind the ORM's back, as someone with the file would
        conn.execute(
            text("DELETE FROM auditevent WHERE seq > (SELECT max(seq) FROM auditevent) - :n"),
            {"n": count},
        )
    store.close()


def verify(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:
    code = main(["--db", str(path), "audit", "verify", "--json", *ADMIN])
    return code, json.loads(capsys.readouterr().out)


def test_each_commit_moves_the_head_kept_beside_the_store(db_path: Path) -> None:
    head = audit.read_head(audit.head_path(db_path))
    store = Store(db_path)
    with store.session() as db:
        assert head == audit.head_of(db) and head is not None and head.entries == 6
        audit.record(db, "AD4001", "lookup", "person", "p9")
    with store.session() as db:
        assert audit.read_head(audit.head_path(db_path)) == audit.head_of(db)
    store.close()


def test_deleting_the_newest_entries_is_reported(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    delete_newest(db_path, 2)
    code, report = verify(db_path, capsys)
    assert code == 1 and not report["ok"]
    [gap] = report["breaks"]  # the sign-in of verify itself already added entry 5
    assert gap == {
        "seq": 6,
        "reason": "the chain ends at entry 5 but the head kept in t.db.audit-head records"
        " 6 entries: entries were deleted from the end",
    }
    assert main(["--db", str(db_path), "audit", "verify", *ADMIN]) == 1
    assert "the end was deleted or replaced" in capsys.readouterr().out


def test_the_head_does_not_move_past_a_truncation_until_seen(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """New entries after the deletion (each verify adds two) never hide it."""
    delete_newest(db_path, 2)
    for _ in range(3):
        code, report = verify(db_path, capsys)
        assert code == 1
        assert any("head kept in t.db.audit-head" in b["reason"] for b in report["breaks"])
    assert audit.read_head(audit.head_path(db_path)) == audit.Head(6, report_hash(db_path))


def report_hash(path: Path) -> str:
    return json.loads(audit.head_path(path).read_text())["hash"]


def test_a_missing_head_is_a_break_and_a_rolled_back_append_does_not_move_it(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    audit.head_path(db_path).unlink()
    code, report = verify(db_path, capsys)
    assert code == 1 and not report["ok"]
    assert any("t.db.audit-head) is missing" in b["reason"] for b in report["breaks"])
    store = Store(db_path)
    kept = audit.read_head(audit.head_path(db_path))  # the verify's own entries wrote it
    with pytest.raises(RuntimeError), store.session() as db:
        audit.record(db, "AD4001", "lookup", "person", "px")
        raise RuntimeError("undone")
    assert audit.read_head(audit.head_path(db_path)) == kept
    store.close()


def test_deleting_the_newest_entries_and_the_head_file_is_never_intact(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The probe: the last two entries and the head file go; verify exits non-zero, and
    so does every verify after it, though the next command writes a head file again."""
    delete_newest(db_path, 2)
    audit.head_path(db_path).unlink()
    assert main(["--db", str(db_path), "audit", "verify", *ADMIN]) == 1
    out = capsys.readouterr().out
    assert "BROKEN" in out and "intact" not in out and "is missing" in out
    remade = audit.read_head(audit.head_path(db_path))
    assert remade is not None and remade.remade_after == 4  # made again, and marked so
    for _ in range(2):
        code, report = verify(db_path, capsys)
        assert code == 1
        [mark] = [b for b in report["breaks"] if "was made again at entry 4" in b["reason"]]
        assert "cannot be ruled out" in mark["reason"]
