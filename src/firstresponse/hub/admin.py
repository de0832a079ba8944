"""Hub administration: enrol, revoke and list devices; bring demo users onto a hub.

A revoked device keeps its row (renamed `NAME~revoked-ID`), so its name can be enrolled
again for a replacement terminal; revoking ends its sessions and its signing keys.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from firstresponse.demo.users import DEMO_PIN, DEMO_USERS
from firstresponse.hub.auth import new_token, token_hash
from firstresponse.hub.db import serialise_audit
from firstresponse.hub.models import HubDevice
from firstresponse.records import User, utcnow
from firstresponse.security import audit
from firstresponse.security.permissions import Action, require
from firstresponse.security.pins import hash_pin, verify_pin


class AdminError(ValueError):
    """A device command cannot be carried out (message says why)."""


def sign_in_admin(db: Session, collar: str, pin: str) -> User:
    """The admin managing devices; raises AdminError or PermissionError."""
    user = db.exec(select(User).where(User.collar == collar)).first()
    if user is None or not verify_pin(user.pin_hash, pin):
        raise AdminError("collar number or PIN not recognised on this hub")
    return require(user, Action.MANAGE_DEVICES)


def enrol(db: Session, admin: User, name: str) -> tuple[HubDevice, str]:
    """A new device and its token (shown once; the hub keeps only its hash)."""
    name = name.strip()
    if not name or len(name) > 64:
        raise AdminError("a device name is 1 to 64 characters")
    existing = db.exec(select(HubDevice).where(HubDevice.name == name)).first()
    if existing is not None and existing.revoked_at is None:
        raise AdminError(f"a device called {name!r} is already enrolled")
    if existing is not None:  # revoked: it keeps its row, renamed, and the name is free again
        existing.name = f"{name}~revoked-{existing.id[:8]}"
        db.add(existing)
        db.flush()
    token = new_token()
    device = HubDevice(name=name, token_hash=token_hash(token), created_by=admin.collar)
    db.add(device)
    serialise_audit(db)
    audit.record(db, admin.collar, "device.enrol", "device", device.id, name=name)
    return device, token


def revoke(db: Session, admin: User, name: str) -> HubDevice:
    """Lock a device out from its next request on (a lost or stolen terminal)."""
    device = db.exec(select(HubDevice).where(HubDevice.name == name)).first()
    if device is None:
        raise AdminError(f"no device called {name!r}")
    if device.revoked_at is None:
        from firstresponse.hub.auth import revoke_sessions

        device.revoked_at = utcnow()
        device.revoked_by = admin.collar
        db.add(device)
        revoke_sessions(db, device_id=device.id, reason="device revoked")
        serialise_audit(db)
        audit.record(db, admin.collar, "device.revoke", "device", device.id, name=name)
    return device


def devices(db: Session) -> list[HubDevice]:
    return list(db.exec(select(HubDevice).order_by(col(HubDevice.name))))


def ensure_demo_users(db: Session) -> list[str]:
    """Add the demo's officers (demo.users: the teams the README lists, PIN 1234) that the
    hub does not have yet; returns their collars."""
    added = []
    for collar, name, role, team in DEMO_USERS:
        if db.exec(select(User).where(User.collar == collar)).first() is None:
            pin_hash = hash_pin(DEMO_PIN)
            db.add(User(collar=collar, name=name, role=role, team=team, pin_hash=pin_hash))
            added.append(collar)
    return added
