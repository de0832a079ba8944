"""`firstresponse outbox [--json]`: waiting (urgent first) and quarantined with the reason."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from firstresponse.cli import main
from firstresponse.records import Decision, Person
from firstresponse.store import Store, outbox


def test_outbox_lists_urgent_first_and_quarantined_with_reasons(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FIRSTRESPONSE_CONFIG_DIR", str(tmp_path / "cfg"))
    path = tmp_path / "t.db"
    store = Store(path)
    with store.session() as db:
        outbox.enqueue_record(db, Person(forename="Al", surname="Queue"))
        outbox.enqueue_record(
            db,
            Decision(kind="child_not_seen", reason="asleep upstairs, checked by neighbour"),
            priority=outbox.PRIORITY_CHILD,
        )
        refused = outbox.enqueue_record(db, Person(forename="Cy", surname="Refused"))
        db.flush()
        outbox.quarantine(db, refused, "rejected by the hub (422): surname: too long")
    store.close()
    assert main(["--db", str(path), "outbox", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [row["kind"] for row in shown["waiting"]] == ["decision", "person"]
    assert shown["quarantined"][0]["reason"].endswith("surname: too long")
    assert main(["--db", str(path), "outbox"]) == 0
    text = capsys.readouterr().out
    assert "2 waiting" in text and "1 quarantined" in text and "too long" in text


def test_sync_without_a_hub_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FIRSTRESPONSE_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("FIRSTRESPONSE_PIN", "1234")
    code = main(["--db", str(tmp_path / "t.db"), "sync", "--once", "--as", "PC2001"])
    assert code == 1
    assert "no hub configured" in capsys.readouterr().err


def test_sync_and_enrol_without_a_pin_say_so_plainly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FIRSTRESPONSE_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.delenv("FIRSTRESPONSE_PIN", raising=False)
    monkeypatch.setenv("FIRSTRESPONSE_HUB_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("FIRSTRESPONSE_DEVICE_TOKEN", "t")
    monkeypatch.setattr("sys.stdin", open(os.devnull))  # noqa: SIM115 - no terminal
    assert main(["--db", str(tmp_path / "t.db"), "sync", "--once", "--as", "PC2001"]) == 2
    assert "no PIN for PC2001" in capsys.readouterr().err
    hub_db = str(tmp_path / "hub.db")
    assert main(["hub", "--hub-db", hub_db, "--migrate-only"]) == 0
    capsys.readouterr()
    assert main(["devices", "enrol", "MDT-1", "--as", "AD4001", "--hub-db", hub_db]) == 2
    assert "no PIN for AD4001" in capsys.readouterr().err
