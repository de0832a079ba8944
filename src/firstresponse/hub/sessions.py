"""Sessions: collar and PIN exchanged once, on an enrolled device, for a session token.

A session token is random and kept on the hub only as its SHA-256, bound to the device
it was issued to. It lasts until the end of the shift and lapses after a spell without a
request: the hub's `SessionLimits`, from its settings (`session_shift_hours`,
`session_idle_minutes`; by default `SHIFT` and `IDLE`). It is refused from the next
request on once the officer signs out, their PIN changes (`pin_stamp`), they are locked
or deactivated, or the device is revoked: all of that is checked in the one indexed query
that identifies the caller, and the paths that change those things on the hub also mark
the sessions revoked (`hub.auth.revoke_sessions`), so unlocking an officer does not bring an old
session back.

Signing in (the PIN checked, wrong ones counted and slowing the next attempts down) is
hub.attempts; a right PIN ends here, in `add_session`.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from firstresponse.hub.auth import AuthError, Principal, token_hash
from firstresponse.hub.db import transaction
from firstresponse.hub.dialect import reader
from firstresponse.hub.models import HubDevice, HubSession, HubSigningKey
from firstresponse.records import User, utcnow
from firstresponse.sync.protocol import UserState

if TYPE_CHECKING:
    from firstresponse.config import Settings

SHIFT = timedelta(hours=12)
IDLE = timedelta(hours=2)
LONGEST_SHIFT = timedelta(hours=24)
TOUCH_EVERY = timedelta(minutes=5)  # last_seen_at is written at most this often (touch_every)


@dataclass(frozen=True)
class SessionLimits:
    """How long a session lasts (`shift`) and how long it survives without a request (`idle`)."""

    shift: timedelta = SHIFT
    idle: timedelta = IDLE

    def __post_init__(self) -> None:
        if not timedelta(minutes=1) <= self.shift <= LONGEST_SHIFT:
            raise ValueError("session_shift_hours must be between 1 and 24")
        if not timedelta(minutes=1) <= self.idle <= self.shift:
            raise ValueError(
                "session_idle_minutes must be at least 1 and no longer than the shift "
                f"({int(self.shift.total_seconds() // 60)} minutes)"
            )

    @classmethod
    def from_settings(cls, settings: Settings) -> SessionLimits:
        """The hub's limits from its settings; ValueError says which one is wrong."""
        return cls(
            shift=timedelta(hours=settings.session_shift_hours),
            idle=timedelta(minutes=settings.session_idle_minutes),
        )

    def describe(self) -> str:
        hours = self.shift.total_seconds() / 3600
        return f"sessions last {hours:g} h, {int(self.idle.total_seconds() // 60)} min idle"


DEFAULT_LIMITS = SessionLimits()


def pin_stamp(user: User) -> str:
    """Changes whenever the officer's PIN hash changes; reveals nothing about the PIN."""
    return hashlib.sha256(f"pin-stamp:{user.pin_hash}".encode()).hexdigest()[:24]


def user_state(user: User) -> UserState:
    return UserState(
        collar=user.collar,
        name=user.name,
        role=user.role,
        team=user.team,
        active=user.active,
        locked=user.locked,
        pin_stamp=pin_stamp(user),
    )


def aware(moment: datetime) -> datetime:
    """SQLite hands datetimes back without a zone; they were written in UTC."""
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def add_session(
    db: Session,
    device: HubDevice,
    user: User,
    public_key: str,
    limits: SessionLimits = DEFAULT_LIMITS,
    now: datetime | None = None,
) -> tuple[str, HubSession, str]:
    """A new session (and, with `public_key`, a signing key) for a verified officer, in the
    caller's transaction. Returns the token (shown once), the session row and the key id
    ("" without a key)."""
    token = secrets.token_urlsafe(32)
    now = now or utcnow()
    session = HubSession(
        token_hash=token_hash(token),
        device_id=device.id,
        user_id=user.id,
        collar=user.collar,
        pin_stamp=pin_stamp(user),
        created_at=now,
        last_seen_at=now,
        expires_at=now + limits.shift,
    )
    db.add(session)
    key_id = ""
    if public_key:
        key = HubSigningKey(
            user_id=user.id, collar=user.collar, device_id=device.id, public_key=public_key
        )
        db.add(key)
        key_id = key.id
    return token, session, key_id


def open_session(
    engine: Engine,
    device: HubDevice,
    user: User,
    public_key: str,
    limits: SessionLimits = DEFAULT_LIMITS,
) -> tuple[str, HubSession, str]:
    """`add_session` in a transaction of its own (an officer verified elsewhere)."""
    with transaction(engine) as db:
        return add_session(db, device, user, public_key, limits)


@dataclass(frozen=True)
class _Found:
    session: HubSession
    device: HubDevice
    user: User


def _refusal(found: _Found | None, now: datetime, limits: SessionLimits) -> str:
    """Why this session may not be used, or "" when it may."""
    if found is None:
        return "session unknown: sign in again"
    session, device, user = found.session, found.device, found.user
    if device.revoked_at is not None:
        return "device token unknown or revoked"
    if session.revoked_at is not None:
        return f"session ended ({session.revoked_reason or 'signed out'}): sign in again"
    if now >= aware(session.expires_at):
        return "session ended at the end of the shift: sign in again"
    if now - aware(session.last_seen_at) >= limits.idle:
        return "session lapsed after no activity: sign in again"
    if not user.active:
        return f"{user.collar} is deactivated"
    if user.locked:
        return f"{user.collar} is locked: ask an admin"
    if session.pin_stamp != pin_stamp(user):
        return "your PIN was changed: sign in again with the new PIN"
    return ""


def touch_every(limits: SessionLimits) -> timedelta:
    """How stale `last_seen_at` may be before a request writes it: a tenth of the idle
    limit, at most `TOUCH_EVERY`. A session may therefore lapse up to that much before
    its idle limit is quite up; in exchange, thousands of terminals waiting on the hub
    write their sessions a few times an hour, not on every request."""
    return min(TOUCH_EVERY, limits.idle / 10)


def authenticate_session(
    engine: Engine,
    device_token: str | None,
    session_token: str | None,
    limits: SessionLimits = DEFAULT_LIMITS,
) -> Principal:
    """The device and officer behind a session token; raises AuthError (401).

    One indexed query reads the session, its device and its officer together, so a
    revoked device, an ended session, a new PIN or a lock is refused from the very next
    request, in every hub process (nothing is cached)."""
    if not device_token:
        raise AuthError("this device is not enrolled: send its token in X-Device-Token")
    if not session_token:
        raise AuthError("sign in first: POST /v1/sessions, then send X-Session")
    now = utcnow()
    with Session(reader(engine), expire_on_commit=False) as db:
        row = db.exec(
            select(HubDevice, HubSession, User)
            .select_from(HubDevice)
            .join(HubSession, col(HubSession.token_hash) == token_hash(session_token), isouter=True)
            .join(User, col(User.id) == col(HubSession.user_id), isouter=True)
            .where(col(HubDevice.token_hash) == token_hash(device_token))
        ).first()
    if row is None or row[0].revoked_at is not None:
        raise AuthError("device token unknown or revoked")
    device, session, user = row
    found = None
    # bound to the device it was issued to
    if session is not None and user is not None and session.device_id == device.id:
        found = _Found(session, device, user)
    reason = _refusal(found, now, limits)
    if reason:
        raise AuthError(reason)
    assert found is not None
    if now - aware(found.session.last_seen_at) >= touch_every(limits):
        with transaction(engine) as db:
            db.execute(
                update(HubSession)
                .where(col(HubSession.id) == found.session.id)
                .values(last_seen_at=now)
            )
    return Principal(device=device, user=found.user)


def end_session(engine: Engine, session_token: str, reason: str = "signed out") -> None:
    """Sign out: the token is refused from now on."""
    with transaction(engine) as db:
        db.execute(
            update(HubSession)
            .where(
                col(HubSession.token_hash) == token_hash(session_token),
                col(HubSession.revoked_at).is_(None),
            )
            .values(revoked_at=utcnow(), revoked_reason=reason)
        )


def end_device_sessions(engine: Engine, device: HubDevice, digests: list[str]) -> int:
    """Sign-outs a terminal sends once the hub answers again: each session named by its
    token's digest (as kept here) ends, if it is this device's and still open."""
    with transaction(engine) as db:
        result = db.execute(
            update(HubSession)
            .where(
                col(HubSession.token_hash).in_(digests),
                col(HubSession.device_id) == device.id,
                col(HubSession.revoked_at).is_(None),
            )
            .values(revoked_at=utcnow(), revoked_reason="signed out while the hub was away")
        )
    return int(getattr(result, "rowcount", 0) or 0)


def device_users(db: Session, device: HubDevice) -> list[UserState]:
    """Every officer who has signed in on `device`, as the hub holds them now."""
    ids = select(HubSession.user_id).where(col(HubSession.device_id) == device.id).distinct()
    users = db.exec(select(User).where(col(User.id).in_(ids)).order_by(col(User.collar)))
    return [user_state(user) for user in users]
