"""Whose record is this? The principal the hub files each pushed item under.

A session proves who is pushing; a record's `author` and `attestation` prove who made it
(sync.attest). The rules:

- no author, or the pushing officer as author: the pushing officer, and an attestation,
  if sent, must verify;
- another officer as author: only with that officer's valid signature, made with a key
  the hub registered for them *on this device*. Otherwise the item is rejected: no
  officer can push records as someone else.

A key is revoked, on every device at once, when its officer is deactivated, locked or
given a new PIN, and when its device is revoked (hub.auth.revoke_sessions). The
signature covers when the record was signed (sync.attest.signing_time), so a record
signed before the revocation and pushed after it (made offline, sent at the next shift)
is still filed under its officer, with the role they held: nothing they made with
authority is lost. One signed after the revocation, or that does not say when it was
signed, is rejected with the reason, and the terminal quarantines it. The time is the
terminal's clock: the hub cannot prove a record existed before the revocation, only that
nobody without the officer's key and PIN set its time; it refuses a time before the key
was registered, and an officer whose state changed without a revocation (an edit made
straight in the database) has nothing filed on a key at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from firstresponse.hub.auth import Principal
from firstresponse.hub.models import HubSigningKey
from firstresponse.records import User
from firstresponse.records.validate import CLOCK_SKEW
from firstresponse.sync import attest
from firstresponse.sync.protocol import Envelope


@dataclass
class Authors:
    """Resolves item principals for one push, reading each key and officer once."""

    db: Session
    pusher: Principal
    _keys: dict[str, HubSigningKey | None] = field(default_factory=dict)
    _users: dict[str, User | None] = field(default_factory=dict)

    def _key(self, key_id: str) -> HubSigningKey | None:
        if key_id not in self._keys:
            self._keys[key_id] = self.db.get(HubSigningKey, key_id)
        return self._keys[key_id]

    def _user(self, user_id: str) -> User | None:
        if user_id not in self._users:
            self._users[user_id] = self.db.exec(select(User).where(col(User.id) == user_id)).first()
        return self._users[user_id]

    def _verified(self, env: Envelope, author: str) -> HubSigningKey | str:
        proof = env.attestation
        if proof is None:
            return f"pushed for {author} by {self.pusher.user.collar} without {author}'s signature"
        key = self._key(proof.key_id)
        if key is None or key.collar != author or key.device_id != self.pusher.device.id:
            return f"signed with a key the hub does not hold for {author} on this device"
        fields = (proof.key_id, author, env.kind, env.id, env.version, env.content_hash)
        signed_at = None
        if proof.signed_at and attest.verify(
            key.public_key, proof.signature, attest.message(*fields, proof.signed_at)
        ):
            signed_at = attest.parse_signing_time(proof.signed_at)
        elif not attest.verify(key.public_key, proof.signature, attest.message(*fields)):
            return f"{author}'s signature does not match this record"
        return self._in_force(key, author, signed_at)

    def _in_force(
        self, key: HubSigningKey, author: str, signed_at: datetime | None
    ) -> HubSigningKey | str:
        """The key, if it had authority when the record was signed, or why it had none."""
        if key.revoked_at is None:
            user = self._user(key.user_id)
            if user is not None and user.active and not user.locked:
                return key
            state = "deactivated" if user is None or not user.active else "locked"
            return f"{author} is {state} and the hub holds no time their key was revoked"
        revoked = _aware(key.revoked_at)
        when = f"revoked at {revoked:%Y-%m-%d %H:%M} UTC ({self._why(key)})"
        if signed_at is None:
            return f"{author}'s key was {when}; the record does not say when it was signed"
        if signed_at >= revoked:
            return f"signed at {signed_at:%Y-%m-%d %H:%M} UTC with {author}'s key, {when}"
        if signed_at < _aware(key.created_at) - CLOCK_SKEW:
            return f"signed at {signed_at:%Y-%m-%d %H:%M} UTC, before {author}'s key existed"
        return key

    def _why(self, key: HubSigningKey) -> str:
        """Why a key was revoked, from its officer's state now."""
        user = self._user(key.user_id)
        if user is None or not user.active:
            return f"{key.collar} deactivated"
        if user.locked:
            return f"{key.collar} locked"
        return "a new PIN, or the device revoked"

    def principal(self, env: Envelope) -> Principal | str:
        """The officer to file `env` under, or why it is refused."""
        own = self.pusher.user.collar
        author = (env.author or own).upper()
        if author == own and env.attestation is None:
            return self.pusher
        key = self._verified(env, author)
        if isinstance(key, str):
            return key
        if author == own:
            return self.pusher
        user = self._user(key.user_id)
        if user is None:
            return f"{author} is not known on this hub"
        as_they_were = User.model_validate(user.model_dump())
        as_they_were.active, as_they_were.locked = True, False
        return Principal(device=self.pusher.device, user=as_they_were)


def _aware(moment: datetime) -> datetime:
    """SQLite hands datetimes back without a zone; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
