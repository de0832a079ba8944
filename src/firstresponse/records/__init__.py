"""SQLModel tables and their invariants. Importing this package registers every table."""

from firstresponse.records.assessments import Assessment, DipSample, Review
from firstresponse.records.base import canonical_json, content_hash, new_id, utcnow
from firstresponse.records.incidents import Assignment, Child, Decision, Incident
from firstresponse.records.links import PersonLink
from firstresponse.records.people import Person, PersonAlias, PersonMarker, ProtectiveOrder
from firstresponse.records.system import AuditEvent, Notification, OutboxItem, User
from firstresponse.vocab import (
    Grade,
    Marker,
    OrderKind,
    RecordStatus,
    Relationship,
    RiskLevel,
    Role,
)
from firstresponse.records.warrants import Warrant

__all__ = [
    "Assessment",
    "Assignment",
    "AuditEvent",
    "Child",
    "Decision",
    "DipSample",
    "Grade",
    "Incident",
    "Marker",
    "Notification",
    "OrderKind",
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
    "Warrant",
    "canonical_json",
    "content_hash",
    "new_id",
    "utcnow",
]
