"""The record kinds the hub accepts: their table, who may push them, and storage order."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, create_model
from sqlmodel import SQLModel

from firstresponse.records import (
    Assessment,
    Assignment,
    AuditEvent,
    CaseOutcome,
    Child,
    Decision,
    DvdsApplication,
    DvdsStep,
    HighRiskReview,
    Incident,
    Notification,
    Person,
    PersonLink,
    PersonMarker,
    ProtectiveOrder,
    Review,
    User,
    VictimContact,
)
from firstresponse.security.permissions import Action, allowed


@dataclass(frozen=True)
class KindSpec:
    """One kind of envelope: its record table and the actions any one of which allows a push."""

    name: str
    model: type[SQLModel]
    actions: frozenset[Action]
    body: type[BaseModel] = field(init=False, repr=False, compare=False)
    columns: tuple[str, ...] = field(init=False, repr=False, compare=False)
    parents: tuple[tuple[str, str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        table: Any = self.model.__table__  # type: ignore[attr-defined]
        parents = tuple((fk.parent.name, fk.column.table.name) for fk in table.foreign_keys)
        object.__setattr__(self, "body", body_model(self.model))
        object.__setattr__(self, "columns", tuple(column.name for column in table.columns))
        object.__setattr__(self, "parents", parents)  # (column, table it refers to)

    @property
    def table(self) -> str:
        return str(self.model.__tablename__)

    def values(self, record: BaseModel) -> dict[str, Any]:
        """The record's column values, for a core INSERT or UPDATE."""
        return {name: getattr(record, name) for name in self.columns}


def body_model(model: type[SQLModel]) -> type[BaseModel]:
    """A plain pydantic model with the table model's fields and validation.

    Validating into a table model goes through SQLAlchemy's instrumentation and costs
    over ten times as much; the fields, defaults, constraints and messages are the same.
    """
    fields: Any = {name: (info.annotation, info) for name, info in model.model_fields.items()}
    return create_model(f"{model.__name__}Body", **fields)


_FIELD_WORK = frozenset({Action.TAKE_CALL, Action.GRADE_CALL, Action.ATTEND})

_CASEWORK = frozenset({Action.ATTEND, Action.REVIEW})

#: After the submit key (see records.followup): who may push each kind. The hub's rules
#: on content (who may decide a DVDS disclosure) are in the domain modules.
FOLLOWUP_KINDS = (
    KindSpec("highriskreview", HighRiskReview, frozenset({Action.REVIEW})),
    KindSpec("caseoutcome", CaseOutcome, _CASEWORK),
    KindSpec("victimcontact", VictimContact, _CASEWORK),
    KindSpec("dvdsapplication", DvdsApplication, _CASEWORK | {Action.TAKE_CALL}),
    KindSpec("dvdsstep", DvdsStep, _CASEWORK | {Action.TAKE_CALL}),
)

# Parents before children, so one batch can carry a person, their incident and its children.
KINDS: dict[str, KindSpec] = {
    spec.name: spec
    for spec in (
        KindSpec("person", Person, _FIELD_WORK),
        KindSpec("marker", PersonMarker, _FIELD_WORK | {Action.AMEND_RECORD}),
        KindSpec("person_link", PersonLink, frozenset({Action.LINK_RECORDS})),
        KindSpec("incident", Incident, _FIELD_WORK),
        KindSpec("child", Child, _FIELD_WORK),
        KindSpec("order", ProtectiveOrder, frozenset({Action.ATTEND})),  # made at the scene
        KindSpec(
            "assessment",
            Assessment,
            _FIELD_WORK | {Action.SUBMIT_CHECKLIST, Action.AMEND_RECORD, Action.REVIEW},
        ),
        KindSpec("decision", Decision, _FIELD_WORK | {Action.OVERRIDE_GRADE_FLOOR, Action.REVIEW}),
        KindSpec("assignment", Assignment, frozenset({Action.TAKE_CALL, Action.DIP_SAMPLE})),
        KindSpec("review", Review, frozenset({Action.REVIEW})),
        *FOLLOWUP_KINDS,
        KindSpec("notification", Notification, frozenset({Action.SYNC})),
        KindSpec("audit", AuditEvent, frozenset({Action.SYNC})),
    )
}
ORDER = {name: rank for rank, name in enumerate(KINDS)}


def may_push(user: User, spec: KindSpec) -> bool:
    return any(allowed(user, action) for action in spec.actions)
