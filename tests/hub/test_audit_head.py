"""The hub keeps each terminal's audit chain head, sent with every sync; verify compares
with it, and with the hub's last answer when the hub cannot be asked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import select

from firstresponse.cli import main
from firstresponse.hub.audit_head import terminal_head
from firstresponse.hub.db import transaction
from firstresponse.records import AuditEvent
from firstresponse.security import audit, users
from firstresponse.store import Store, outbox
from firstresponse.sync.protocol import AuditHead, ChainHead
from firstresponse.sync.push import hub_head, push_outbox
from tests.hub.support import PIN, Hub


def terminal_store(path: Path) -> Store:
    """A terminal's store with its admin (who runs `audit verify`)."""
    store = Store(path)
    with store.session() as db:
        users.create_user(db, "AD4001", "Test AD4001", "admin", "", PIN)
    return store


def verify_against(
    hub: Hub, path: Path, token: str, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> tuple[list[str], list[str]]:
    """`audit verify` on the terminal enrolled as `token`: asserts it exits 1, returns the
    breaks' reasons and the report's notes."""
    monkeypatch.setenv("FIRSTRESPONSE_CONFIG_DIR", str(path.parent / "cfg"))
    monkeypatch.setenv("FIRSTRESPONSE_HUB_URL", hub.url)
    monkeypatch.setenv("FIRSTRESPONSE_DEVICE_TOKEN", token)
    monkeypatch.delenv("FIRSTRESPONSE_STORE_KEY", raising=False)
    args = ["--db", str(path), "audit", "verify", "--json", "--as", "AD4001", "--pin", PIN]
    assert main(args) == 1
    report = json.loads(capsys.readouterr().out)
    return [b["reason"] for b in report["breaks"]], report["notes"]


def test_truncating_synced_entries_is_reported_against_the_hub(
    hub: Hub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "terminal.db"
    store = terminal_store(path)
    with store.session() as db:
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

    reasons, _ = verify_against(hub, path, token, monkeypatch, capsys)  # its sign-in adds one
    assert (
        f"the chain ends at entry {synced.entries - 1} but the head kept on the hub records"
        f" {synced.entries} entries: entries were deleted from the end"
    ) in reasons
    assert any("terminal.db.audit-head) is missing" in reason for reason in reasons)


def test_every_sync_takes_the_head_to_the_hub_and_verify_checks_it_even_offline(
    hub: Hub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ordinary audit entries never sync as records; the head goes anyway, each sync."""
    path = tmp_path / "terminal.db"
    store = terminal_store(path)
    with store.session() as db:
        for n in range(5):
            audit.record(db, "AD4001", "lookup", "person", f"p-{n}")
        head = audit.head_of(db)
    token = hub.enrol("terminal-9")
    with hub.client(token) as client:
        assert push_outbox(store, client).sent == 0  # nothing queued, the head still goes
        with transaction(hub.engine) as db:
            assert terminal_head(db, "terminal-9") == head
        with store.session() as db:
            assert hub_head(db) == head  # the hub's answer, kept
            audit.record(db, "AD4001", "lookup", "person", "p-9")
            newer = audit.head_of(db)
        push_outbox(store, client)
        with transaction(hub.engine) as db:
            assert terminal_head(db, "terminal-9") == newer
    with store.engine.begin() as conn:  # the newest two entries, and the head file
        conn.execute(text("DELETE FROM auditevent WHERE seq > :n"), {"n": newer.entries - 2})
    store.close()
    audit.head_path(path).unlink()
    hub.stop()  # the hub cannot be asked: its last answer still shows the deletion

    reasons, notes = verify_against(hub, path, token, monkeypatch, capsys)
    assert any("in the hub's last answer to a sync records 7 entries" in r for r in reasons)
    assert any("is missing" in r for r in reasons)
    assert any("could not be read" in note for note in notes)
    hub.start()


def test_a_terminal_head_going_backwards_is_kept_as_evidence_on_the_hub(hub: Hub) -> None:
    token = hub.enrol("terminal-10")
    ahead = ChainHead(entries=9, hash="a" * 64)
    with hub.client(token) as client:
        assert client.push_batch([], ahead).audit_head == ahead
        behind = ChainHead(entries=7, hash="b" * 64)
        for _ in range(2):  # the hub keeps its head and answers with it
            assert client.push_batch([], behind).audit_head == ahead
    with transaction(hub.engine) as db:
        noted = db.exec(
            select(AuditEvent).where(AuditEvent.action == "terminal.audit_head_mismatch")
        ).all()
    assert len(noted) == 1 and noted[0].detail["reported_entries"] == 7  # once, not per sync
