from __future__ import annotations

from sqlmodel import select

from firstresponse.records import AuditEvent
from firstresponse.security import audit
from firstresponse.security.pins import hash_pin, verify_pin
from firstresponse.store import Store


def _three(store: Store) -> None:
    with store.session() as db:
        audit.record(db, "CH1001", "lookup", query="jon smith")
        audit.record(db, "CH1001", "view", "person", "p1")
        audit.record(db, "SG3001", "export", format="csv")


def test_intact_chain_verifies(store: Store) -> None:
    _three(store)
    with store.session() as db:
        assert audit.verify(db) == []


def test_altered_entry_is_detected(store: Store) -> None:
    _three(store)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE auditevent SET actor='XX' WHERE seq=2")
    with store.session() as db:
        assert [(b.seq, "altered" in b.reason) for b in audit.verify(db)] == [(2, True)]


def test_deleted_entry_is_detected(store: Store) -> None:
    _three(store)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM auditevent WHERE seq=2")
    with store.session() as db:
        reasons = [b.reason for b in audit.verify(db)]
        assert any("missing" in r for r in reasons)
        assert len(db.exec(select(AuditEvent)).all()) == 2


def test_pins_hash_and_verify() -> None:
    h = hash_pin("4821")
    assert h != "4821"
    assert verify_pin(h, "4821")
    assert not verify_pin(h, "4822")
    assert not verify_pin("", "4821")
    assert not verify_pin("garbage", "4821")
