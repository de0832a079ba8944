"""Devices, sign-in and sessions: enrolment, revocation, PINs, throttled wrong PINs, roles."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy import update
from sqlmodel import col, select

from firstresponse.hub import admin
from firstresponse.hub.auth import token_hash
from firstresponse.hub.db import transaction
from firstresponse.hub.models import HubDevice, HubSession, HubSignInAttempt
from firstresponse.hub.sessions import IDLE
from firstresponse.records import User, utcnow
from firstresponse.security import throttle
from firstresponse.security.pins import hash_pin, needs_rehash, verify_pin
from firstresponse.security.users import SignInError
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


def sit_out_the_wait(hub: Hub) -> None:
    """As if the wait after the wrong PINs so far had passed: every attempt an hour older."""
    with transaction(hub.engine) as db:
        for row in db.exec(select(HubSignInAttempt)):
            row.at = row.at - timedelta(hours=1)
            db.add(row)


def test_wrong_pins_slow_sign_in_down_and_lock_nobody_out(hub: Hub) -> None:
    token, other = hub.enrol("MDT-A"), hub.enrol("MDT-B")
    headers = hub.headers(token)
    hub.headers(other)  # PC2001 has signed in on MDT-B before
    answers = [sign_in(hub, token, pin="0000") for _ in range(throttle.FREE_ATTEMPTS + 1)]
    assert [a.status_code for a in answers] == [401, 401, 401, 429]
    assert [a.json()["attempts_left"] for a in answers] == [2, 1, 0, 0]
    assert "2 attempts left before a wait" in answers[0].json()["detail"]
    assert answers[2].json()["retry_after"] == 5 and answers[2].headers["Retry-After"] == "5"
    waiting = sign_in(hub, token)  # the right PIN is not even checked during the wait
    assert waiting.status_code == 429 and "wait" in waiting.json()["detail"]
    assert get(hub, "/whoami", headers).status_code == 200  # no session ended
    assert sign_in(hub, token, "PC2002").status_code == 200  # nor another officer held up
    assert sign_in(hub, other).status_code == 200  # nor PC2001 on their other terminal
    sit_out_the_wait(hub)
    assert sign_in(hub, token).status_code == 200  # their own PIN after the wait clears it
    assert sign_in(hub, token, pin="0000").json()["attempts_left"] == 2
    with transaction(hub.engine) as db:
        officer = db.exec(select(User).where(User.collar == "PC2001")).one()
        assert not officer.locked


def test_waits_grow_to_a_hold_the_officers_own_pin_clears(hub: Hub) -> None:
    token = hub.enrol()
    waits = []
    for _ in range(throttle.HOLD_AFTER):
        answer = sign_in(hub, token, pin="0000")
        waits.append(answer.json()["retry_after"])
        sit_out_the_wait(hub)
    assert waits == [0, 0, 5, 10, 20, 40, 80, 160, 320, 900]
    assert "PC2001 is held after 10 wrong PINs" in answer.json()["detail"]
    assert sign_in(hub, token).status_code == 200  # no admin needed


def test_guessing_from_many_devices_is_slowed_for_the_officer_everywhere_new(hub: Hub) -> None:
    own = hub.enrol("MDT-OWN")
    hub.headers(own, "PC2002")  # PC2002's own terminal
    guessers = [hub.enrol(f"MDT-G{n}") for n in range(throttle.FREE_ATTEMPTS + 1)]
    codes = [sign_in(hub, token, "PC2002", "0000").status_code for token in guessers]
    assert codes == [401, 401, 401, 429]  # one wrong PIN per device is no way round
    assert sign_in(hub, own, "PC2002").status_code == 200  # their own terminal is not held


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


def test_a_terminal_hears_how_many_attempts_are_left_and_how_long_to_wait(
    hub: Hub, tmp_path: Path
) -> None:
    from firstresponse.config import Settings
    from firstresponse.session.signin import sign_in as sign_in_here
    from firstresponse.store import Store

    settings = Settings(
        data_dir=tmp_path, config_dir=tmp_path / "cfg", hub_url=hub.url, device_token=hub.enrol()
    )
    store = Store(tmp_path / "t.db")
    try:
        refusals = []
        for _ in range(throttle.FREE_ATTEMPTS):
            with pytest.raises(SignInError) as info:
                sign_in_here(store, settings, "PC2001", "0000")
            refusals.append((info.value.attempts_left, info.value.wait_seconds, info.value.locked))
        assert refusals == [(2, 0, False), (1, 0, False), (0, 5, False)]
    finally:
        store.close()


ROLES = {"call handler", "responder", "supervisor", "admin"}


def test_demo_users_on_a_hub_are_in_the_teams_the_readme_lists(tmp_path: Path) -> None:
    from firstresponse.hub.db import hub_engine
    from tests.conftest import REPO

    rows = [line.split("|")[1:4] for line in (REPO / "README.md").read_text().splitlines()]
    listed = {
        cells[0].strip(): cells[2].strip().replace("—", "")
        for cells in rows
        if len(cells) == 3
        and cells[1].strip() in {"call handler", "responder", "supervisor", "admin"}
    }
    engine = hub_engine(str(tmp_path / "hub.db"))
    with transaction(engine) as db:
        admin.ensure_demo_users(db)
    with transaction(engine) as db:
        teams = {user.collar: user.team for user in db.exec(select(User))}
    engine.dispose()
    assert listed["PC2002"] == "Bravo" and teams == listed
