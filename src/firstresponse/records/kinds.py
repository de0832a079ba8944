"""The kinds of record a terminal sends the hub: one name for each table, on the wire.

An outbox envelope, the hub's ingest and its feed name a record by its kind. The kind of
a record follows from its type (`kind_of`), so no caller spells it out; the names are
those stored in outbox rows and spoken by the hub protocol, and never change. Each kind
declares its fields (`fields_of`): its table's columns.
"""

from __future__ import annotations

from enum import StrEnum

from sqlmodel import SQLModel

from firstresponse.records.assessments import Assessment, Review
from firstresponse.records.followup import (
    CaseOutcome,
    DvdsApplication,
    DvdsStep,
    HighRiskReview,
    OrderOutcome,
    VictimContact,
)
from firstresponse.records.incidents import Assignment, Child, Decision, Incident
from firstresponse.records.links import PersonLink
from firstresponse.records.people import Person, PersonMarker, ProtectiveOrder
from firstresponse.records.system import AuditEvent, Notification


class Kind(StrEnum):
    """A record kind by its wire name (a `str`, so it compares equal to the name)."""

    PERSON = "person"
    MARKER = "marker"
    PERSON_LINK = "person_link"
    INCIDENT = "incident"
    CHILD = "child"
    ORDER = "order"
    ORDER_OUTCOME = "orderoutcome"
    ASSESSMENT = "assessment"
    DECISION = "decision"
    ASSIGNMENT = "assignment"
    REVIEW = "review"
    HIGH_RISK_REVIEW = "highriskreview"
    CASE_OUTCOME = "caseoutcome"
    VICTIM_CONTACT = "victimcontact"
    DVDS_APPLICATION = "dvdsapplication"
    DVDS_STEP = "dvdsstep"
    NOTIFICATION = "notification"
    AUDIT = "audit"


#: Each kind's table, parents before children: one batch can carry a person, their
#: incident and its children, and the hub stores a batch in this order.
MODELS: dict[Kind, type[SQLModel]] = {
    Kind.PERSON: Person,
    Kind.MARKER: PersonMarker,
    Kind.PERSON_LINK: PersonLink,
    Kind.INCIDENT: Incident,
    Kind.CHILD: Child,
    Kind.ORDER: ProtectiveOrder,
    Kind.ORDER_OUTCOME: OrderOutcome,
    Kind.ASSESSMENT: Assessment,
    Kind.DECISION: Decision,
    Kind.ASSIGNMENT: Assignment,
    Kind.REVIEW: Review,
    Kind.HIGH_RISK_REVIEW: HighRiskReview,
    Kind.CASE_OUTCOME: CaseOutcome,
    Kind.VICTIM_CONTACT: VictimContact,
    Kind.DVDS_APPLICATION: DvdsApplication,
    Kind.DVDS_STEP: DvdsStep,
    Kind.NOTIFICATION: Notification,
    Kind.AUDIT: AuditEvent,
}

#: The follow-through kinds (records.followup): the hub sends them on the lookup topic.
FOLLOWUP = frozenset(
    {
        Kind.HIGH_RISK_REVIEW,
        Kind.CASE_OUTCOME,
        Kind.ORDER_OUTCOME,
        Kind.VICTIM_CONTACT,
        Kind.DVDS_APPLICATION,
        Kind.DVDS_STEP,
    }
)

_BY_NAME: dict[str, type[SQLModel]] = {kind.value: model for kind, model in MODELS.items()}
_BY_MODEL: dict[type[SQLModel], Kind] = {model: kind for kind, model in MODELS.items()}
_BY_TABLE: dict[str, Kind] = {str(model.__tablename__): kind for kind, model in MODELS.items()}


def kind_of(record: SQLModel) -> Kind:
    """The kind of `record`; a TypeError for a table the hub does not take (a user)."""
    kind = _BY_MODEL.get(type(record))
    if kind is None:
        raise TypeError(f"{type(record).__name__} is not a record kind the hub takes")
    return kind


def fields_of(kind: str) -> frozenset[str]:
    """The fields a record of `kind` has on the wire: its table's columns, and no others
    (the hub refuses any other by name; an unknown kind has none)."""
    model = _BY_NAME.get(kind)
    return frozenset(model.model_fields) if model is not None else frozenset()


def model_of(kind: str) -> type[SQLModel] | None:
    """The table of a kind named on the wire (None for a name that is no kind)."""
    return _BY_NAME.get(kind)


def kind_of_table(table: str) -> Kind | None:
    """The kind stored in `table` (the hub names a missing parent by its table)."""
    return _BY_TABLE.get(table)
