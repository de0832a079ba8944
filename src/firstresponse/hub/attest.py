"""Whose record is this? The principal the hub files each pushed item under.

A session proves who is pushing; a record's `author` and `attestation` prove who made it
(sync.attest). The rules:

- no author, or the pushing officer as author: the pushing officer, and an attestation,
  if sent, must verify;
- another officer as author: only with that officer's valid signature, made with a key
  the hub registered for them *on this device* and has not revoked (a device revocation
  revokes its keys). Otherwise the item is rejected: no officer can push records as
  someone else.

An attested author is taken with the role they hold on the hub, as they were when they
made the record: an officer locked or deactivated since still has their earlier,
signed records filed under their name (nothing they made is lost), while sessions,
sign-in and new records stop at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from firstresponse.hub.auth import Principal
from firstresponse.hub.models import HubSigningKey
from firstresponse.records import User
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
        if key.revoked_at is not None:
            return f"signed with {author}'s key for this device, which was revoked"
        data = attest.message(proof.key_id, author, env.kind, env.id, env.version, env.content_hash)
        if not attest.verify(key.public_key, proof.signature, data):
            return f"{author}'s signature does not match this record"
        return key

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
