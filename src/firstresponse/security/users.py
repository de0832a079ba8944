"""People who use a terminal: create, sign in (Argon2 PIN, throttled), and administer.

Wrong PINs slow an officer's next attempts down on this terminal (security.throttle:
growing waits, then a hold their own right PIN clears once it is over) and never lock
them out, nor anyone else; an admin's lock (`lock`) is the only lock. The time of the
last wrong PIN is the audit log's, so a restart does not cut a wait short.

Every sign-in, failure, wait and administrative change is written to the audit log.
Administrative functions take the acting user and check `Action.MANAGE_USERS` here, in
the core, so no interface can skip the check.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import cache

from sqlmodel import Session, col, select

from firstresponse.records import AuditEvent, Role, User, limits, utcnow
from firstresponse.security import audit, throttle
from firstresponse.security.permissions import Action, require
from firstresponse.security.pins import hash_pin, needs_rehash, verify_pin
from firstresponse.store import Store

COLLAR_PATTERN = re.compile(r"^[A-Z]{1,4}[0-9]{1,6}$")
PIN_PATTERN = re.compile(r"^[0-9]{4,8}$")
NAME_MAX = limits.NAME.max_chars


@cache
def _dummy_hash() -> str:
    """Verified against when the collar is unknown, so it costs the same as a wrong PIN."""
    return hash_pin("00000000")


class UserError(ValueError):
    """A user cannot be created or changed; the message says why."""


class SignInError(PermissionError):
    """Sign-in refused; the message is safe to show to the person at the keyboard."""

    def __init__(
        self,
        message: str,
        *,
        locked: bool = False,
        attempts_left: int | None = None,
        wait_seconds: int = 0,
    ) -> None:
        super().__init__(message)
        self.locked = locked  # by an admin: only an admin unlocks
        self.attempts_left = attempts_left  # wrong PINs before the next wait (None: not a PIN)
        self.wait_seconds = wait_seconds  # before the next attempt is checked


def normalise_collar(collar: str) -> str:
    """Upper-case, no spaces: ' pc2001 ' -> 'PC2001'."""
    return "".join(collar.split()).upper()


def validate_collar(collar: str) -> str:
    """The normalised collar number, or UserError explaining the format."""
    value = normalise_collar(collar)
    if not COLLAR_PATTERN.match(value):
        raise UserError(
            f"collar number {collar!r} must be 1-4 letters then 1-6 digits, e.g. PC2001"
        )
    return value


def validate_pin(pin: str) -> str:
    """The PIN, or UserError: 4 to 8 digits."""
    if not PIN_PATTERN.match(pin):
        raise UserError("a PIN is 4 to 8 digits")
    return pin


def validate_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise UserError(f"role {role!r} is not one of: {choices}") from None


def validate_name(name: str) -> str:
    value = " ".join(name.split())
    if not value:
        raise UserError(f"a name is 1 to {NAME_MAX} characters")
    if problem := limits.text_problem("the name", value, limits.NAME):
        raise UserError(problem)
    return value


def validate_team(team: str) -> str:
    """The team, spaces tidied, or UserError: one line of valid text."""
    value = " ".join(team.split())
    if problem := limits.text_problem("the team", value, limits.LINE):
        raise UserError(problem)
    return value


def get_user(db: Session, collar: str) -> User | None:
    return db.exec(select(User).where(User.collar == normalise_collar(collar))).first()


def list_users(db: Session) -> list[User]:
    return list(db.exec(select(User).order_by(col(User.collar))))


def create_user(
    db: Session,
    collar: str,
    name: str,
    role: str,
    team: str,
    pin: str,
    *,
    actor: str = "system",
) -> User:
    """Validate and add a user (in the caller's transaction); audited as `user.create`."""
    collar = validate_collar(collar)
    name = validate_name(name)
    role_value = validate_role(role)
    validate_pin(pin)
    team = validate_team(team)
    if get_user(db, collar) is not None:
        raise UserError(f"a user with collar {collar} already exists")
    user = User(collar=collar, name=name, role=role_value.value, team=team, pin_hash=hash_pin(pin))
    db.add(user)
    db.flush()
    audit.record(db, actor, "user.create", "user", user.id, collar=collar, role=user.role)
    return user


def _refuse(db: Session, message: str, **flags: object) -> SignInError:
    """Commit the failure's bookkeeping so a caller's rollback cannot erase it."""
    db.commit()
    return SignInError(message, **flags)  # type: ignore[arg-type]


def authenticate_at(store: Store, collar: str, pin: str) -> User:
    """`authenticate` in a transaction of its own (signing in and unlocking a terminal)."""
    with store.session() as db:
        return authenticate(db, collar, pin)


def authenticate(db: Session, collar: str, pin: str) -> User:
    """The signed-in User, or SignInError. Failures count towards a lock and are audited.

    The failure's bookkeeping (attempt count, lock, audit entry) is committed before
    raising, so it survives a `Store.session()` rolling back on the exception.
    """
    collar = normalise_collar(collar)[:16]
    user = get_user(db, collar) if collar else None
    if user is None or not user.active:
        verify_pin(_dummy_hash(), pin)
        audit.record(
            db,
            collar or "?",
            "login.failed",
            "user",
            user.id if user else "",
            reason="unknown or inactive collar",
        )
        raise _refuse(db, "collar number or PIN not recognised")
    if user.locked:
        audit.record(db, collar, "login.refused", "user", user.id, reason="locked")
        raise _refuse(db, f"{collar} is locked: ask an admin to unlock", locked=True)
    now = utcnow()
    held = _throttle(db, user)
    if wait := held.wait(now):
        audit.record(db, collar, "login.refused", "user", user.id, reason="waiting")
        message = throttle.refusal(collar, held, now)
        raise _refuse(db, message, attempts_left=0, wait_seconds=throttle.seconds(wait))
    if not verify_pin(user.pin_hash, pin):
        user.failed_attempts += 1
        db.add(user)
        audit.record(
            db,
            collar,
            "login.failed",
            "user",
            user.id,
            reason="wrong PIN",
            attempts=user.failed_attempts,
        )
        held = throttle.Throttle(user.failed_attempts, now)
        raise _refuse(
            db,
            throttle.refusal(collar, held, now, known=True),
            attempts_left=held.attempts_left,
            wait_seconds=throttle.seconds(held.wait(now)),
        )
    if user.failed_attempts or needs_rehash(user.pin_hash):
        user.failed_attempts = 0
        if needs_rehash(user.pin_hash):
            user.pin_hash = hash_pin(pin)
        db.add(user)
    audit.record(db, collar, "login", "user", user.id)
    return user


def _throttle(db: Session, user: User) -> throttle.Throttle:
    """The officer's wrong PINs in a row here, and when the last was given (audit log)."""
    if not user.failed_attempts:
        return throttle.Throttle()
    last = db.exec(
        select(AuditEvent.at)
        .where(AuditEvent.action == "login.failed", AuditEvent.actor == user.collar)
        .order_by(col(AuditEvent.seq).desc())
        .limit(1)
    ).first()
    at = None if last is None else (last if last.tzinfo else last.replace(tzinfo=UTC))
    return throttle.Throttle(user.failed_attempts, at or datetime.now(UTC))


def _target(db: Session, collar: str) -> User:
    user = get_user(db, collar)
    if user is None:
        raise UserError(f"no user with collar {normalise_collar(collar)}")
    return user


def add_user(
    db: Session, admin: User, collar: str, name: str, role: str, team: str, pin: str
) -> User:
    """An admin adds a user."""
    require(admin, Action.MANAGE_USERS)
    return create_user(db, collar, name, role, team, pin, actor=admin.collar)


def bootstrap_admin(db: Session, collar: str, name: str, team: str, pin: str) -> User:
    """The first user of an empty store, who must be an admin (nobody else could add them)."""
    if db.exec(select(User).limit(1)).first() is not None:
        raise UserError("this store already has users: an admin must add new ones")
    return create_user(db, collar, name, Role.ADMIN, team, pin, actor="bootstrap")


def reset_pin(db: Session, admin: User, collar: str, pin: str) -> User:
    """An admin sets a new PIN; clears wrong PINs counted (does not unlock)."""
    require(admin, Action.MANAGE_USERS)
    validate_pin(pin)
    user = _target(db, collar)
    user.pin_hash = hash_pin(pin)
    user.failed_attempts = 0
    db.add(user)
    audit.record(db, admin.collar, "user.reset_pin", "user", user.id, collar=user.collar)
    return user


def unlock(db: Session, admin: User, collar: str) -> User:
    """An admin unlocks a user (and clears the wrong PINs counted)."""
    require(admin, Action.MANAGE_USERS)
    user = _target(db, collar)
    user.locked = False
    user.failed_attempts = 0
    db.add(user)
    audit.record(db, admin.collar, "user.unlock", "user", user.id, collar=user.collar)
    return user


def _bar(db: Session, admin: User, collar: str, verb: str, **values: bool) -> User:
    """An admin sets `values` on another user (never themselves), audited as `user.<verb>`."""
    require(admin, Action.MANAGE_USERS)
    user = _target(db, collar)
    if user.id == admin.id:
        raise UserError(f"an admin cannot {verb} themselves")
    for name, value in values.items():
        setattr(user, name, value)
    db.add(user)
    audit.record(db, admin.collar, f"user.{verb}", "user", user.id, collar=user.collar)
    return user


def lock(db: Session, admin: User, collar: str) -> User:
    """An admin locks a user (a lost PIN, a suspended officer) until someone unlocks them."""
    return _bar(db, admin, collar, "lock", locked=True)


def deactivate(db: Session, admin: User, collar: str) -> User:
    """An admin deactivates a user (kept for the audit trail, never deleted)."""
    return _bar(db, admin, collar, "deactivate", active=False)
