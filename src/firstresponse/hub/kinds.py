"""The record kinds the hub accepts (records.kinds), who may push each, and their bodies.

Every kind declares its fields (its table's columns): a body with any other field is
refused by name, whatever its size, before anything in it is read further. A terminal
newer than its hub that sends a field the hub does not know has that record quarantined
with the field named, until the hub is upgraded (hubs are upgraded before terminals).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, create_model
from sqlmodel import SQLModel

from firstresponse.records import User, table_of
from firstresponse.records.kinds import MODELS, Kind, fields_of
from firstresponse.security.permissions import Action, allowed


@dataclass(frozen=True)
class KindSpec:
    """One kind of envelope: its record table and the actions any one of which allows a push."""

    name: Kind
    model: type[SQLModel]
    actions: frozenset[Action]
    body: type[BaseModel] = field(init=False, repr=False, compare=False)
    fields: frozenset[str] = field(init=False, repr=False, compare=False)
    columns: tuple[str, ...] = field(init=False, repr=False, compare=False)
    parents: tuple[tuple[str, str], ...] = field(init=False, repr=False, compare=False)
    table: str = field(init=False, repr=False, compare=False)  # the record table's name

    def __post_init__(self) -> None:
        table: Any = table_of(self.model)
        parents = tuple((fk.parent.name, fk.column.table.name) for fk in table.foreign_keys)
        object.__setattr__(self, "body", body_model(self.model))
        object.__setattr__(self, "fields", fields_of(self.name))
        object.__setattr__(self, "columns", tuple(column.name for column in table.columns))
        object.__setattr__(self, "parents", parents)  # (column, table it refers to)
        object.__setattr__(self, "table", str(table.name))

    def values(self, record: BaseModel) -> dict[str, Any]:
        """The record's column values, for a core INSERT or UPDATE."""
        return {name: getattr(record, name) for name in self.columns}

    def unknown(self, body: dict[str, Any]) -> str:
        """The fields of `body` this kind does not declare, named (at most a few), or ""."""
        extra = sorted(str(name)[:40] for name in body.keys() - self.fields)
        if not extra:
            return ""
        named = ", ".join(extra[:UNKNOWN_NAMED])
        more = f" and {len(extra) - UNKNOWN_NAMED:,} more" if len(extra) > UNKNOWN_NAMED else ""
        return f"unknown field{'s' if len(extra) > 1 else ''} {named}{more}"


def body_model(model: type[SQLModel]) -> type[BaseModel]:
    """A plain pydantic model with the table model's fields and validation, refusing any
    field the table does not declare (nothing unvalidated is stored on the hub).

    Validating into a table model goes through SQLAlchemy's instrumentation and costs
    over ten times as much; the fields, defaults, constraints and messages are the same.
    """
    fields: Any = {name: (info.annotation, info) for name, info in model.model_fields.items()}
    strict = ConfigDict(extra="forbid")
    return create_model(f"{model.__name__}Body", __config__=strict, **fields)


UNKNOWN_NAMED = 5  # unknown fields named in a refusal; the rest are counted

_FIELD_WORK = frozenset({Action.TAKE_CALL, Action.GRADE_CALL, Action.ATTEND})

_CASEWORK = frozenset({Action.ATTEND, Action.REVIEW})

#: Who may push each kind. The hub's rules on content (who may decide a DVDS disclosure,
#: whose incident a record is) are in `authorise` and the domain modules.
PUSHERS: dict[Kind, frozenset[Action]] = {
    Kind.PERSON: _FIELD_WORK,
    Kind.MARKER: _FIELD_WORK | {Action.AMEND_RECORD},
    Kind.PERSON_LINK: frozenset({Action.LINK_RECORDS}),
    Kind.INCIDENT: _FIELD_WORK,
    Kind.CHILD: _FIELD_WORK,
    Kind.ORDER: frozenset({Action.ATTEND}),  # made at the scene
    Kind.ASSESSMENT: _FIELD_WORK | {Action.SUBMIT_CHECKLIST, Action.AMEND_RECORD, Action.REVIEW},
    Kind.DECISION: _FIELD_WORK | {Action.OVERRIDE_GRADE_FLOOR, Action.REVIEW},
    Kind.ASSIGNMENT: frozenset({Action.TAKE_CALL, Action.DIP_SAMPLE}),
    Kind.REVIEW: frozenset({Action.REVIEW}),
    Kind.HIGH_RISK_REVIEW: frozenset({Action.REVIEW}),
    Kind.CASE_OUTCOME: _CASEWORK,
    Kind.ORDER_OUTCOME: _CASEWORK,  # a hearing or bail outcome, by whoever learns it
    Kind.VICTIM_CONTACT: _CASEWORK,
    Kind.DVDS_APPLICATION: _CASEWORK | {Action.TAKE_CALL},
    Kind.DVDS_STEP: _CASEWORK | {Action.TAKE_CALL},
    Kind.NOTIFICATION: frozenset({Action.SYNC}),
    Kind.AUDIT: frozenset({Action.SYNC}),
}

#: Every kind, parents before children (records.kinds.MODELS), so one batch can carry a
#: person, their incident and its children.
KINDS: dict[str, KindSpec] = {
    kind: KindSpec(kind, model, PUSHERS[kind]) for kind, model in MODELS.items()
}
ORDER = {name: rank for rank, name in enumerate(KINDS)}


_MAY_PUSH: dict[tuple[str, bool, bool, str], bool] = {}  # (role, active, locked, kind): few


def may_push(user: User, spec: KindSpec) -> bool:
    """Whether the officer's role (while active and unlocked) allows pushing this kind;
    asked for every record of a push, so remembered per role and kind."""
    key = (user.role, bool(user.active), bool(user.locked), spec.name)
    found = _MAY_PUSH.get(key)
    if found is None:
        found = _MAY_PUSH[key] = any(allowed(user, action) for action in spec.actions)
    return found
