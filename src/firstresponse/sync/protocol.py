"""The wire protocol between terminals and the hub (pydantic models, shared by both ends).

Every request carries `X-Device-Token` (from `firstresponse devices enrol`). Signing in
(`POST /v1/sessions` with collar, PIN and the officer's new public key) returns a session
token; every other request carries it as `X-Session`, never the PIN. An envelope's
`content_hash` is the SHA-256 of the canonical JSON of its `body`
(records.base.content_hash); `author` and `attestation` name the officer who submitted it
and carry their signature (sync.attest).
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from firstresponse.sync.feed import Change

API = "/v1"
DEVICE_HEADER = "X-Device-Token"
SESSION_HEADER = "X-Session"
MAX_BATCH = 500
MAX_BODY_BYTES = 10 * 1024 * 1024  # the largest request body the hub reads (413 beyond)

RecordId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]
Kind = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[a-z_]+$")]
Version = Annotated[int, Field(ge=1, le=1_000_000)]
Hash = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Collar = Annotated[str, Field(min_length=1, max_length=16, pattern=r"^[A-Za-z0-9]+$")]
Pin = Annotated[str, Field(min_length=4, max_length=8, pattern=r"^[0-9]+$")]
Cursor = Annotated[str, Field(max_length=40, pattern=r"^(|\d{1,18}\.\d{1,18})$")]

ItemStatus = Literal["accepted", "duplicate", "conflict", "rejected"]
Topic = Literal["assignment", "briefing", "lookup"]


class Attestation(BaseModel):
    """The author's Ed25519 signature over an envelope (sync.attest.message), base64."""

    model_config = ConfigDict(extra="forbid")

    key_id: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")]
    signature: Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9+/=]+$")]
    # When it was signed (sync.attest.signing_time), covered by the signature; "" from
    # terminals that signed no time.
    signed_at: Annotated[
        str, Field(max_length=27, pattern=r"^(|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)$")
    ] = ""


class Envelope(BaseModel):
    """One record version on its way to the hub, with who made it."""

    model_config = ConfigDict(extra="forbid")

    id: RecordId
    kind: Kind
    version: Version = 1
    content_hash: Hash
    body: dict[str, Any]
    author: Collar | None = None
    attestation: Attestation | None = None


class ChainHead(BaseModel):
    """The end of a terminal's audit chain: how many entries, and the last one's hash."""

    model_config = ConfigDict(extra="forbid")

    entries: int = Field(ge=0, le=1_000_000_000_000)
    hash: Hash


class PushRequest(BaseModel):
    """A batch of envelopes, acknowledged item by item, with the terminal's audit chain
    head as it is now (the hub keeps the newest: security.audit)."""

    model_config = ConfigDict(extra="forbid")

    envelopes: list[Envelope] = Field(max_length=MAX_BATCH)
    audit_head: ChainHead | None = None


class ItemResult(BaseModel):
    """The hub's answer for one envelope.

    `code` carries HTTP semantics per item: 200 accepted or duplicate, 409 conflict
    (with `hub_copy`, the version the hub already holds), 422 rejected (with `reason`).
    """

    id: str
    version: int
    status: ItemStatus
    code: int
    reason: str = ""
    hub_copy: Envelope | None = None
    author: str = ""  # the officer the hub filed it under
    waits_for: str = ""  # accepted but held: the missing parent, as "kind:id"


class PushResponse(BaseModel):
    """An answer for every envelope, and the terminal's audit chain head as the hub now
    holds it (None when none was sent)."""

    results: list[ItemResult]
    audit_head: ChainHead | None = None


class SignIn(BaseModel):
    """Exchange collar and PIN, once, for a session; register the officer's signing key."""

    model_config = ConfigDict(extra="forbid")

    collar: Collar
    pin: Pin
    public_key: Annotated[str, Field(max_length=100, pattern=r"^[A-Za-z0-9+/=]*$")] = ""


class UserState(BaseModel):
    """What a terminal needs about an officer: who they are and whether they may sign in.

    `pin_stamp` changes whenever the officer's PIN changes on the hub: a terminal that
    sees a new stamp forgets the PIN it could check offline.
    """

    collar: str
    name: str
    role: str
    team: str
    active: bool
    locked: bool
    pin_stamp: str


class SessionGrant(BaseModel):
    """A new session: the token (shown once), when it ends, the officer, their key id."""

    token: str
    expires_at: str
    idle_seconds: int
    user: UserState
    key_id: str = ""


def token_digest(token: str) -> str:
    """A token as the hub keeps it: the hex SHA-256 of its text (names it, cannot be used)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class EndedSessions(BaseModel):
    """Sessions a terminal's officers signed out of while the hub did not answer, each
    named by `token_digest` of its token (the token itself is never written down)."""

    model_config = ConfigDict(extra="forbid")

    sessions: list[Hash] = Field(min_length=1, max_length=100)


class SessionsEnded(BaseModel):
    """How many of the sessions named were this device's and still open (now ended)."""

    ended: int


class DeviceInfo(BaseModel):
    """The enrolled device a token belongs to."""

    device: str


class UsersResponse(BaseModel):
    """Every officer who has signed in on this device, as the hub holds them now."""

    users: list[UserState]


class RosterOfficer(BaseModel):
    """An officer as lists and figures name them: no PIN material, no lock, no credential."""

    collar: str
    name: str
    role: str
    team: str
    active: bool


class RosterResponse(BaseModel):
    """The officers a terminal's lists may name (see hub.roster); `digest` names this copy,
    and a terminal that sends it back as If-None-Match gets 304 while nothing changed."""

    officers: list[RosterOfficer]
    digest: str


class HeldItem(BaseModel):
    """A record the hub received but cannot file until its parent arrives."""

    id: str
    version: int
    kind: str
    waits_for: str  # "kind:id" of the missing parent
    author: str
    device: str
    since: str


class HeldResponse(BaseModel):
    held: list[HeldItem]


class PullResponse(BaseModel):
    """A page of the pull feed (its entries typed by topic: `sync.feed`)."""

    changes: list[Change]
    cursor: str
    more: bool


class WhoAmI(BaseModel):
    device: str
    collar: str
    name: str
    role: str
    team: str


class Health(BaseModel):
    """The hub is up and its database answers."""

    status: Literal["ok"]
    version: str


class AuditHead(BaseModel):
    """A terminal's audit chain head as recorded on the hub (0 entries: none synced yet)."""

    device: str
    entries: int
    hash: str


class Problem(BaseModel):
    """Every error response: a human-readable reason."""

    detail: str


class SignInProblem(Problem):
    """A refused sign-in: with wrong PINs, how many more may be given before a wait
    (`attempts_left`) and how long to wait first (`retry_after`, seconds; 429)."""

    attempts_left: int | None = None
    retry_after: int = 0
