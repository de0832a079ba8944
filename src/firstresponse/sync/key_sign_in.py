"""Signing in again on a device with the officer's key, not their PIN, on the hub.

An officer's first online sign-in on a device sends the PIN (Argon2 on the hub) and
registers a signing key the terminal keeps wrapped by the PIN (sync.attest). From then
on, on that device, the terminal proves the PIN itself (unwrapping the key needs it) and
proves the key to the hub by signing the hub's challenge:

    GET  /v1/sessions/challenge        -> SignInChallenge (the hub's time and a nonce)
    POST /v1/sessions/key  KeySignIn   -> SessionGrant, as a PIN sign-in

The hub verifies an Ed25519 signature (a fraction of a millisecond) instead of an Argon2
hash (tens of milliseconds of a core), which is what lets a shift's terminals sign in
within seconds. It accepts the key only while it is registered for that officer on that
device and unrevoked, the officer active and unlocked, and the device enrolled; a new
PIN, a lock, a deactivation and a revoked device all revoke the keys (hub.auth), so the
next sign-in must send the PIN again. Wrong PINs never reach the hub this way: the
terminal cannot unwrap its key with one, and sends the PIN to the hub instead, where it
is checked and counted as before (hub.attempts).

A challenge holds for `CHALLENGE_SECONDS` and only once: the hub refuses one issued
before the officer's newest session on the device, so a signature seen once cannot be
sent again.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from firstresponse.sync.protocol import Collar

CHALLENGE_SECONDS = 300  # a queue at the hub (shift start, a busy host) must not outlast it
PURPOSE = "firstresponse sign-in v1"

Base64 = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9+/=]*$")]


class SignInChallenge(BaseModel):
    """What a terminal signs to sign in with its key: the hub's time and a nonce."""

    challenge: str


class KeySignIn(BaseModel):
    """Sign in with the officer's key on this device (registered at a PIN sign-in)."""

    model_config = ConfigDict(extra="forbid")

    collar: Collar
    key_id: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
    challenge: Annotated[str, Field(min_length=1, max_length=100)]
    signature: Base64


def message(collar: str, key_id: str, challenge: str) -> bytes:
    """The bytes a key sign-in signs: what it is for, who, with which key, and when."""
    return "\n".join((PURPOSE, collar.upper(), key_id, challenge)).encode("utf-8")
