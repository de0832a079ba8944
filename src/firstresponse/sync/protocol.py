"""The wire protocol between terminals and the hub (pydantic models, shared by both ends).

Headers on every request: `X-Device-Token` (from `firstresponse devices enrol`),
`X-Collar` and `X-Pin` (the signed-in officer). An envelope's `content_hash` is the
SHA-256 of the canonical JSON of its `body` (records.base.content_hash).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

API = "/v1"
DEVICE_HEADER = "X-Device-Token"
COLLAR_HEADER = "X-Collar"
PIN_HEADER = "X-Pin"
MAX_BATCH = 500
MAX_BODY_BYTES = 10 * 1024 * 1024  # the largest request body the hub reads (413 beyond)

RecordId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]
Kind = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[a-z_]+$")]
Version = Annotated[int, Field(ge=1, le=1_000_000)]
Hash = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Cursor = Annotated[str, Field(max_length=40, pattern=r"^(|\d{1,18}\.\d{1,18})$")]

ItemStatus = Literal["accepted", "duplicate", "conflict", "rejected"]
Topic = Literal["assignment", "briefing", "lookup"]


class Envelope(BaseModel):
    """One record version on its way to the hub."""

    model_config = ConfigDict(extra="forbid")

    id: RecordId
    kind: Kind
    version: Version = 1
    content_hash: Hash
    body: dict[str, Any]


class PushRequest(BaseModel):
    """A batch of envelopes, acknowledged item by item."""

    model_config = ConfigDict(extra="forbid")

    envelopes: list[Envelope] = Field(max_length=MAX_BATCH)


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


class PushResponse(BaseModel):
    results: list[ItemResult]


class Change(BaseModel):
    """One entry of the pull feed."""

    cursor: str
    topic: Topic
    record_id: str
    body: dict[str, Any]


class PullResponse(BaseModel):
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
