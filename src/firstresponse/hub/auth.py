"""Who is calling: an enrolled, unrevoked device, and an officer's PIN at sign-in.

Device tokens are random and kept only as SHA-256 hashes, so checking one is a single
indexed query: revoking a device takes effect on its very next request. PINs are
Argon2-hashed (slow on purpose) and checked only when an officer signs in
(hub.attempts), never on a push or a pull: those carry a session token (hub.sessions).
Wrong PINs slow sign-in down (hub.attempts, security.throttle) and lock nobody out; an
admin's lock ends the officer's sessions and revokes their keys.

Argon2 is memory-hard and takes a core for tens of milliseconds, so at most one
verification per core runs at a time (`VERIFIERS`): a shift's worth of terminals signing
in at once queue for their turn (each request waits, none is dropped) instead of
thrashing the hub's cores and memory. The verification runs on those threads, never on
the event loop, so requests that need no verification go on meanwhile.

An officer who has signed in on a device before signs in there again with the key the
hub registered for them at that sign-in (sync.key_sign_in): the terminal proves the PIN
by unwrapping the key, the hub verifies a signature over its challenge
(`new_challenge`, `challenge_refusal`), not the PIN, and does so beside the Argon2
queue. `revoke_sessions` revokes those keys with the sessions, so after a new PIN, a
lock, a deactivation or a revoked device the next sign-in sends the PIN again.
"""

from __future__ import annotations

import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from firstresponse.hub.models import HubDevice, HubSession, HubSigningKey
from firstresponse.records import User, utcnow
from firstresponse.security.pins import hash_pin, needs_rehash
from firstresponse.sync.key_sign_in import CHALLENGE_SECONDS
from firstresponse.sync.protocol import token_digest

# Argon2 verifications run here, one per core at most; the rest wait their turn.
VERIFIERS = ThreadPoolExecutor(max(1, os.cpu_count() or 1), thread_name_prefix="argon2")


class AuthError(Exception):
    """The request may not proceed (HTTP 401)."""


@dataclass(frozen=True)
class Principal:
    """The device and officer behind one request."""

    device: HubDevice
    user: User


def new_token() -> str:
    """A fresh device token (shown once at enrolment)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """How the hub keeps a device or session token (sync.protocol.token_digest)."""
    return token_digest(token)


def find_device(db: Session, token: str) -> HubDevice | None:
    """The unrevoked device holding `token`, if any."""
    row = db.exec(select(HubDevice).where(HubDevice.token_hash == token_hash(token))).first()
    return row if row is not None and row.revoked_at is None else None


def revoke_sessions(
    db: Session, *, user_id: str | None = None, device_id: str | None = None, reason: str
) -> int:
    """End every live session, and revoke every signing key, of an officer (on every
    device: deactivated, locked or given a new PIN) or of a device (revoked), at one
    moment, in the caller's transaction. Records signed before that moment are still
    filed when they arrive; those signed after are refused (hub.attest)."""
    now = utcnow()
    query = update(HubSession).where(col(HubSession.revoked_at).is_(None))
    keys = update(HubSigningKey).where(col(HubSigningKey.revoked_at).is_(None))
    if user_id is not None:
        query = query.where(col(HubSession.user_id) == user_id)
        keys = keys.where(col(HubSigningKey.user_id) == user_id)
    if device_id is not None:
        query = query.where(col(HubSession.device_id) == device_id)
        keys = keys.where(col(HubSigningKey.device_id) == device_id)
    result = db.execute(query.values(revoked_at=now, revoked_reason=reason))
    db.execute(keys.values(revoked_at=now))
    return int(getattr(result, "rowcount", 0) or 0)


def settle(db: Session, user: User, pin: str) -> User:
    """The officer as stored after a right PIN, in the caller's transaction: the terminal
    era's wrong-PIN count cleared, and a PIN hash made at an older cost redone at today's."""
    if user.failed_attempts or needs_rehash(user.pin_hash):
        values: dict[str, Any] = {"failed_attempts": 0}
        if needs_rehash(user.pin_hash):
            values["pin_hash"] = hash_pin(pin)
        db.execute(update(User).where(col(User.id) == user.id).values(**values))
        user = db.get(User, user.id, populate_existing=True) or user
    return user


CHALLENGE_SKEW = timedelta(seconds=5)  # hub hosts' clocks may differ by this much


def new_challenge(now: datetime | None = None) -> str:
    """A key sign-in's challenge: the hub's time now and a nonce (sync.key_sign_in)."""
    return f"{(now or utcnow()).isoformat()}~{secrets.token_urlsafe(12)}"


def challenge_refusal(challenge: str, newest_session: datetime | None, now: datetime) -> str:
    """Why `challenge` may not sign an officer in now ("" when it may): too old, from the
    future, or issued before their newest session on the device (so already used)."""
    try:
        issued = datetime.fromisoformat(challenge.split("~", 1)[0])
    except ValueError:
        return "the sign-in challenge is not one this hub issued: ask for another"
    if issued.tzinfo is None:
        return "the sign-in challenge is not one this hub issued: ask for another"
    if issued > now + CHALLENGE_SKEW:
        return "the sign-in challenge is from the future: ask for another"
    if now - issued > timedelta(seconds=CHALLENGE_SECONDS):
        return "the sign-in challenge has expired: ask for another"
    if newest_session is not None and issued <= newest_session:
        return "the sign-in challenge was already used: ask for another"
    return ""
