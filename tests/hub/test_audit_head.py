"""The hub records each terminal's audit chain head as entries sync; verify compares with it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from firstresponse.cli import main
from firstresponse.hub.audit_head import terminal_head
from firstresponse.hub.db import transaction
from firstresponse.security import audit, users
from firstresponse.store import Store, outbox
from firstresponse.sync.protocol import AuditHead
from firstresponse.sync.push import push_outbox
from tests.hub.support import PIN, Hub


def test_truncating_synced_entries_is_reported_against_the_hub(
    hub: Hub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "terminal.db"
    store = Store(path)
    with store.session() as db:
        users.create_user(db, "AD4001", "Test AD4001", "admin", "", PIN)
        for n in range(4):  # audit events queued for the hub, as access events are
            event = audit.record(db, "PC2001", "restricted.view", "incident", f"i-{n}")
            outbox.enqueue_record(db, event)
        synced = audit.head_of(db)
    token = hub.enrol("terminal-7")
    with hub.client(token) as client:
        assert push_outbox(store, client).accepted == 4
        assert client.audit_head() == AuditHead(
            device="terminal-7", entries=synced.entries, hash=synced.hash
        )
    with transaction(hub.engine) as db:
        assert terminal_head(db, "terminal-7") == synced
        assert terminal_head(db, "terminal-8").entries == 0
    with store.engine.begin() as conn:  # the newest two entries, and the head beside the store
        conn.execute(text("DELETE FROM auditevent WHERE seq > :n"), {"n": synced.entries - 2})
    store.close()
    audit.head_path(path).unlink()

    monkeypatch.setenv("FIRSTRESPONSE_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("FIRSTRESPONSE_HUB_URL", hub.url)
    monkeypatch.setenv("FIRSTRESPONSE_DEVICE_TOKEN", token)
    monkeypatch.delenv("FIRSTRESPONSE_STORE_KEY", raising=False)
    args = ["--db", str(path), "audit", "verify", "--json", "--as", "AD4001", "--pin", PIN]
    assert main(args) == 1
    report = json.loads(capsys.readouterr().out)
    [gap] = report["breaks"]  # two deleted; the sign-in of verify itself added one
    assert gap["reason"] == (
        f"the chain ends at entry {synced.entries - 1} but the head kept on the hub records"
        f" {synced.entries} entries: entries were deleted from the end"
    )
    assert any("no head is kept beside the store" in note for note in report["notes"])
