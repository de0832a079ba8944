"""Who is calling: an enrolled, unrevoked device and a signed-in officer, on every request.

Device tokens are random and kept only as SHA-256 hashes, so checking one is a single
indexed query: revoking a device takes effect on its very next request. PINs are
Argon2-hashed (slow on purpose); a successful verification is remembered for a few
minutes keyed by the user's *current* PIN hash and a keyed digest of the PIN, and the
user row (active, locked, role) is re-read every time, so a cached PIN never outlives
a PIN change, a lock or a deactivation. Wrong PINs count towards a lock.

Argon2 is memory-hard and takes a core for tens of milliseconds, so at most one
verification per core runs at a time: a shift's worth of terminals signing in at once
queue for their turn (each request waits, none is dropped) instead of thrashing the
hub's cores and memory. The hub waits for them on its event loop, not in a worker
thread, so requests that need no verification (a PIN verified minutes ago) go on.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import secrets
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from anyio import to_thread
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from firstresponse.hub.db import reader, transaction
from firstresponse.hub.models import HubDevice
from firstresponse.records import User
from firstresponse.security.pins import hash_pin, needs_rehash, verify_pin

MAX_FAILED_PINS = 5
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
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class PinCache:
    """Recently verified (collar, PIN hash, PIN digest) triples; a cache, never authority."""

    def __init__(self, ttl: float = 300.0, size: int = 4096) -> None:
        self.ttl = ttl
        self.size = size
        self._key = secrets.token_bytes(32)
        self._seen: OrderedDict[tuple[str, str, str], float] = OrderedDict()
        self._lock = threading.Lock()

    def _entry(self, user: User, pin: str) -> tuple[str, str, str]:
        digest = hmac.new(self._key, pin.encode("utf-8"), hashlib.sha256).hexdigest()
        return (user.collar, user.pin_hash, digest)

    def hit(self, user: User, pin: str) -> bool:
        entry = self._entry(user, pin)
        with self._lock:
            expires = self._seen.get(entry)
            if expires is None or expires < time.monotonic():
                self._seen.pop(entry, None)
                return False
            return True

    def remember(self, user: User, pin: str) -> None:
        entry = self._entry(user, pin)
        with self._lock:
            self._seen[entry] = time.monotonic() + self.ttl
            self._seen.move_to_end(entry)
            while len(self._seen) > self.size:
                self._seen.popitem(last=False)


def find_device(db: Session, token: str) -> HubDevice | None:
    """The unrevoked device holding `token`, if any."""
    row = db.exec(select(HubDevice).where(HubDevice.token_hash == token_hash(token))).first()
    return row if row is not None and row.revoked_at is None else None


def _count_failure(engine: Engine, collar: str) -> None:
    with transaction(engine) as db:
        db.execute(
            update(User)
            .where(col(User.collar) == collar)
            .values(failed_attempts=col(User.failed_attempts) + 1)
        )
        db.execute(
            update(User)
            .where(col(User.collar) == collar, col(User.failed_attempts) >= MAX_FAILED_PINS)
            .values(locked=True)
        )


def identify(engine: Engine, token: str | None, collar: str | None, pin: str | None) -> Principal:
    """The enrolled device and the active, unlocked officer named; raises AuthError."""
    if not token:
        raise AuthError("this device is not enrolled: send its token in X-Device-Token")
    if not collar or not pin:
        raise AuthError("sign in: send X-Collar and X-Pin")
    with Session(reader(engine), expire_on_commit=False) as db:
        device = find_device(db, token)
        if device is None:
            raise AuthError("device token unknown or revoked")
        user = db.exec(select(User).where(User.collar == collar.strip())).first()
    if user is None or not user.active:
        raise AuthError("collar number or PIN not recognised")
    if user.locked:
        raise AuthError(f"{user.collar} is locked after too many wrong PINs: ask an admin")
    return Principal(device=device, user=user)


def settle(engine: Engine, cache: PinCache, user: User, pin: str, verified: bool) -> None:
    """Act on a PIN verification: count a failure (raising AuthError) or remember a success."""
    if not verified:
        _count_failure(engine, user.collar)
        raise AuthError("collar number or PIN not recognised")
    cache.remember(user, pin)
    if user.failed_attempts or needs_rehash(user.pin_hash):
        values: dict[str, Any] = {"failed_attempts": 0}
        if needs_rehash(user.pin_hash):  # made at an older cost: redo it at the current one
            values["pin_hash"] = hash_pin(pin)
        with transaction(engine) as db:
            db.execute(update(User).where(col(User.id) == user.id).values(**values))


def authenticate(
    engine: Engine, cache: PinCache, token: str | None, collar: str | None, pin: str | None
) -> Principal:
    """Check the device token, then the officer's collar and PIN. Raises AuthError."""
    who = identify(engine, token, collar, pin)
    assert pin is not None
    if not cache.hit(who.user, pin):
        verified = VERIFIERS.submit(verify_pin, who.user.pin_hash, pin).result()
        settle(engine, cache, who.user, pin, verified)
    return who


async def authenticate_async(
    engine: Engine, cache: PinCache, token: str | None, collar: str | None, pin: str | None
) -> Principal:
    """`authenticate` for an event loop: waits for database and Argon2 without a thread."""
    who = await to_thread.run_sync(identify, engine, token, collar, pin)
    assert pin is not None
    if not cache.hit(who.user, pin):
        loop = asyncio.get_running_loop()
        verified = await loop.run_in_executor(VERIFIERS, verify_pin, who.user.pin_hash, pin)
        await to_thread.run_sync(settle, engine, cache, who.user, pin, verified)
    return who
