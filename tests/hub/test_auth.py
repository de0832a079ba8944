"""Devices and officers on every request: enrolment, revocation, PINs, lockout, roles."""

from __future__ import annotations

import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy import update
from sqlmodel import col, select

from firstresponse.hub import admin
from firstresponse.hub.db import transaction
from firstresponse.records import User
from firstresponse.security.pins import needs_rehash, verify_pin
from firstresponse.sync.client import AuthFailure, Credentials, HubClient
from tests.hub.support import PIN, Hub


def get(
    hub: Hub, path: str, token: str = "", collar: str = "PC2001", pin: str = PIN
) -> httpx.Response:
    headers = {"X-Device-Token": token, "X-Collar": collar, "X-Pin": pin}
    return httpx.get(hub.url + "/v1" + path, headers=headers)


def test_unknown_or_missing_device_is_refused(hub: Hub) -> None:
    assert get(hub, "/whoami").status_code == 401
    refused = get(hub, "/whoami", token="made-up")
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]


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
    assert get(hub, "/whoami", token=other).status_code == 200


def test_wrong_pins_lock_the_officer_and_a_cached_pin_does_not_outlive_the_lock(hub: Hub) -> None:
    token = hub.enrol()
    assert get(hub, "/whoami", token=token).status_code == 200  # PIN now cached
    for _ in range(admin_max()):
        assert get(hub, "/whoami", token=token, pin="0000").status_code == 401
    locked = get(hub, "/whoami", token=token)
    assert locked.status_code == 401 and "locked" in locked.json()["detail"]


def test_a_changed_or_deactivated_user_is_refused_despite_the_cache(hub: Hub) -> None:
    token = hub.enrol()
    assert get(hub, "/whoami", token=token, collar="PC2002").status_code == 200
    with transaction(hub.engine) as db:
        db.execute(update(User).where(col(User.collar) == "PC2002").values(active=False))
    assert get(hub, "/whoami", token=token, collar="PC2002").status_code == 401


def test_a_pin_hashed_at_the_older_cost_signs_in_and_is_redone(hub: Hub) -> None:
    token = hub.enrol()
    older = PasswordHasher().hash(PIN)  # the library default an earlier version used
    with transaction(hub.engine) as db:
        db.execute(update(User).where(col(User.collar) == "PC2002").values(pin_hash=older))
    assert get(hub, "/whoami", token=token, collar="PC2002").status_code == 200
    with transaction(hub.engine) as db:
        redone = db.exec(select(User).where(User.collar == "PC2002")).one().pin_hash
    assert redone != older and not needs_rehash(redone) and verify_pin(redone, PIN)
    assert get(hub, "/whoami", token=token, collar="PC2002").status_code == 200


def test_roles_are_enforced_on_every_endpoint(hub: Hub) -> None:
    token = hub.enrol()
    assert get(hub, "/pull", token=token, collar="AD4001").status_code == 403
    assert get(hub, "/lookup/search?name=x", token=token, collar="AD4001").status_code == 403
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
