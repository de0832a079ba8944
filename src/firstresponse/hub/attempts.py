"""Sign-in attempts on the hub: one officer's checked one at a time, only wrong PINs counted.

Wrong PINs slow sign-in down (security.throttle), counted in the database so several hub
processes share the counts: per officer on each device, and per officer across every
device they have never signed in on (a guesser moving between devices). A device where
the officer has signed in before is held up only by wrong PINs given on it, so nobody
can keep an officer out of their own terminal from elsewhere, and no officer's wrong
PINs hold up another. While a wait lasts the PIN is not checked at all.

Attempts for one collar are checked one at a time, each seeing the outcome of those
before it: read the count, verify the PIN (Argon2), then record a wrong PIN or open the
session, before the next attempt for that collar reads the count. So guesses sent side
by side are each counted before the next is checked (sending many at once gains
nothing), and only wrong PINs are counted: a terminal's long-poll and push threads
signing in again at once, or `sync --once` beside the app, all get in. (Counting every
attempt as wrong first and making the right ones good afterwards, as before, held
right PINs sent side by side up as if they were guesses.)

The turn is taken twice: in the hub process, an asyncio lock per collar (waiting costs a
coroutine, not a thread or a database connection); on PostgreSQL, also an advisory lock
on the collar, held by the transaction that reads, verifies and records, for other hub
processes and hosts. A SQLite hub is one process, so the first suffices (SQLite's own
writer lock would make every officer wait for every other's Argon2). Different officers
never wait for one another's turn, only for a free Argon2 core (hub.auth.VERIFIERS): the
whole check runs on one, so sign-in holds at most one connection per core however many
officers queue at the start of a shift, and the event loop stays free.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import TypeVar
from weakref import WeakKeyDictionary

from anyio import to_thread
from sqlalchemy import delete, func, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from firstresponse.hub.auth import VERIFIERS, AuthError, challenge_refusal, settle
from firstresponse.hub.db import transaction
from firstresponse.hub.dialect import is_postgres, reader
from firstresponse.hub.models import HubDevice, HubSession, HubSignInAttempt, HubSigningKey
from firstresponse.hub.sessions import (
    DEFAULT_LIMITS,
    SessionLimits,
    add_session,
    aware,
    pin_stamp,
)
from firstresponse.records import User, utcnow
from firstresponse.security.pins import verify_pin
from firstresponse.security.throttle import Throttle
from firstresponse.sync import attest, key_sign_in

FORGET_AFTER = timedelta(days=1)  # wrong PINs older than this no longer count
SIGN_IN_LOCKS = 727004  # advisory-lock namespace for collars (two-key form)

T = TypeVar("T")


@dataclass(frozen=True)
class Granted:
    """A right PIN: the session token (shown once), its row, the key id ("" without a
    public key) and the officer as stored."""

    token: str
    session: HubSession
    key_id: str
    user: User


@dataclass(frozen=True)
class KeyRefused:
    """The key may not sign this officer in (unknown here, revoked, or the challenge
    stale): not a wrong PIN, not counted; the terminal signs in with the PIN instead."""

    reason: str


@dataclass(frozen=True)
class Refused:
    """No session: `checked` a wrong PIN (or unknown collar), else not checked during a
    wait; `throttle` is how things stand after it."""

    throttle: Throttle
    checked: bool


def _counted(db: Session, collar: str, device_id: str | None, now: datetime) -> Throttle:
    """Wrong PINs for `collar` since its last right one (on `device_id`, or anywhere)."""
    attempts = HubSignInAttempt
    same = [col(attempts.collar) == collar]
    if device_id is not None:
        same.append(col(attempts.device_id) == device_id)
    last_right = select(func.max(attempts.seq)).where(col(attempts.ok), *same).scalar_subquery()
    found = db.execute(
        select(func.count(), func.max(attempts.at)).where(
            *same,
            col(attempts.ok).is_(False),
            col(attempts.seq) > func.coalesce(last_right, 0),
            col(attempts.at) >= now - FORGET_AFTER,
        )
    ).one()
    return Throttle(int(found[0] or 0), aware(found[1]) if found[1] else None)


def throttle_for(db: Session, device: HubDevice, collar: str, now: datetime) -> Throttle:
    """How far wrong PINs hold up `collar` on `device` (see the module docstring)."""
    here = _counted(db, collar, device.id, now)
    known = db.execute(
        select(HubSession.id)
        .where(col(HubSession.collar) == collar, col(HubSession.device_id) == device.id)
        .limit(1)
    ).first()
    anywhere = Throttle() if known else _counted(db, collar, None, now)
    return here.worse(anywhere, now)


def current_throttle(engine: Engine, device: HubDevice, collar: str) -> Throttle:
    """`throttle_for` now, outside any turn (a wait already due needs no turn)."""
    with Session(reader(engine)) as db:
        return throttle_for(db, device, collar, utcnow())


async def attempt(
    engine: Engine,
    device: HubDevice,
    collar: str,
    pin: str,
    public_key: str = "",
    limits: SessionLimits = DEFAULT_LIMITS,
) -> Granted | Refused:
    """Check `collar` and `pin` on `device` in the collar's turn and record the outcome;
    raises AuthError for an officer an admin has locked (not a wrong PIN: not counted)."""
    held = await to_thread.run_sync(current_throttle, engine, device, collar)
    if held.wait(utcnow()):  # answered at once, without queueing for a turn
        return Refused(held, checked=False)
    return await in_turn(collar, partial(check, engine, device, collar, pin, public_key, limits))


@dataclass
class _Turn:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    waiting: int = 0


_TURNS: WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, _Turn]] = WeakKeyDictionary()
_RUNNING: set[asyncio.Task[object]] = set()


async def in_turn(collar: str, work: Callable[[], T], argon2: bool = True) -> T:
    """Run `work` on an Argon2 core (or, with `argon2` False, on the event loop's
    thread pool, not queued behind the Argon2 checks) once every earlier attempt for
    `collar` in this process has finished. The turn is kept until `work` ends even if
    the caller stops waiting (a dropped request), so no attempt overtakes one still
    being checked."""
    loop = asyncio.get_running_loop()
    turns = _TURNS.setdefault(loop, {})
    turn = turns.setdefault(collar, _Turn())
    turn.waiting += 1

    async def take_turn() -> T:
        try:
            async with turn.lock:
                return await loop.run_in_executor(VERIFIERS if argon2 else None, work)
        finally:
            turn.waiting -= 1
            if not turn.waiting and turns.get(collar) is turn:
                del turns[collar]

    task: asyncio.Task[T] = loop.create_task(take_turn())
    _RUNNING.add(task)
    task.add_done_callback(_RUNNING.discard)
    return await asyncio.shield(task)


@contextmanager
def _collar_held(engine: Engine, collar: str) -> Iterator[Session | None]:
    """On PostgreSQL, a transaction holding `collar` against every other hub process
    until it commits; on SQLite (one process, turns taken in `in_turn`), None."""
    if not is_postgres(engine):
        yield None
        return
    with transaction(engine) as db:
        db.execute(
            text("SELECT pg_advisory_xact_lock(:space, hashtext(:collar))"),
            {"space": SIGN_IN_LOCKS, "collar": collar},
        )
        yield db


def _step(
    engine: Engine, held: Session | None, read_only: bool = False
) -> AbstractContextManager[Session]:
    """The held transaction (PostgreSQL), or a short one of its own (SQLite)."""
    return nullcontext(held) if held is not None else transaction(engine, read_only=read_only)


def check(
    engine: Engine,
    device: HubDevice,
    collar: str,
    pin: str,
    public_key: str = "",
    limits: SessionLimits = DEFAULT_LIMITS,
) -> Granted | Refused:
    """Read the count, verify the PIN and record the outcome: one attempt's whole turn
    (blocking: run it on an Argon2 core, `in_turn`)."""
    with _collar_held(engine, collar) as held:
        with _step(engine, held, read_only=True) as db:
            now = utcnow()
            before = throttle_for(db, device, collar, now)
            if before.wait(now):
                return Refused(before, checked=False)
            user = db.exec(select(User).where(col(User.collar) == collar)).first()
        if user is not None and user.active and user.locked:
            raise AuthError(f"{user.collar} is locked: ask an admin")
        right = user is not None and user.active and verify_pin(user.pin_hash, pin)
        with _step(engine, held) as db:
            now = utcnow()
            if user is None or not right:
                db.execute(
                    delete(HubSignInAttempt).where(col(HubSignInAttempt.at) < now - FORGET_AFTER)
                )
                db.add(HubSignInAttempt(device_id=device.id, collar=collar, ok=False, at=now))
                db.flush()
                return Refused(throttle_for(db, device, collar, now), checked=True)
            user = settle(db, user, pin)
            db.add(HubSignInAttempt(device_id=device.id, collar=collar, ok=True, at=now))
            token, session, key_id = add_session(db, device, user, public_key, limits, now)
            return Granted(token, session, key_id, user)


async def attempt_with_key(
    engine: Engine,
    device: HubDevice,
    collar: str,
    sign_in: key_sign_in.KeySignIn,
    limits: SessionLimits = DEFAULT_LIMITS,
) -> Granted | Refused | KeyRefused:
    """A key sign-in (sync.key_sign_in), in the collar's turn like a PIN's; raises
    AuthError for an officer an admin has locked. The turn is short (no Argon2), so the
    count is read in it only, not also before it as for a PIN."""
    work = partial(check_key, engine, device, collar, sign_in, limits)
    return await in_turn(collar, work, argon2=False)


def _key_refusal(
    key: HubSigningKey | None, user: User | None, device: HubDevice, collar: str
) -> str:
    if key is None or key.collar != collar or key.device_id != device.id:
        return f"this device holds no key the hub knows for {collar}: sign in with the PIN"
    if key.revoked_at is not None or user is None or not user.active or user.id != key.user_id:
        return f"{collar}'s key on this device was revoked: sign in with the PIN"
    return ""


def _key_state(
    db: Session, device: HubDevice, collar: str, key_id: str
) -> tuple[User | None, HubSigningKey | None, str | None, datetime | None, str | None]:
    """The officer, the key named, the newest key registered for them on the device, and
    the time and PIN stamp of their newest session on it: in two reads."""
    newest_key = (
        select(HubSigningKey.id)
        .where(col(HubSigningKey.device_id) == device.id, col(HubSigningKey.collar) == collar)
        .order_by(col(HubSigningKey.created_at).desc())
        .limit(1)
        .scalar_subquery()
    )
    found = db.execute(
        select(User, HubSigningKey, newest_key)
        .select_from(User)
        .join(HubSigningKey, col(HubSigningKey.id) == key_id, isouter=True)
        .where(col(User.collar) == collar)
    ).first()
    session = db.execute(
        select(HubSession.created_at, HubSession.pin_stamp)
        .where(col(HubSession.device_id) == device.id, col(HubSession.collar) == collar)
        .order_by(col(HubSession.created_at).desc())
        .limit(1)
    ).first()
    user, key, latest = (found[0], found[1], found[2]) if found else (None, None, None)
    if session is None:
        return user, key, latest, None, None
    return user, key, latest, aware(session[0]), str(session[1])


def check_key(
    engine: Engine,
    device: HubDevice,
    collar: str,
    sign_in: key_sign_in.KeySignIn,
    limits: SessionLimits = DEFAULT_LIMITS,
) -> Granted | Refused | KeyRefused:
    """Read the count, the key and the officer's newest session here, verify the
    signature and record the outcome: a key sign-in's whole turn (blocking). The key must
    be the newest registered for the officer on this device, unrevoked, and the PIN
    unchanged since the device's newest session for them. A signature that does not
    verify with that key is counted as a wrong PIN."""
    with _collar_held(engine, collar) as held:
        with _step(engine, held, read_only=True) as db:
            now = utcnow()
            user, key, latest, newest, stamp = _key_state(db, device, collar, sign_in.key_id)
            # the officer has signed in here (a session exists) or has no key here: only
            # wrong PINs given on this device hold them up
            before = _counted(db, collar, device.id, now)
            if newest is None:
                before = throttle_for(db, device, collar, now)
            if before.wait(now):
                return Refused(before, checked=False)
        if user is not None and user.active and user.locked:
            raise AuthError(f"{user.collar} is locked: ask an admin")
        why = _key_refusal(key, user, device, collar) or challenge_refusal(
            sign_in.challenge, newest, now
        )
        if not why and (key is None or key.id != latest):
            why = f"a newer key is registered for {collar} on this device: sign in with the PIN"
        if not why and (stamp is None or user is None or stamp != pin_stamp(user)):
            # the PIN changed since this device's last session (even without the keys
            # being revoked, as an edit straight in the database would leave them)
            why = f"{collar}'s PIN was changed: sign in with the new PIN"
        if why:
            return KeyRefused(why)
        assert key is not None and user is not None
        signed = key_sign_in.message(collar, key.id, sign_in.challenge)
        right = attest.verify(key.public_key, sign_in.signature, signed)
        with _step(engine, held) as db:
            now = utcnow()
            db.add(HubSignInAttempt(device_id=device.id, collar=collar, ok=right, at=now))
            if not right:
                db.flush()
                return Refused(throttle_for(db, device, collar, now), checked=True)
            token, session, _none = add_session(db, device, user, "", limits, now)
            return Granted(token, session, key.id, user)
