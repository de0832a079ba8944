"""Authorisation by content: may this officer write this record, judged by what it says.

Called by ingest for every new record version with the officer it is written as (today the
signed-in officer; later the record's attested author). The role gate of `kinds` comes
first, then ownership read from what the hub already holds (`Holding`), never from the
terminal's claims:

- a responder writes incidents they opened or that are assigned to them or their team,
  and their children, assessments, decisions and the orders made at the scene; a call
  handler writes the calls they opened, their children, THRIVE and safety assessments,
  decisions and assignments;
  a supervisor writes reviews, amendments, and marks decisions reviewed;
- nobody writes a new version of another officer's record (their draft included), except
  the narrow changes the workflows make: an assigned responder completing an incident or
  its children, a supervisor marking a decision reviewed, an officer acknowledging the
  feedback addressed to them;
- the actor of an audit event, decision, review, assessment or new incident is the
  officer (a blank one is filled in, a different one refused); decision and review times
  are the hub's;
- notifications to professional standards and the duty inspector are raised by the hub
  (`notices`), never taken from a terminal.

A record whose incident the hub has not seen yet is let through to wait for it and is
judged again, as the same officer, when the incident arrives (`undecided`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from firstresponse.followup.dvds import SUPERVISOR_STEPS
from firstresponse.hub.id_lists import in_ids
from firstresponse.hub.kinds import KINDS, may_push
from firstresponse.hub.models import HubEnvelope
from firstresponse.records import (
    Assignment,
    Decision,
    Incident,
    Kind,
    Review,
    User,
    table_of,
    utcnow,
)
from firstresponse.vocab import Role

HUB_QUEUES = frozenset({"psd", "inspector"})  # raised by the hub only (hub.notices)
TERMINAL_NOTICES = frozenset({"referral", "feedback"})
_ENVELOPES: Any = table_of(HubEnvelope)
_INCIDENTS: Any = table_of(Incident)
_ASSIGNMENTS: Any = table_of(Assignment)
#: Each incident's owner, restriction and assignees (one row per assignee, or one with none).
_INCIDENT_FACTS = (
    select(
        _INCIDENTS.c.id, _INCIDENTS.c.created_by, _INCIDENTS.c.restricted, _ASSIGNMENTS.c.assignee
    )
    .select_from(_INCIDENTS.outerjoin(_ASSIGNMENTS, _ASSIGNMENTS.c.incident_id == _INCIDENTS.c.id))
    .where(in_ids(_INCIDENTS.c.id))
)
_TIMES: dict[str, tuple[Any, str]] = {
    Kind.DECISION: (table_of(Decision), "made_at"),
    Kind.REVIEW: (table_of(Review), "created_at"),
}
#: (field set on acknowledging, the officer it is addressed to) of the kinds an officer
#: acknowledges.
ACKNOWLEDGED: dict[str, tuple[str, str]] = {
    Kind.REVIEW: ("acknowledged_at", "officer"),
    Kind.HIGH_RISK_REVIEW: ("acknowledged_at", "officer"),
    Kind.NOTIFICATION: ("read_at", "recipient"),
}
ACTORS: dict[str, str] = {
    Kind.MARKER: "recorded_by",
    Kind.AUDIT: "actor",
    Kind.DECISION: "made_by",
    Kind.REVIEW: "reviewer",
    Kind.ASSESSMENT: "author",
    Kind.HIGH_RISK_REVIEW: "reviewer",
    Kind.CASE_OUTCOME: "decided_by",
    Kind.ORDER_OUTCOME: "decided_by",
    Kind.VICTIM_CONTACT: "made_by",
    Kind.DVDS_APPLICATION: "created_by",
    Kind.DVDS_STEP: "done_by",
}


Rule = Callable[[User, Any, int, "Holding"], "Verdict"]
"""A kind's rule on content: may this officer write this version (`authorise`)."""


@dataclass
class IncidentFacts:
    """Who an incident belongs to, as the hub holds it."""

    created_by: str
    restricted: bool


@dataclass
class Holding:
    """What the hub holds about the records a batch touches, read once per batch."""

    incidents: dict[str, IncidentFacts] = field(default_factory=dict)
    assignees: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    owners: dict[str, str] = field(default_factory=dict)  # record id -> its first version's officer
    newest: dict[str, dict[str, Any]] = field(default_factory=dict)  # record id -> newest body
    times: dict[str, datetime] = field(default_factory=dict)  # record id -> the hub's time
    now: datetime = field(default_factory=utcnow)


@dataclass(frozen=True)
class Verdict:
    """`reason` is why the record is refused ("" when allowed); `undecided` when it waits
    for an incident the hub has not seen and must be judged again when it arrives."""

    reason: str = ""
    undecided: bool = False

    @property
    def allowed(self) -> bool:
        return not self.reason


ALLOWED = Verdict()
UNDECIDED = Verdict(undecided=True)


def incident_of(kind: str, record: Any) -> str | None:
    """The incident a record belongs to (its own id for an incident)."""
    if kind == Kind.INCIDENT:
        return str(record.id)
    if kind == Kind.NOTIFICATION:
        return str(record.subject_id) if record.subject_kind == "incident" else None
    value = getattr(record, "incident_id", None)
    return str(value) if value else None


def load(
    db: Session, items: list[tuple[str, Any]], envelopes: dict[tuple[str, int], Any]
) -> Holding:
    """The holding for (kind, record) pairs, given their stored envelopes (by id, version)."""
    holding = Holding()
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for (record_id, version), row in envelopes.items():
        if version < first.get(record_id, 1 << 62):
            first[record_id] = version
            holding.owners[record_id] = row.pushed_by
        if row.materialised and version > last.get(record_id, 0):
            last[record_id] = version
            holding.newest[record_id] = json.loads(row.body)
    incident_ids = sorted({i for kind, record in items if (i := incident_of(kind, record))})
    if incident_ids:
        for row in db.execute(_INCIDENT_FACTS, {"ids": incident_ids}):
            holding.incidents[row.id] = IncidentFacts(row.created_by or "", bool(row.restricted))
            if row.assignee is not None:
                holding.assignees[row.id].add(row.assignee)
    reviews = sorted(
        {r.subject_id for k, r in items if k == Kind.NOTIFICATION and r.subject_kind == "review"}
        - holding.owners.keys()
    )
    if reviews:
        query = (
            select(_ENVELOPES.c.record_id, _ENVELOPES.c.pushed_by)
            .where(in_ids(_ENVELOPES.c.record_id))
            .order_by(_ENVELOPES.c.version.desc())
        )
        holding.owners.update(tuple(row) for row in db.execute(query, {"ids": reviews}))
    for kind, (table, column) in _TIMES.items():
        ids = sorted({str(record.id) for k, record in items if k == kind})
        if ids:
            query = select(table.c.id, table.c[column]).where(in_ids(table.c.id))
            holding.times.update((row[0], row[1]) for row in db.execute(query, {"ids": ids}))
    return holding


def authorise(user: User, kind: str, record: Any, version: int, holding: Holding) -> Verdict:
    """May `user` write this version of `record`? Sets the hub's actor and times on it."""
    spec = KINDS[kind]
    if _acknowledges(user, kind, record, holding):
        return ALLOWED
    if not may_push(user, spec) or (kind == Kind.ASSIGNMENT and user.role != Role.CALL_HANDLER):
        return Verdict(f"{user.collar} ({user.role}) may not send {kind} records")
    refused = _actor(user, kind, record, holding)
    if refused:
        return Verdict(refused)
    verdict = RULES[kind](user, record, version, holding)
    if verdict.allowed:
        _settle(user, kind, record, holding)
    return verdict


def _acknowledges(user: User, kind: str, record: Any, holding: Holding) -> bool:
    """The officer a review or notification is addressed to marks it read, changing
    nothing else (whatever their role: the feedback is theirs to acknowledge)."""
    field_name, addressee = ACKNOWLEDGED.get(kind, ("", ""))
    owner = holding.owners.get(str(record.id))
    return bool(
        field_name
        and owner not in (None, user.collar)
        and getattr(record, addressee) == user.collar
        and getattr(record, field_name) is not None
        and _changes_only(record, holding, {field_name})
    )


def _actor(user: User, kind: str, record: Any, holding: Holding) -> str:
    """Why the record's actor is refused: a new record's must be the officer (a blank one
    is filled in); a later version keeps the actor of the version before it."""
    name = ACTORS.get(kind)
    if name is None:
        return ""
    claimed = getattr(record, name) or ""
    before = holding.newest.get(str(record.id))
    if before is not None:
        kept = before.get(name) or holding.owners.get(str(record.id), "")
        if not claimed:
            setattr(record, name, kept)
            return ""
        return "" if claimed == kept else f"{name} is {kept!r} on the hub and cannot change"
    if not claimed:
        setattr(record, name, user.collar)
        return ""
    return "" if claimed == user.collar else f"{name} is {claimed}, not {user.collar}"


def _settle(user: User, kind: str, record: Any, holding: Holding) -> None:
    """Remember what an allowed record makes true for the rest of its batch; set hub times."""
    record_id = str(record.id)
    holding.owners.setdefault(record_id, user.collar)
    if kind == Kind.INCIDENT and record_id not in holding.incidents:
        holding.incidents[record_id] = IncidentFacts(record.created_by, bool(record.restricted))
    if kind in _TIMES:
        column = _TIMES[kind][1]
        setattr(record, column, holding.times.setdefault(record_id, holding.now))


def _team(user: User) -> set[str]:
    return {user.collar, user.team} if user.team else {user.collar}


def _writes_incident(user: User, incident_id: str | None, holding: Holding) -> Verdict:
    """The incident is the officer's: opened by them, or assigned to them or their team."""
    if not incident_id:
        return Verdict("it must name its incident")
    facts = holding.incidents.get(incident_id)
    if facts is None:
        return UNDECIDED
    if facts.created_by == user.collar:
        return ALLOWED
    if user.role == Role.RESPONDER and holding.assignees.get(incident_id, set()) & _team(user):
        return ALLOWED
    return Verdict(f"incident {incident_id} is not {user.collar}'s or assigned to their team")


def _own_version(user: User, record: Any, holding: Holding) -> Verdict:
    """A new version of a record is written only by whoever wrote its first version."""
    owner = holding.owners.get(str(record.id))
    if owner is None or owner == user.collar:
        return ALLOWED
    return Verdict(f"this record is {owner}'s: {user.collar} may not send a new version of it")


def _instant(value: Any) -> Any:
    """An ISO time in a body as an aware datetime, a naive one taken as UTC (a terminal's
    SQLite store hands times back without their zone), else the value itself."""
    if not (isinstance(value, str) and len(value) >= 19 and value[10:11] == "T"):
        return value
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _changes_only(record: Any, holding: Holding, allowed: set[str]) -> bool:
    """True when `record` differs from the hub's newest version in `allowed` fields only
    (the same instant written with or without its zone is no change; nor is a time the hub
    sets itself, which terminals hold as the hub stored it, not as the version was sent)."""
    before = holding.newest.get(str(record.id))
    if before is None:
        return False
    if str(record.id) in holding.times:
        allowed = allowed | {column for _table, column in _TIMES.values()}
    after = record.model_dump(mode="json")
    changed = {
        name
        for name in after.keys() | before.keys()
        if _instant(after.get(name)) != _instant(before.get(name))
    }
    return changed <= allowed


def _person(user: User, record: Any, _version: int, holding: Holding) -> Verdict:
    return _own_version(user, record, holding)


def _incident(user: User, record: Any, _version: int, holding: Holding) -> Verdict:
    facts = holding.incidents.get(record.id)
    if facts is None:
        if not record.created_by:
            record.created_by = user.collar
        if record.created_by != user.collar:
            return Verdict(f"created_by is {record.created_by}, not {user.collar}")
        return ALLOWED
    verdict = _writes_incident(user, record.id, holding)
    if not verdict.allowed:
        return verdict
    if not record.created_by:
        record.created_by = facts.created_by
    if record.created_by != facts.created_by:
        return Verdict(f"created_by is {facts.created_by!r} on the hub and cannot change")
    if facts.restricted and not record.restricted:
        return Verdict("a restricted incident cannot be unrestricted from a terminal")
    return ALLOWED


def _child(user: User, record: Any, _version: int, holding: Holding) -> Verdict:
    return _writes_incident(user, record.incident_id, holding)


def _own_on_incident(user: User, record: Any, _version: int, holding: Holding) -> Verdict:
    """The officer's own record on an incident that is theirs: an assignment a call handler
    sent, an order made at the scene (a DVPN authorised, bail conditions)."""
    verdict = _own_version(user, record, holding)
    return verdict if not verdict.allowed else _writes_incident(user, record.incident_id, holding)


def _assessment(user: User, record: Any, _version: int, holding: Holding) -> Verdict:
    before = holding.newest.get(record.id)
    if before is not None and before.get("author") != user.collar:
        return Verdict(f"this assessment is {before.get('author')}'s: only they may change it")
    verdict = _own_version(user, record, holding)
    if not verdict.allowed:
        return verdict
    if user.role == Role.SUPERVISOR:
        return ALLOWED if record.replaces_id else Verdict("a supervisor sends amendments only")
    return _writes_incident(user, record.incident_id, holding)


def _decision(user: User, record: Any, _version: int, holding: Holding) -> Verdict:
    owner = holding.owners.get(record.id)
    if owner is not None and owner != user.collar:
        marks_reviewed = record.reviewed and _changes_only(record, holding, {"reviewed"})
        if user.role == Role.SUPERVISOR and marks_reviewed:
            return ALLOWED
        return Verdict(f"this decision is {owner}'s: {user.collar} may only mark it reviewed")
    if user.role == Role.SUPERVISOR:
        return ALLOWED
    return _writes_incident(user, record.incident_id, holding)


def _review(user: User, record: Any, _version: int, holding: Holding) -> Verdict:
    owner = holding.owners.get(record.id)
    if owner is not None and owner != user.collar:
        return Verdict(f"this review is {owner}'s: its officer may only acknowledge it")
    return ALLOWED


def _notification(user: User, record: Any, _version: int, holding: Holding) -> Verdict:
    if record.recipient.strip().lower() in HUB_QUEUES or record.kind not in TERMINAL_NOTICES:
        return Verdict(
            "notifications to professional standards and the duty inspector, and any but "
            "referrals and review feedback, are raised by the hub, not sent by terminals"
        )
    owner = holding.owners.get(record.id)
    if owner is not None and owner != user.collar:
        return Verdict(f"this notification is {owner}'s: its recipient may only mark it read")
    if record.kind == "feedback":
        reviewer = holding.owners.get(record.subject_id)
        if record.subject_kind != "review" or reviewer != user.collar:
            return Verdict("review feedback is sent only by the supervisor who wrote the review")
        return ALLOWED
    verdict = _writes_incident(user, incident_of(Kind.NOTIFICATION, record), holding)
    return (
        Verdict("its incident is not on the hub yet: send the incident first")
        if (verdict.undecided)
        else verdict
    )


def _audit(user: User, record: Any, _version: int, holding: Holding) -> Verdict:
    return _own_version(user, record, holding)  # the hub chains it with its own time


def _casework(user: User, record: Any, _version: int, holding: Holding) -> Verdict:
    """A case outcome or victim contact: written once, by a supervisor or an officer
    whose incident it is."""
    verdict = _own_version(user, record, holding)
    if not verdict.allowed or user.role == Role.SUPERVISOR:
        return verdict
    return _writes_incident(user, record.incident_id, holding)


def _once(user: User, record: Any, _version: int, holding: Holding) -> Verdict:
    """A same-shift review or a DVDS application: only its writer sends another version."""
    return _own_version(user, record, holding)


def _dvds_step(user: User, record: Any, version: int, holding: Holding) -> Verdict:
    if record.step in SUPERVISOR_STEPS and user.role != Role.SUPERVISOR:
        return Verdict(f"only a supervisor records a DVDS {record.step} step")
    return _own_version(user, record, holding)


def _marker(user: User, record: Any, _version: int, holding: Holding) -> Verdict:
    """A marker is added by whoever records it; a later version may only end it, as the
    officer sending it (a marker is never changed or deleted otherwise)."""
    if str(record.id) not in holding.newest:
        return ALLOWED
    if record.ended_at is None or not _changes_only(
        record, holding, {"ended_at", "ended_by", "end_reason"}
    ):
        return Verdict("a marker already held can only be ended")
    if not record.ended_by:
        record.ended_by = user.collar
    if record.ended_by != user.collar:
        return Verdict(f"ended_by is {record.ended_by}, not {user.collar}")
    return ALLOWED


def _person_link(user: User, record: Any, _version: int, _holding: Holding) -> Verdict:
    """Each decision about a pair is the sending officer's own, whoever decided before."""
    if not record.decided_by:
        record.decided_by = user.collar
    if record.decided_by != user.collar:
        return Verdict(f"decided_by is {record.decided_by}, not {user.collar}")
    return ALLOWED


RULES: dict[str, Rule] = {
    Kind.PERSON: _person,
    Kind.MARKER: _marker,
    Kind.PERSON_LINK: _person_link,
    Kind.INCIDENT: _incident,
    Kind.CHILD: _child,
    Kind.ORDER: _own_on_incident,
    Kind.ASSESSMENT: _assessment,
    Kind.DECISION: _decision,
    Kind.ASSIGNMENT: _own_on_incident,
    Kind.REVIEW: _review,
    Kind.NOTIFICATION: _notification,
    Kind.AUDIT: _audit,
    Kind.HIGH_RISK_REVIEW: _once,
    Kind.CASE_OUTCOME: _casework,
    Kind.ORDER_OUTCOME: _casework,
    Kind.VICTIM_CONTACT: _casework,
    Kind.DVDS_APPLICATION: _once,
    Kind.DVDS_STEP: _dvds_step,
}
