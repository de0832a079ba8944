"""The terminal's store encrypted at rest: no plaintext on disk, a wrong key fails clearly."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from firstresponse.records import Person
from firstresponse.store import Store
from firstresponse.store.encryption import StoreKeyError

NAME = "Quillanora Brackenthwaite"


def _write_person(path: Path, key: str) -> None:
    store = Store(path, key=key)
    try:
        with store.session() as db:
            forename, surname = NAME.split()
            db.add(Person(forename=forename, surname=surname, postcode="ZZ9 9ZZ"))
    finally:
        store.close()


def _raw_bytes(path: Path) -> bytes:
    """The store file and any write-ahead log or shared-memory file beside it."""
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_raw_file_holds_no_plaintext_name_and_reopens_with_the_key(tmp_path: Path) -> None:
    path = tmp_path / "terminal.db"
    _write_person(path, "device-key-7f3a")
    raw = _raw_bytes(path)
    assert len(raw) > 4096
    for needle in (b"Quillanora", b"Brackenthwaite", b"ZZ9 9ZZ", b"SQLite format 3", b"person"):
        assert needle not in raw
    store = Store(path, key="device-key-7f3a")
    try:
        with store.session() as db:
            person = db.exec(select(Person)).one()
        assert person.full_name == NAME
    finally:
        store.close()


def test_the_plain_store_does_hold_the_name(tmp_path: Path) -> None:
    """The control: the same write without a key leaves the name readable on disk."""
    path = tmp_path / "plain.db"
    _write_person(path, "")
    assert b"Brackenthwaite" in _raw_bytes(path)


def test_wrong_key_fails_with_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "terminal.db"
    _write_person(path, "right-key")
    with pytest.raises(StoreKeyError, match="wrong store key"):
        Store(path, key="wrong-key")


def test_a_plain_store_cannot_be_opened_with_a_key(tmp_path: Path) -> None:
    path = tmp_path / "plain.db"
    _write_person(path, "")
    with pytest.raises(StoreKeyError, match="plain"):
        Store(path, key="any-key")


def test_each_store_has_its_own_salt(tmp_path: Path) -> None:
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    _write_person(first, "same-key")
    _write_person(second, "same-key")
    assert first.read_bytes()[:16] != second.read_bytes()[:16]
