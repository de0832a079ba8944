"""Attestation: each record is signed at submission by the officer who made it.

At an online sign-in the terminal makes a fresh Ed25519 key pair for the officer, sends
the public half with the sign-in and keeps the private half in the store wrapped
(AES-GCM) by a key derived from the officer's PIN with Argon2id (`wrap`/`unwrap`), so a
colleague signed in on the same laptop cannot use it. While the officer is signed in
(online or offline) the unwrapped key is held in memory by an `Attestor`; every outbox
row written in that time gets the officer's collar and a signature over `message()`,
stored with the row. Whoever's session later pushes the row, the hub checks the
signature against the key it registered for that officer on that device and files the
record under that officer (hub.attest).

The signature covers when the record was signed (`signing_time`, its outbox row's
`created_at`), so once the hub revokes the key (the officer deactivated, locked or given
a new PIN) it can still file what was signed before and refuse what was signed after.
Rows signed before the time was signed (message v1) still verify, with no time.
"""

from __future__ import annotations

import base64
import os
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from firstresponse.records import OutboxItem

WRAP_VERSION = "v1"


def message(
    key_id: str,
    author: str,
    kind: str,
    record_id: str,
    version: int,
    digest: str,
    signed_at: str = "",
) -> bytes:
    """The bytes an author signs for one record version (v2: with when it was signed)."""
    fields = [key_id, author, kind, record_id, str(version), digest]
    if signed_at:
        return "\n".join(["firstresponse-attest-v2", *fields, signed_at]).encode()
    return "\n".join(["firstresponse-attest-v1", *fields]).encode()


def signing_time(moment: datetime) -> str:
    """When a record was signed, as signed and sent: UTC to the microsecond (a time
    without a zone, as SQLite hands one back, was written in UTC)."""
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_signing_time(text: str) -> datetime:
    """`signing_time` read back; ValueError if it is not one."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def new_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def public_text(key: Ed25519PrivateKey) -> str:
    return b64(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


def verify(public_key: str, signature: str, data: bytes) -> bool:
    """True when `signature` (base64) is `public_key`'s (base64, raw) over `data`."""
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key, validate=True))
        key.verify(base64.b64decode(signature, validate=True), data)
    except (InvalidSignature, ValueError):
        return False
    return True


def _kek(pin: str, salt: bytes) -> bytes:
    """A 256-bit key from the PIN (Argon2id at the cost the PIN hash uses)."""
    return hash_secret_raw(
        pin.encode(),
        salt,
        time_cost=2,
        memory_cost=19_456,
        parallelism=1,
        hash_len=32,
        type=Type.ID,
    )


def wrap(key: Ed25519PrivateKey, pin: str) -> str:
    """The private key encrypted under a key derived from `pin`, as text."""
    from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    salt, nonce = os.urandom(16), os.urandom(12)
    sealed = AESGCM(_kek(pin, salt)).encrypt(nonce, raw, WRAP_VERSION.encode())
    return ".".join((WRAP_VERSION, b64(salt), b64(nonce), b64(sealed)))


def unwrap(text: str, pin: str) -> Ed25519PrivateKey | None:
    """The private key, or None when the PIN is not the one it was wrapped with."""
    try:
        version, salt, nonce, sealed = text.split(".")
        if version != WRAP_VERSION:
            return None
        raw = AESGCM(_kek(pin, base64.b64decode(salt))).decrypt(
            base64.b64decode(nonce), base64.b64decode(sealed), version.encode()
        )
    except (ValueError, InvalidTag):
        return None
    return Ed25519PrivateKey.from_private_bytes(raw)


@dataclass
class Attestor:
    """The signed-in officer: their collar and, once unwrapped, their signing key."""

    collar: str
    key_id: str = ""
    key: Ed25519PrivateKey | None = None

    def attest(self, item: OutboxItem) -> None:
        """Name the author on a new outbox row and sign it when the key is held."""
        item.author = self.collar
        if self.key is None or not self.key_id:
            return
        signed_at = signing_time(item.created_at)
        data = message(
            self.key_id,
            self.collar,
            item.kind,
            item.record_id,
            item.version,
            item.content_hash,
            signed_at,
        )
        item.key_id = self.key_id
        item.signature = b64(self.key.sign(data))


_ATTESTORS: weakref.WeakKeyDictionary[Engine, Attestor] = weakref.WeakKeyDictionary()


def attest_as(engine: Engine, attestor: Attestor | None) -> None:
    """From now on, outbox rows written through `engine` are made by `attestor` (None: nobody)."""
    if attestor is None:
        _ATTESTORS.pop(engine, None)
    else:
        _ATTESTORS[engine] = attestor


def current(engine: Engine) -> Attestor | None:
    return _ATTESTORS.get(engine)


@contextmanager
def acting_as(db: Session, collar: str) -> Iterator[None]:
    """Outbox rows `db` writes in the block name `collar` as their author (unsigned).

    For seeders that make several officers' records in one store (the demo); a terminal
    attests its signed-in officer for the whole session instead (`attest_as`).
    """
    engine = db.get_bind()
    assert isinstance(engine, Engine)
    before = current(engine)
    db.flush()
    attest_as(engine, Attestor(collar))
    try:
        yield
        db.flush()
    finally:
        attest_as(engine, before)


@event.listens_for(Session, "before_flush")
def _attest_new_rows(session: Session, _context: Any, _instances: Any) -> None:
    bind = session.get_bind()
    attestor = _ATTESTORS.get(bind) if isinstance(bind, Engine) else None
    if attestor is None:
        return
    for obj in session.new:
        if isinstance(obj, OutboxItem) and not obj.author:
            attestor.attest(obj)
