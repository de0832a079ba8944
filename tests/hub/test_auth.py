"""Devices, sign-in and sessions: enrolment, revocation, PINs, lockout, rate limits, roles."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy import update
from sqlmodel import col, select

from firstresponse.hub import admin
from firstresponse.hub.auth import token_hash
from firstresponse.hub.db import transaction
from firstresponse.hub.models import HubDevice, HubSession
from firstresponse.hub.sessions import IDLE, RATE_LIMIT
from firstresponse.records import User, utcnow
from firstresponse.security.pins import hash_pin, needs_rehash, verify_pin
from firstresponse.sync.client import AuthFailure, Credentials, HubClient
from tests.hub.support import PIN, Hub


def get(hub: Hub, path: str, headers: dict[str, str]) -> httpx.Response:
    return httpx.get(hub.url + "/v1" + path, headers=headers)


def sign_in(hub: Hub, token: str, collar: str = "PC2001", pin: str = PIN) -> httpx.Response:
    return httpx.post(
        hub.url + "/v1/sessions",
        json={"collar": collar, "pin": pin},
        headers={"X-Device-Token": token},
    )


def test_unknown_or_missing_device_is_refused(hub: Hub) -> None:
    assert get(hub, "/whoami", {}).status_code == 401
    refused = sign_in(hub, "made-up")
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]


def test_a_session_replaces_the_pin_and_is_bound_to_its_device(hub: Hub) -> None:
    token, other = hub.enrol("MDT-A"), hub.enrol("MDT-B")
    headers = hub.headers(token)
    assert get(hub, "/whoami", headers).json()["collar"] == "PC2001"
    with transaction(hub.engine) as db:
        stored = db.exec(select(HubSession)).one()
    assert headers["X-Session"] not in stored.token_hash and len(stored.token_hash) == 64
    stolen = {"X-Device-Token": other, "X-Session": headers["X-Session"]}
    assert get(hub, "/whoami", stolen).status_code == 401  # another device's session
    old_style = {"X-Device-Token": token, "X-Collar": "PC2001", "X-Pin": PIN}
    assert get(hub, "/whoami", old_style).status_code == 401  # a PIN is no longer enough


def test_signing_out_ends_the_session(hub: Hub) -> None:
    token = hub.enrol()
    with hub.client(token) as client:
        client.whoami()
        session = client.session
        client.sign_out()
    headers = {"X-Device-Token": token, "X-Session": session.token}
    refused = get(hub, "/whoami", headers)
    assert refused.status_code == 401 and "signed out" in refused.json()["detail"]


def test_a_session_ends_with_the_shift_and_after_idle_time(hub: Hub) -> None:
    token = hub.enrol()
    shift, idle = hub.headers(token), hub.headers(token)
    with transaction(hub.engine) as db:
        rows = {row.token_hash: row for row in db.exec(select(HubSession))}
        rows[token_hash(shift["X-Session"])].expires_at = utcnow() - timedelta(seconds=1)
        rows[token_hash(idle["X-Session"])].last_seen_at = utcnow() - IDLE
        db.add_all(rows.values())
    assert "end of the shift" in get(hub, "/whoami", shift).json()["detail"]
    assert "no activity" in get(hub, "/whoami", idle).json()["detail"]


def test_revoking_a_device_locks_it_out_on_its_next_request(hub: Hub) -> None:
    token = hub.enrol("MDT-LOST")
    other = hub.enrol("MDT-KEPT")
    with hub.client(token) as client:
        assert client.whoami().device == "MDT-LOST"
        with transaction(hub.engine) as db:
            boss = db.exec(User.__table__.select().where(User.collar == "AD4001")).one()
            admin.revoke(db, db.get(User, boss.id), "MDT-LOST")
        with pytest.raises(AuthFailure, match="revoked"):
            client.whoami()
        with pytest.raises(AuthFailure):
            client.pull()
    assert get(hub, "/whoami", hub.headers(other)).status_code == 200
    with transaction(hub.engine) as db:
        lost = db.exec(select(HubDevice).where(HubDevice.name == "MDT-LOST")).one()
        ended = db.exec(select(HubSession).where(HubSession.device_id == lost.id)).all()
        assert ended and all(s.revoked_reason == "device revoked" for s in ended)
        boss = db.exec(User.__table__.select().where(User.collar == "AD4001")).one()
        admin.enrol(db, db.get(User, boss.id), "MDT-LOST")  # the name can be used again
        names = sorted(d.name for d in admin.devices(db))
    assert names[:2] == ["MDT-KEPT", "MDT-LOST"] and names[2].startswith("MDT-LOST~revoked-")


def test_wrong_pins_lock_the_officer_and_end_their_sessions(hub: Hub) -> None:
    token = hub.enrol()
    headers = hub.headers(token)
    for _ in range(admin_max()):
        refused = sign_in(hub, token, pin="0000")
        assert refused.status_code == 401
    assert "locked" in refused.json()["detail"]
    assert "locked" in sign_in(hub, token).json()["detail"]
    ended = get(hub, "/whoami", headers)
    assert ended.status_code == 401 and "locked" in ended.json()["detail"]
    with transaction(hub.engine) as db:
        db.execute(update(User).where(col(User.collar) == "PC2001").values(locked=False))
    assert get(hub, "/whoami", headers).status_code == 401  # unlocking does not revive it


def test_failed_sign_ins_are_rate_limited_per_device_and_per_collar(hub: Hub) -> None:
    token, other = hub.enrol(), hub.enrol()
    extra = [f"PC70{n:02d}" for n in range(RATE_LIMIT)]
    with transaction(hub.engine) as db:
        db.add_all(User(collar=c, name=c, role="responder", pin_hash=hash_pin(PIN)) for c in extra)
    for collar in extra:  # one wrong PIN each: no officer is locked, the device is limited
        assert sign_in(hub, token, collar, "0000").status_code == 401
    limited = sign_in(hub, token, "PC2002")
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "60"
    assert sign_in(hub, other, "PC2002").status_code == 200  # another device is not


def test_a_changed_pin_or_a_deactivation_ends_sessions(hub: Hub) -> None:
    token = hub.enrol()
    pc1, pc2 = hub.headers(token, "PC2001"), hub.headers(token, "PC2002")
    with transaction(hub.engine) as db:
        db.execute(update(User).where(col(User.collar) == "PC2002").values(active=False))
        db.execute(
            update(User).where(col(User.collar) == "PC2001").values(pin_hash=hash_pin("5678"))
        )
    assert "PIN was changed" in get(hub, "/whoami", pc1).json()["detail"]
    assert "deactivated" in get(hub, "/whoami", pc2).json()["detail"]
    assert sign_in(hub, token, "PC2001", "5678").status_code == 200


def test_a_pin_hashed_at_the_older_cost_signs_in_and_is_redone(hub: Hub) -> None:
    token = hub.enrol()
    older = PasswordHasher().hash(PIN)  # the library default an earlier version used
    with transaction(hub.engine) as db:
        db.execute(update(User).where(col(User.collar) == "PC2002").values(pin_hash=older))
    assert sign_in(hub, token, "PC2002").status_code == 200
    with transaction(hub.engine) as db:
        redone = db.exec(select(User).where(User.collar == "PC2002")).one().pin_hash
    assert redone != older and not needs_rehash(redone) and verify_pin(redone, PIN)
    assert sign_in(hub, token, "PC2002").status_code == 200


def test_roles_are_enforced_on_every_endpoint(hub: Hub) -> None:
    token = hub.enrol()
    headers = hub.headers(token, "AD4001")
    assert get(hub, "/pull", headers).status_code == 403
    assert get(hub, "/lookup/search?name=x", headers).status_code == 403
    with HubClient(hub.url, token, Credentials("AD4001", PIN)) as client:
        with pytest.raises(AuthFailure, match="may not sync"):
            client.push([])
        assert client.whoami().role == "admin"


def test_enrolment_keeps_only_a_hash_and_names_are_unique(hub: Hub) -> None:
    token = hub.enrol("MDT-1")
    with transaction(hub.engine) as db:
        [device] = [d for d in admin.devices(db) if d.name == "MDT-1"]
        assert token not in device.token_hash and len(device.token_hash) == 64
        boss = db.exec(User.__table__.select().where(User.collar == "AD4001")).one()
        with pytest.raises(admin.AdminError, match="already enrolled"):
            admin.enrol(db, db.get(User, boss.id), "MDT-1")
        responder = db.exec(User.__table__.select().where(User.collar == "PC2001")).one()
        with pytest.raises(PermissionError):
            admin.sign_in_admin(db, "PC2001", PIN)
        assert responder.role == "responder"


def admin_max() -> int:
    from firstresponse.hub.auth import MAX_FAILED_PINS

    return MAX_FAILED_PINS
