"""The record kinds the hub accepts: their table, who may push them, and storage order."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import SQLModel

from firstresponse.records import (
    Assessment,
    Assignment,
    AuditEvent,
    Child,
    Decision,
    Incident,
    Notification,
    Person,
    Review,
    User,
)
from firstresponse.security.permissions import Action, allowed


@dataclass(frozen=True)
class KindSpec:
    """One kind of envelope: its record table and the actions any one of which allows a push."""

    name: str
    model: type[SQLModel]
    actions: frozenset[Action]


_FIELD_WORK = frozenset({Action.TAKE_CALL, Action.GRADE_CALL, Action.ATTEND})

# Parents before children, so one batch can carry a person, their incident and its children.
KINDS: dict[str, KindSpec] = {
    spec.name: spec
    for spec in (
        KindSpec("person", Person, _FIELD_WORK),
        KindSpec("incident", Incident, _FIELD_WORK),
        KindSpec("child", Child, _FIELD_WORK),
        KindSpec(
            "assessment",
            Assessment,
            _FIELD_WORK | {Action.SUBMIT_CHECKLIST, Action.AMEND_RECORD, Action.REVIEW},
        ),
        KindSpec("decision", Decision, _FIELD_WORK | {Action.OVERRIDE_GRADE_FLOOR, Action.REVIEW}),
        KindSpec("assignment", Assignment, frozenset({Action.TAKE_CALL, Action.DIP_SAMPLE})),
        KindSpec("review", Review, frozenset({Action.REVIEW})),
        KindSpec("notification", Notification, frozenset({Action.SYNC})),
        KindSpec("audit", AuditEvent, frozenset({Action.SYNC})),
    )
}
ORDER = {name: rank for rank, name in enumerate(KINDS)}


def may_push(user: User, spec: KindSpec) -> bool:
    return any(allowed(user, action) for action in spec.actions)
