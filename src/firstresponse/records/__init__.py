"""SQLModel tables and their invariants. Importing this package registers every table of
both roles (a table on one role's databases only says so: `records.roles`)."""

from firstresponse.records import hub, lookup, terminal  # noqa: F401  (their tables)
from firstresponse.records.assessments import Assessment, DipSample, Review
from firstresponse.records.base import canonical_json, content_hash, new_id, utcnow
from firstresponse.records.followup import (
    CaseOutcome,
    DvdsApplication,
    DvdsStep,
    HighRiskReview,
    OrderOutcome,
    VictimContact,
)
from firstresponse.records.incidents import Assignment, Child, Decision, Incident
from firstresponse.records.kinds import Kind, kind_of
from firstresponse.records.links import PersonLink
from firstresponse.records.people import Person, PersonAlias, PersonMarker, ProtectiveOrder
from firstresponse.records.roles import table_of
from firstresponse.records.system import AuditEvent, HubVersion, Notification, OutboxItem, User
from firstresponse.records.warrants import Warrant
from firstresponse.vocab import (
    Grade,
    Marker,
    OrderKind,
    RecordStatus,
    Relationship,
    RiskLevel,
    Role,
)

__all__ = [
    "Assessment",
    "Assignment",
    "AuditEvent",
    "CaseOutcome",
    "Child",
    "Decision",
    "DipSample",
    "DvdsApplication",
    "DvdsStep",
    "Grade",
    "HighRiskReview",
    "HubVersion",
    "Incident",
    "Kind",
    "Marker",
    "Notification",
    "OrderKind",
    "OrderOutcome",
    "OutboxItem",
    "Person",
    "PersonAlias",
    "PersonLink",
    "PersonMarker",
    "ProtectiveOrder",
    "RecordStatus",
    "Relationship",
    "Review",
    "RiskLevel",
    "Role",
    "User",
    "VictimContact",
    "Warrant",
    "canonical_json",
    "content_hash",
    "kind_of",
    "new_id",
    "table_of",
    "utcnow",
]
