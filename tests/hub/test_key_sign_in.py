"""Signing in again on a device with the officer's key (sync.key_sign_in): no Argon2 on
the hub, and every revocation, lock and throttle still bites."""

from __future__ import annotations

import base64
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update
from sqlmodel import col, select

from firstresponse.hub import admin, attempts
from firstresponse.hub.auth import new_challenge, revoke_sessions
from firstresponse.hub.db import transaction
from firstresponse.hub.models import HubSignInAttempt
from firstresponse.records import User, utcnow
from firstresponse.security.pins import hash_pin
from firstresponse.sync import attest, key_sign_in
from firstresponse.sync.client import KeyNotAccepted, SignInRefused
from tests.hub.support import PIN, Hub


def registered(
    hub: Hub, token: str, collar: str = "PC2001"
) -> tuple[str, attest.Ed25519PrivateKey]:
    """A first sign-in on the device, with the PIN, registering a key: (key id, key)."""
    key = attest.new_key()
    with hub.client(token, collar) as client:
        grant = client.sign_in(collar, PIN, attest.public_text(key))
    assert grant.key_id
    return grant.key_id, key


def no_argon2_on_the_hub(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> bool:
        raise AssertionError("the hub verified a PIN")

    monkeypatch.setattr(attempts, "verify_pin", refuse)


def admin_user(db: object) -> User:
    return db.exec(select(User).where(col(User.collar) == "AD4001")).one()  # type: ignore[attr-defined]


def wrong_pins(hub: Hub, collar: str = "PC2001") -> int:
    with transaction(hub.engine) as db:
        rows = db.exec(select(HubSignInAttempt).where(col(HubSignInAttempt.collar) == collar))
        return sum(1 for row in rows if not row.ok)


def test_a_returning_officer_signs_in_with_the_key_and_no_pin_is_checked_on_the_hub(
    hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = hub.enrol()
    key_id, key = registered(hub, token)
    no_argon2_on_the_hub(monkeypatch)
    with hub.client(token) as client:
        grant = client.sign_in_with_key("PC2001", key_id, key)
        assert grant.key_id == key_id and grant.user.collar == "PC2001"
        assert client.whoami().collar == "PC2001"  # the session works like a PIN's


def test_a_wrong_signature_is_refused_and_counted_as_a_wrong_pin(
    hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = hub.enrol()
    key_id, _key = registered(hub, token)
    no_argon2_on_the_hub(monkeypatch)
    with hub.client(token) as client, pytest.raises(SignInRefused) as refused:
        client.sign_in_with_key("PC2001", key_id, attest.new_key())  # not the key registered
    assert refused.value.attempts_left is not None
    assert wrong_pins(hub) == 1
    with hub.client(token) as client, pytest.raises(KeyNotAccepted, match="no key"):
        client.sign_in_with_key("PC2002", key_id, _key)  # another officer's key id


def test_a_pin_reset_revokes_the_key_and_the_pin_signs_in_again(
    hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = hub.enrol()
    key_id, key = registered(hub, token)
    with transaction(hub.engine) as db:
        user = db.exec(select(User).where(col(User.collar) == "PC2001")).one()
        db.execute(update(User).where(col(User.id) == user.id).values(pin_hash=hash_pin("8642")))
        revoke_sessions(db, user_id=user.id, reason="PIN changed")
    with hub.client(token) as client, pytest.raises(KeyNotAccepted, match="revoked"):
        client.sign_in_with_key("PC2001", key_id, key)
    assert wrong_pins(hub) == 0  # not a wrong PIN: the terminal sends the PIN next
    with hub.client(token) as client:
        assert client.sign_in("PC2001", "8642").user.collar == "PC2001"


def test_a_pin_changed_without_revoking_the_keys_still_refuses_them(hub: Hub) -> None:
    """An edit straight in the hub's database leaves the key unrevoked: the PIN stamp of
    the device's newest session for the officer no longer matches, so the key is refused."""
    token = hub.enrol()
    key_id, key = registered(hub, token)
    with transaction(hub.engine) as db:
        db.execute(
            update(User).where(col(User.collar) == "PC2001").values(pin_hash=hash_pin("8642"))
        )
    with hub.client(token) as client, pytest.raises(KeyNotAccepted, match="PIN was changed"):
        client.sign_in_with_key("PC2001", key_id, key)


def test_only_the_newest_key_on_the_device_signs_in(hub: Hub) -> None:
    token = hub.enrol()
    old_id, old_key = registered(hub, token)
    new_id, new_key = registered(hub, token)  # a later PIN sign-in here made a new key
    with hub.client(token) as client, pytest.raises(KeyNotAccepted, match="newer key"):
        client.sign_in_with_key("PC2001", old_id, old_key)
    with hub.client(token) as client:
        assert client.sign_in_with_key("PC2001", new_id, new_key).key_id == new_id


def test_a_lock_a_deactivation_and_a_revoked_device_all_refuse_the_key(hub: Hub) -> None:
    token, other = hub.enrol("MDT-1"), hub.enrol("MDT-2")
    key_id, key = registered(hub, token)
    with hub.client(other) as client, pytest.raises(KeyNotAccepted, match="no key"):
        client.sign_in_with_key("PC2001", key_id, key)  # registered on MDT-1 only
    with transaction(hub.engine) as db:
        db.execute(update(User).where(col(User.collar) == "PC2001").values(locked=True))
    with hub.client(token) as client, pytest.raises(SignInRefused, match="locked"):
        client.sign_in_with_key("PC2001", key_id, key)
    with transaction(hub.engine) as db:
        db.execute(update(User).where(col(User.collar) == "PC2001").values(locked=False))
        db.execute(update(User).where(col(User.collar) == "PC2001").values(active=False))
    with hub.client(token) as client, pytest.raises(KeyNotAccepted, match="revoked"):
        client.sign_in_with_key("PC2001", key_id, key)  # even with the key left unrevoked
    with transaction(hub.engine) as db:
        db.execute(update(User).where(col(User.collar) == "PC2001").values(active=True))
    key_id, key = registered(hub, token)
    with transaction(hub.engine) as db:
        admin.revoke(db, admin_user(db), "MDT-1")
    with hub.client(token) as client, pytest.raises(SignInRefused, match="revoked"):
        client.sign_in_with_key("PC2001", key_id, key)


def test_a_challenge_signs_in_once_and_only_while_fresh(hub: Hub) -> None:
    token = hub.enrol()
    key_id, key = registered(hub, token)

    def post(challenge: str) -> httpx.Response:
        signature = key.sign(key_sign_in.message("PC2001", key_id, challenge))
        body = {
            "collar": "PC2001",
            "key_id": key_id,
            "challenge": challenge,
            "signature": base64.b64encode(signature).decode(),
        }
        return httpx.post(
            hub.url + "/v1/sessions/key", json=body, headers={"X-Device-Token": token}
        )

    asked = httpx.get(hub.url + "/v1/sessions/challenge", headers={"X-Device-Token": token})
    challenge = asked.json()["challenge"]
    assert post(challenge).status_code == 200
    replayed = post(challenge)
    assert replayed.status_code == 403 and "already used" in replayed.json()["detail"]
    stale = new_challenge(utcnow() - timedelta(seconds=key_sign_in.CHALLENGE_SECONDS + 1))
    refused = post(stale)
    assert refused.status_code == 403 and "expired" in refused.json()["detail"]
    ahead = post(new_challenge(utcnow() + timedelta(minutes=5)))
    assert ahead.status_code == 403 and "future" in ahead.json()["detail"]
    assert post("not a time~x").status_code == 403
    assert post(new_challenge()).status_code == 200
    assert wrong_pins(hub) == 0
