"""Users: validation on creation, Argon2 sign-in, wrong PINs throttled, admin-only changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlmodel import select

from firstresponse.records import AuditEvent, User, utcnow
from firstresponse.security import audit, pins, throttle, users
from firstresponse.security.permissions import PermissionDenied
from firstresponse.store import Store


def _seed(store: Store) -> None:
    with store.session() as db:
        users.create_user(db, "AD4001", "Demo Admin", "admin", "", "1234")
        users.create_user(db, "pc2001", "Demo Responder One", "responder", "Response A", "1234")


def test_create_user_validates_and_hashes(store: Store) -> None:
    _seed(store)
    with store.session() as db:
        user = users.get_user(db, "PC2001")
        assert user is not None and user.role == "responder" and user.team == "Response A"
        assert user.pin_hash.startswith("$argon2id$") and "1234" not in user.pin_hash
        for collar, role, pin, message in [
            ("bad collar!", "responder", "1234", "collar number"),
            ("PC2009", "chief", "1234", "role 'chief'"),
            ("PC2009", "responder", "12", "4 to 8 digits"),
            ("PC2009", "responder", "12ab", "4 to 8 digits"),
            ("PC2001", "responder", "1234", "already exists"),
        ]:
            with pytest.raises(users.UserError, match=message):
                users.create_user(db, collar, "Some Officer", role, "", pin)


def test_authenticate_returns_the_user_and_audits(store: Store) -> None:
    _seed(store)
    with store.session() as db:
        user = users.authenticate(db, " pc2001 ", "1234")
        assert user.collar == "PC2001"
        last = db.exec(select(AuditEvent).where(AuditEvent.action == "login")).one()
        assert last.actor == "PC2001"


def test_a_pin_hashed_at_the_older_cost_still_signs_in_and_is_redone(store: Store) -> None:
    _seed(store)
    older = PasswordHasher().hash("1234")  # the library default an earlier version used
    with store.session() as db:
        user = users.get_user(db, "PC2001")
        assert user is not None
        user.pin_hash = older
        db.add(user)
    with store.session() as db:
        users.authenticate(db, "PC2001", "1234")
    with store.session() as db:
        user = users.get_user(db, "PC2001")
        assert user is not None and user.pin_hash != older
        assert "m=19456,t=2,p=1" in user.pin_hash and not pins.needs_rehash(user.pin_hash)
        assert users.authenticate(db, "PC2001", "1234").collar == "PC2001"


def later(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """The terminal's clock, `seconds` on from now."""
    moment = utcnow() + timedelta(seconds=seconds)
    monkeypatch.setattr(users, "utcnow", lambda: moment)


def test_wrong_pins_slow_sign_in_down_and_survive_a_rollback(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed(store)
    for attempt in range(1, throttle.FREE_ATTEMPTS):
        with (
            pytest.raises(users.SignInError, match=r"attempts? left before a wait") as info,
            store.session() as db,
        ):
            users.authenticate(db, "PC2001", "9999")
        assert info.value.attempts_left == throttle.FREE_ATTEMPTS - attempt
        assert info.value.wait_seconds == 0 and not info.value.locked
    with pytest.raises(users.SignInError, match="wait 5 seconds") as info, store.session() as db:
        users.authenticate(db, "PC2001", "9999")
    assert (info.value.attempts_left, info.value.wait_seconds, info.value.locked) == (0, 5, False)
    with pytest.raises(users.SignInError, match="wait"), store.session() as db:
        users.authenticate(db, "PC2001", "1234")  # during the wait even the right PIN waits
    later(monkeypatch, 6)
    with store.session() as db:  # after it, the officer's own PIN clears it all
        assert users.authenticate(db, "PC2001", "1234").collar == "PC2001"
    with store.session() as db:
        user = users.get_user(db, "PC2001")
        assert user is not None and not user.locked and user.failed_attempts == 0
        actions = [e.action for e in db.exec(select(AuditEvent))]
        assert actions.count("login.failed") == throttle.FREE_ATTEMPTS
        assert "user.locked" not in actions and "login.refused" in actions
        assert audit.verify(db) == []


def test_waits_grow_to_a_hold_that_the_officers_own_pin_clears(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed(store)
    waits = []
    for _ in range(throttle.HOLD_AFTER):
        with pytest.raises(users.SignInError) as info, store.session() as db:
            users.authenticate(db, "PC2001", "0000")
        waits.append(info.value.wait_seconds)
        later(monkeypatch, 3600)  # each wait sat out (the audit keeps when each was given)
    assert waits == [0, 0, 5, 10, 20, 40, 80, 160, 320, 900]
    assert "PC2001 is held after 10 wrong PINs: wait 15 minutes" in str(info.value)
    with store.session() as db:
        assert users.authenticate(db, "PC2001", "1234").collar == "PC2001"


def test_one_officers_wrong_pins_never_hold_up_another(store: Store) -> None:
    _seed(store)
    for _ in range(throttle.HOLD_AFTER):
        with pytest.raises(users.SignInError), store.session() as db:
            users.authenticate(db, "PC2001", "0000")
    with store.session() as db:  # the same terminal, at once
        assert users.authenticate(db, "AD4001", "1234").collar == "AD4001"


def test_an_admins_lock_is_the_only_lock(store: Store) -> None:
    _seed(store)
    with store.session() as db:
        admin = users.authenticate(db, "AD4001", "1234")
        users.lock(db, admin, "PC2001")
    with (
        pytest.raises(users.SignInError, match="locked: ask an admin") as info,
        store.session() as db,
    ):
        users.authenticate(db, "PC2001", "1234")
    assert info.value.locked and info.value.attempts_left is None


def test_unknown_collar_is_refused_without_saying_which_part_was_wrong(store: Store) -> None:
    _seed(store)
    with pytest.raises(users.SignInError, match="not recognised"), store.session() as db:
        users.authenticate(db, "ZZ999", "1234")


def test_admin_unlocks_resets_and_deactivates(store: Store) -> None:
    _seed(store)
    with store.session() as db:
        db.get(User, users.get_user(db, "PC2001").id).locked = True  # type: ignore[union-attr]
    with store.session() as db:
        admin = users.authenticate(db, "AD4001", "1234")
        users.unlock(db, admin, "PC2001")
        users.reset_pin(db, admin, "pc2001", "24680")
    with store.session() as db:
        assert users.authenticate(db, "PC2001", "24680").collar == "PC2001"
    with store.session() as db:
        admin = users.authenticate(db, "AD4001", "1234")
        users.deactivate(db, admin, "PC2001")
        with pytest.raises(users.UserError, match="themselves"):
            users.deactivate(db, admin, "AD4001")
    with pytest.raises(users.SignInError), store.session() as db:
        users.authenticate(db, "PC2001", "24680")


def test_only_an_admin_manages_users(store: Store) -> None:
    _seed(store)
    with store.session() as db:
        officer = users.authenticate(db, "PC2001", "1234")
        with pytest.raises(PermissionDenied, match="may not manage users"):
            users.add_user(db, officer, "PC2003", "New Officer", "responder", "", "1234")
        with pytest.raises(PermissionDenied):
            users.unlock(db, officer, "PC2001")
        with pytest.raises(PermissionDenied):
            users.reset_pin(db, officer, "AD4001", "0000")
