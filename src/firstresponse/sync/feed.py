"""The pull feed's entries, typed once for the hub that writes them and the terminals
that file them.

An entry is a `Change` of one topic, and each topic has its body:

- `lookup`: one record (`RecordBody`: its kind, its fields, the people and incident it
  names where the reader may not hold them), or a batch of them from a history import
  (`BatchBody`, kind "batch"), told apart by `kind`;
- `briefing`: what an attending officer needs offline (`BriefingBody`);
- `assignment`: who attends (`AssignmentBody`).

Every body may say the version the hub holds of each record it carries (`versions`).
A record travels as its fields (`Record`); the terminal validates it with its kind's
table model as it files it (sync.pull).

On the wire a body is exactly what was given to it: the fields set, and any a newer hub
adds, with its keys sorted as the hub stores them (`canonical_json`), so terminals of
every release read the same bytes.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    SerializerFunctionWrapHandler,
    Tag,
    TypeAdapter,
    model_serializer,
)

#: A record's fields as the hub stores them (`hub.feed.dump`).
Record = dict[str, Any]
#: The kind of a lookup entry carrying many records.
BATCH = "batch"


class Body(BaseModel):
    """What every body has: the hub's version of each record it carries (none from hubs
    before versions were told)."""

    model_config = ConfigDict(extra="allow")

    versions: dict[str, Any] = Field(default_factory=dict)

    @model_serializer(mode="wrap")
    def _as_given(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        given = self.model_fields_set | set(self.model_extra or {})
        return {key: data[key] for key in sorted(data) if key in given}


class RecordBody(Body):
    """One record on the lookup topic, with the people and incident it names (a body
    naming no kind this release files is read, and filed as nothing)."""

    kind: str = ""
    record: Record = Field(default_factory=dict)
    people: list[Record] = Field(default_factory=list)
    incident: Record | None = None


class BatchBody(Body):
    """Records from a history import: the people they name, then each record as its own
    entry would carry it."""

    kind: Literal["batch"]
    people: list[Record] = Field(default_factory=list)
    records: list[RecordBody] = Field(default_factory=list)


def _lookup_kind(body: Any) -> str:
    kind = body.get("kind") if isinstance(body, dict) else getattr(body, "kind", None)
    return BATCH if kind == BATCH else "record"


LookupBody = Annotated[
    Annotated[BatchBody, Tag(BATCH)] | Annotated[RecordBody, Tag("record")],
    Discriminator(_lookup_kind),
]


class BriefingBody(Body):
    """What an attending officer needs offline: the incident, its people and children."""

    assignment_id: str = ""
    grade: str = ""
    briefing: dict[str, Any] = Field(default_factory=dict)
    incident: Record | None = None
    people: list[Record] = Field(default_factory=list)
    children: list[Record] = Field(default_factory=list)


class AssignmentBody(Body):
    """Who attends an incident."""

    assignment: Record = Field(default_factory=dict)


class _Entry(BaseModel):
    cursor: str
    record_id: str


class LookupChange(_Entry):
    topic: Literal["lookup"]
    body: LookupBody


class BriefingChange(_Entry):
    topic: Literal["briefing"]
    body: BriefingBody


class AssignmentChange(_Entry):
    topic: Literal["assignment"]
    body: AssignmentBody


#: One entry of the pull feed, by its topic.
Change = Annotated[LookupChange | BriefingChange | AssignmentChange, Field(discriminator="topic")]
Topic = Literal["assignment", "briefing", "lookup"]
_CHANGE: TypeAdapter[Change] = TypeAdapter(Change)
_LOOKUP: TypeAdapter[LookupBody] = TypeAdapter(LookupBody)


def change(cursor: str, topic: str, record_id: str, body: Any) -> Change:
    """The entry of `topic` whose body is `body` (a dict, as stored, or a body)."""
    if isinstance(body, Body):
        body = body.model_dump()
    return _CHANGE.validate_python(
        {"cursor": cursor, "topic": topic, "record_id": record_id, "body": body}
    )


def lookup_body(body: dict[str, Any]) -> BatchBody | RecordBody:
    """A lookup entry's body, typed."""
    return _LOOKUP.validate_python(body)
