"""Signing an officer in on a terminal: against the hub when it answers, else offline.

Online (the terminal is enrolled and the hub answers): the hub checks the PIN (wrong
ones slow the next attempts down, hub.sessions) and returns a session and the officer as
it holds them; a refusal says how many attempts are left before a wait, or how long to
wait (`SignInError.attempts_left`, `wait_seconds`). The terminal then keeps what it needs
to check the PIN offline afterwards (an Argon2 hash of it, throttled the same way) and a
fresh signing key wrapped by the PIN (sync.attest), and holds no PIN: the session token
is what it sends from then on.

Again online, on a terminal where the officer has signed in online before: the PIN is
proved here, by unwrapping the key kept for them, and the hub is sent a signature with
that key over its challenge instead of the PIN (sync.key_sign_in), so it spends no
Argon2 on a returning officer. A PIN that does not unwrap the key, and a key the hub no
longer takes (a new PIN, a lock, a deactivation, the device revoked), send the PIN to
the hub as above, where it is checked and, if wrong, counted.

Offline (no answer): an officer who has signed in here online before is checked against
the kept hash, throttled the same way; their signing key is unwrapped, and the PIN is
held in memory only until the hub is reached, when the sync link exchanges it for a
session (`SignedIn.pending`). An officer never signed in here online cannot sign in
offline: the terminal has nothing to check their PIN against (the roster, sync.roster,
stores the force's officers for lists and figures with no PIN hash and no key).

Each pull brings the hub's view of every officer who has signed in on this device
(`apply_user_states`): a deactivation or lock stops offline sign-in, and a changed PIN
makes the terminal forget the old one (the next sign-in must reach the hub).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from firstresponse.config import Settings, hub_configured
from firstresponse.records import User, utcnow
from firstresponse.records.terminal import TerminalCredential
from firstresponse.security import audit
from firstresponse.security.pins import hash_pin
from firstresponse.security.users import SignInError, authenticate, get_user, normalise_collar
from firstresponse.sync import attest
from firstresponse.sync.client import (
    Credentials,
    HubClient,
    KeyNotAccepted,
    NetworkFailure,
    SessionToken,
    SignInRefused,
    SyncFailure,
)
from firstresponse.sync.protocol import UserState

ONLINE_TIMEOUT = 4.0  # seconds the sign-in screen waits for the hub before going offline


@dataclass
class SignedIn:
    """A signed-in officer: the hub session (None while offline), the PIN to exchange for
    one when the hub is reached (None once exchanged), and who attests their records."""

    user: User
    attestor: attest.Attestor
    session: SessionToken | None = None
    pending: Credentials | None = None
    online: bool = False


def _keep_online(
    db: Session, state: UserState, pin: str, key: attest.Ed25519PrivateKey, key_id: str
) -> User:
    """Store the officer as the hub holds them, with an offline PIN check and their key."""
    user = get_user(db, state.collar)
    if user is None:
        user = User(collar=state.collar, name=state.name, role=state.role, team=state.team)
    user.name, user.role, user.team = state.name, state.role, state.team
    user.active, user.locked, user.failed_attempts = state.active, state.locked, 0
    user.pin_hash = hash_pin(pin)
    db.add(user)
    credential = db.get(TerminalCredential, state.collar) or TerminalCredential(
        collar=state.collar, key_id="", wrapped_key="", pin_stamp=""
    )
    credential.key_id = key_id
    credential.wrapped_key = attest.wrap(key, pin) if key_id else ""
    credential.pin_stamp = state.pin_stamp
    credential.updated_at = utcnow()
    db.add(credential)
    db.flush()
    audit.record(db, state.collar, "login", "user", user.id, via="hub")
    return user


def _refused_by_hub(db: Session, collar: str, refused: SignInRefused) -> SignInError:
    """Mirror the hub's refusal (an admin's lock included) and audit it."""
    message = str(refused)
    user = get_user(db, collar)
    locked = refused.attempts_left is None and "is locked" in message
    if user is not None and locked and not user.locked:
        user.locked = True
        db.add(user)
    audit.record(
        db, collar, "login.failed", "user", user.id if user else "", reason=f"hub: {message}"
    )
    db.commit()
    return SignInError(
        message, locked=locked, attempts_left=refused.attempts_left, wait_seconds=refused.wait
    )


def _keep_returning(db: Session, state: UserState, key_id: str) -> User:
    """Store the officer as the hub holds them after a key sign-in: the offline PIN check
    and the wrapped key stay as they are (the PIN just unwrapped it)."""
    user = get_user(db, state.collar)
    assert user is not None  # a key here means the officer signed in here before
    user.name, user.role, user.team = state.name, state.role, state.team
    user.active, user.locked, user.failed_attempts = state.active, state.locked, 0
    db.add(user)
    credential = db.get(TerminalCredential, state.collar)
    if credential is not None:
        credential.pin_stamp = state.pin_stamp
        credential.updated_at = utcnow()
        db.add(credential)
    db.flush()
    audit.record(db, state.collar, "login", "user", user.id, via="hub", key=key_id)
    return user


def _own_key(store: object, collar: str, pin: str) -> tuple[str, attest.Ed25519PrivateKey] | None:
    """The key the hub registered for `collar` on this terminal, unwrapped by `pin`; None
    when there is none or `pin` does not unwrap it (the hub then checks the PIN)."""
    with store.session() as db:  # type: ignore[attr-defined]
        user = get_user(db, collar)
        credential = db.get(TerminalCredential, collar)
    if user is None or not user.pin_hash or credential is None:
        return None
    if not credential.key_id or not credential.wrapped_key:
        return None
    key = attest.unwrap(credential.wrapped_key, pin)
    return (credential.key_id, key) if key is not None else None


def sign_in_online(store: object, client: HubClient, collar: str, pin: str) -> SignedIn:
    """Sign in against the hub; raises SignInError if refused, NetworkFailure if unreachable.

    An officer who has signed in here before, giving the PIN their key was wrapped with,
    signs in with the key (sync.key_sign_in): the hub checks a signature, not the PIN.
    Otherwise, or when the hub no longer takes that key (a new PIN, say), the PIN goes to
    the hub, which checks it and counts it if wrong, and a new key is registered."""
    own = _own_key(store, collar, pin)
    if own is not None:
        key_id, key = own
        try:
            grant = client.sign_in_with_key(collar, key_id, key)
        except KeyNotAccepted:
            pass  # revoked or unknown on the hub: sign in with the PIN
        except SignInRefused as exc:
            # The PIN unwrapped a key whose signature the hub refused (counted): the key
            # kept here is not the one the hub holds, so the PIN goes to the hub, and a
            # right one clears the count. A wait or a lock is the officer's answer.
            if exc.attempts_left is None or exc.wait:
                with store.session() as db:  # type: ignore[attr-defined]
                    raise _refused_by_hub(db, collar, exc) from None
        else:
            with store.session() as db:  # type: ignore[attr-defined]
                user = _keep_returning(db, grant.user, key_id)
            session = SessionToken(grant.user.collar, grant.token)
            signer = attest.Attestor(user.collar, key_id, key)
            return SignedIn(user=user, attestor=signer, session=session, online=True)
    key = attest.new_key()
    try:
        grant = client.sign_in(collar, pin, attest.public_text(key))
    except SignInRefused as exc:
        with store.session() as db:  # type: ignore[attr-defined]
            raise _refused_by_hub(db, collar, exc) from None
    with store.session() as db:  # type: ignore[attr-defined]
        user = _keep_online(db, grant.user, pin, key, grant.key_id)
    session = SessionToken(grant.user.collar, grant.token)
    signer = attest.Attestor(user.collar, grant.key_id, key if grant.key_id else None)
    return SignedIn(user=user, attestor=signer, session=session, online=True)


def sign_in_offline(store: object, collar: str, pin: str, *, hub: bool) -> SignedIn:
    """Check the PIN against this terminal's copy (throttled as on the hub); raises
    SignInError."""
    with store.session() as db:  # type: ignore[attr-defined]
        known = get_user(db, collar)
        if hub and (known is None or not known.pin_hash):
            raise SignInError(
                f"{collar} has not signed in on this terminal while it could reach the hub "
                "(or the PIN was changed): the hub does not answer; connect to the hub to sign in"
            )
        user = authenticate(db, collar, pin)
        credential = db.get(TerminalCredential, user.collar)
    key = (
        attest.unwrap(credential.wrapped_key, pin)
        if credential and credential.wrapped_key
        else None
    )
    signer = attest.Attestor(user.collar, credential.key_id if key else "", key)
    pending = Credentials(user.collar, pin) if hub else None
    return SignedIn(user=user, attestor=signer, pending=pending)


def sign_in(store: object, settings: Settings, collar: str, pin: str) -> SignedIn:
    """Online when the hub answers, offline otherwise (see the module docstring)."""
    collar = normalise_collar(collar)
    if hub_configured(settings):
        try:
            with HubClient(
                settings.hub_url, settings.device_token, timeout=ONLINE_TIMEOUT
            ) as client:
                return sign_in_online(store, client, collar, pin)
        except NetworkFailure:
            pass  # the hub does not answer: check the PIN here
        except SignInError:
            raise
        except SyncFailure:
            pass  # e.g. this device's token was revoked: only officers known here sign in
    return sign_in_offline(store, collar, pin, hub=hub_configured(settings))


def apply_user_states(db: Session, states: list[UserState]) -> list[str]:
    """Bring the hub's view of this device's officers into the store; returns the collars
    whose offline PIN check was withdrawn (deactivated, locked or a new PIN)."""
    withdrawn = []
    for state in states:
        user = get_user(db, state.collar)
        if user is None:
            continue  # the roster (sync.roster) adds officers; this keeps their sign-in
        credential = db.get(TerminalCredential, state.collar)
        new_pin = credential is not None and credential.pin_stamp != state.pin_stamp
        changed = (
            (user.active and not state.active) or (state.locked and not user.locked) or new_pin
        )
        user.name, user.role, user.team = state.name, state.role, state.team
        user.active = state.active
        # A lock made here (by this terminal's admin) stays until the officer signs in
        # against the hub, which holds the officer's own state and clears it.
        user.locked = user.locked or state.locked
        if new_pin:
            user.pin_hash = (
                ""  # the old PIN no longer signs in here; the next sign-in goes to the hub
            )
            db.delete(credential)
        db.add(user)
        if changed:
            withdrawn.append(state.collar)
            audit.record(
                db,
                "hub",
                "user.refreshed",
                "user",
                user.id,
                active=state.active,
                locked=state.locked,
                new_pin=new_pin,
            )
    return withdrawn


def known_here(db: Session) -> list[str]:
    return list(db.exec(select(TerminalCredential.collar)))
