"""Authorisation by content: every role x kind x ownership cell, and the hub's own notices.

`own`   - a new record of the officer's own (on an incident they opened), or an amendment,
          decision, review or feedback of their own;
`team`  - a record of their team's work: on an incident assigned to their team, or a new
          version of a team-mate's record (a supervisor marking a decision reviewed);
`other` - another officer's record or another team's incident.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from firstresponse.hub.authorise import Holding, IncidentFacts, authorise
from firstresponse.hub.kinds import KINDS
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
    OrderOutcome,
    Person,
    PersonLink,
    PersonMarker,
    ProtectiveOrder,
    Review,
    User,
    VictimContact,
)

AT = datetime(2026, 3, 1, 9, tzinfo=UTC)
OFFICERS = {
    "call_handler": User(collar="CH1001", name="T", role="call_handler", team="Control"),
    "responder": User(collar="PC2001", name="T", role="responder", team="Response A"),
    "supervisor": User(collar="SG3001", name="T", role="supervisor", team="Response A"),
    "admin": User(collar="AD4001", name="T", role="admin"),
}
MATE = {"call_handler": "CH1002", "responder": "PC2003", "supervisor": "SG3002", "admin": "AD4002"}
ALLOWED = {  # (role, kind) -> the ownerships allowed; every other cell is refused
    ("call_handler", "person"): {"own"},
    ("call_handler", "incident"): {"own"},
    ("call_handler", "child"): {"own"},
    ("call_handler", "assessment"): {"own"},
    ("call_handler", "decision"): {"own"},
    ("call_handler", "assignment"): {"own"},
    ("call_handler", "notification"): {"own"},
    ("call_handler", "audit"): {"own"},
    ("responder", "person"): {"own"},
    ("responder", "incident"): {"own", "team"},
    ("responder", "child"): {"own", "team"},
    ("responder", "order"): {"own", "team"},
    ("responder", "assessment"): {"own", "team"},
    ("responder", "decision"): {"own", "team"},
    ("responder", "notification"): {"own", "team"},
    ("responder", "audit"): {"own"},
    ("supervisor", "assessment"): {"own"},
    ("supervisor", "decision"): {"own", "team"},
    ("supervisor", "review"): {"own"},
    ("supervisor", "notification"): {"own"},
    ("supervisor", "audit"): {"own"},
    # after the submit key: written once; outcomes and contacts on the officer's incidents
    ("supervisor", "highriskreview"): {"own"},
    ("responder", "caseoutcome"): {"own", "team"},
    ("supervisor", "caseoutcome"): {"own", "team"},
    ("responder", "orderoutcome"): {"own", "team"},
    ("supervisor", "orderoutcome"): {"own", "team"},
    ("responder", "victimcontact"): {"own", "team"},
    ("supervisor", "victimcontact"): {"own", "team"},
    ("call_handler", "dvdsapplication"): {"own"},
    ("responder", "dvdsapplication"): {"own"},
    ("supervisor", "dvdsapplication"): {"own"},
    ("call_handler", "dvdsstep"): {"own"},
    ("responder", "dvdsstep"): {"own"},
    ("supervisor", "dvdsstep"): {"own", "team"},
    ("call_handler", "marker"): {"own", "team"},
    ("responder", "marker"): {"own", "team"},
    ("supervisor", "marker"): {"own", "team"},
    ("call_handler", "person_link"): {"own", "team"},
    ("supervisor", "person_link"): {"own", "team"},
    ("admin", "person_link"): {"own", "team"},
}


def holding(user: User) -> Holding:
    """The hub holds: the officer's own incident, a call assigned to their team (opened by
    another call handler), another team's incident, and records of other officers."""
    found = Holding(now=AT)
    found.incidents = {
        "i-own": IncidentFacts(user.collar, False),
        "i-team": IncidentFacts("CH1009", False),
        "i-other": IncidentFacts("CH1009", False),
    }
    found.assignees["i-team"] = {user.team or "nobody"}
    found.assignees["i-other"] = {"PC2002"}
    return found


def _existing(found: Holding, record: Any, owner: str) -> Any:
    """Make `record` one the hub already holds, first written by `owner`."""
    found.owners[record.id] = owner
    found.newest[record.id] = record.model_dump(mode="json")
    return record.model_copy()


def build(kind: str, ownership: str, role: str, found: Holding) -> Any:
    user = OFFICERS[role]
    me, mate = user.collar, MATE[role]
    incident = {"own": "i-own", "team": "i-team", "other": "i-other"}[ownership]
    if kind == "person":
        person = Person(id="p-1", forename="Ada", surname="Example")
        return person if ownership == "own" else _existing(found, person, mate)
    if kind == "marker":  # own: a new marker; team: ending a mate's; other: rewriting it
        marker = PersonMarker(id="m-1", person_id="p-1", marker="language_need")
        if ownership == "own":
            return marker
        marker.recorded_by = mate
        changed = _existing(found, marker, mate)
        if ownership == "team":
            changed.ended_at, changed.end_reason = AT, "Interpreter no longer needed"
        else:
            changed.note = "rewritten"
        return changed
    if kind == "person_link":  # own: a decision; team: undoing a mate's; other: forged actor
        link = PersonLink(id="l-1", person_id="p-1", other_id="p-2", decided_by="")
        if ownership == "own":
            return link
        link.decided_by = mate
        changed = _existing(found, link, mate)
        changed.status = "unlinked"
        changed.decided_by = "" if ownership == "team" else mate
        return changed
    if kind == "incident":
        if ownership == "own":
            return Incident(id="i-new", reference="R-1", occurred_at=AT, victim_id="p")
        stored = Incident(
            id=incident, reference="R-2", occurred_at=AT, victim_id="p", created_by="CH1009"
        )
        changed = _existing(found, stored, "CH1009")
        changed.summary = "overwritten"
        return changed
    if kind == "child":
        return Child(id="c-1", incident_id=incident, name="Child A", age=6)
    if kind == "order":
        return ProtectiveOrder(id="o-1", kind="dvpn", subject_id="p", incident_id=incident)
    if kind == "assessment":
        answers = {"id": "a-1", "checklist_id": "risk", "checklist_version": "1"}
        if role == "supervisor":  # a supervisor amends; a team-mate's draft is not theirs
            if ownership == "own":
                return Assessment(**answers, incident_id="i-team", checklist_hash="h",
                                  replaces_id="a-0")  # fmt: skip
            draft = Assessment(**answers, incident_id=incident, checklist_hash="h", author=mate)
            return _existing(found, draft, mate)
        if ownership == "other":
            draft = Assessment(**answers, incident_id=incident, checklist_hash="h", author=mate)
            return _existing(found, draft, mate)
        return Assessment(**answers, incident_id=incident, checklist_hash="h")
    if kind == "decision":
        if role == "supervisor" and ownership != "own":
            made = Decision(id="d-1", incident_id=incident, kind="no_arrest", reason="r",
                            made_by=mate)  # fmt: skip
            changed = _existing(found, made, mate)
            if ownership == "team":
                changed.reviewed = True  # marks it reviewed: allowed
            else:
                changed.reason = "rewritten"  # rewrites the officer's reason: refused
            return changed
        return Decision(id="d-1", incident_id=incident, kind="no_arrest", reason="because")
    if kind == "assignment":
        if ownership == "team":  # another call handler's assignment
            sent = Assignment(id="as-1", incident_id="i-team", assignee="PC2001")
            changed = _existing(found, sent, mate)
            changed.assignee = "PC2002"
            return changed
        return Assignment(id="as-1", incident_id=incident, assignee="PC2001")
    if kind == "review":
        review = Review(id="rv-1", subject_kind="incident", subject_id="i-team", reviewer="")
        if ownership == "own":
            return review
        review.reviewer = mate
        changed = _existing(found, review, mate)
        changed.outcome = "changed"
        return changed
    if kind == "notification":
        if role == "supervisor":
            found.owners["rv-9"] = me if ownership == "own" else mate
            return Notification(id="n-1", kind="feedback", recipient="PC2001",
                                subject_kind="review", subject_id="rv-9")  # fmt: skip
        return Notification(id="n-1", kind="referral", recipient="childrens_services",
                            subject_kind="incident", subject_id=incident)  # fmt: skip
    if kind in FOLLOWUP:
        return _followup(kind, ownership, role, found, incident, mate)
    assert kind == "audit"
    actor = {"own": "", "team": mate, "other": "SG3999"}[ownership]
    return AuditEvent(id="e-1", actor=actor, action="view", subject_kind="person")


FOLLOWUP = {
    "highriskreview", "caseoutcome", "orderoutcome", "victimcontact", "dvdsapplication",
    "dvdsstep",
}  # fmt: skip


def _followup(
    kind: str, ownership: str, role: str, found: Holding, incident: str, mate: str
) -> Any:
    """own: a new record; team: a new one on the team's incident (a supervisor's DVDS
    decision); other: another incident, or a new version of a team-mate's record."""
    new: dict[str, Any] = {
        "highriskreview": lambda: HighRiskReview(
            id="hr-1", incident_id="i-team", reviewer="", submitted_at=AT, due_by=AT,
            level_before="high", decision="confirm", level_after="high", reason="r",
        ),
        "caseoutcome": lambda: CaseOutcome(
            id="co-1", incident_id=incident, outcome="charged", decided_at=AT
        ),
        "orderoutcome": lambda: OrderOutcome(
            id="oo-1", order_id="o-1", incident_id=incident, outcome="granted",
            outcome_on=AT.date(), decided_at=AT,
        ),
        "victimcontact": lambda: VictimContact(
            id="vc-1", incident_id=incident, due_key="initial", made_at=AT, method="phone",
            outcome="spoke", made_by="",
        ),
        "dvdsapplication": lambda: DvdsApplication(
            id="da-1", reference="D-1", route="right_to_ask", received_at=AT,
            victim_name="V", subject_name="S",
        ),
        "dvdsstep": lambda: DvdsStep(
            id="ds-1", application_id="da-1", step="decision" if ownership == "team" else "meeting",
            done_at=AT, outcome="disclosed" if ownership == "team" else "",
        ),
    }  # fmt: skip
    record = new[kind]()
    mine = ownership == "own" or (
        ownership == "team" and kind in {"caseoutcome", "orderoutcome", "victimcontact", "dvdsstep"}
    )
    if mine or (
        ownership == "other"
        and kind in {"caseoutcome", "orderoutcome", "victimcontact"}
        and role != "supervisor"
    ):
        return record
    actor = {"highriskreview": "reviewer", "caseoutcome": "decided_by",
             "orderoutcome": "decided_by", "victimcontact": "made_by",
             "dvdsapplication": "created_by", "dvdsstep": "done_by"}[kind]  # fmt: skip
    setattr(record, actor, mate)
    changed = _existing(found, record, mate)
    if hasattr(changed, "reason"):
        changed.reason = "rewritten"
    return changed


CELLS = [
    (role, kind, ownership)
    for role in OFFICERS
    for kind in KINDS
    for ownership in ("own", "team", "other")
]


@pytest.mark.parametrize(("role", "kind", "ownership"), CELLS)
def test_matrix(role: str, kind: str, ownership: str) -> None:
    found = holding(OFFICERS[role])
    record = KINDS[kind].body.model_validate(build(kind, ownership, role, found).model_dump())
    verdict = authorise(OFFICERS[role], kind, record, 1, found)
    expected = ownership in ALLOWED.get((role, kind), set())
    assert verdict.allowed is expected, verdict.reason
    if not expected:
        assert verdict.reason  # a refusal always says why


def test_actors_and_times_are_the_hubs() -> None:
    user = OFFICERS["responder"]
    found = holding(user)
    decision = KINDS["decision"].body.model_validate(
        Decision(
            id="d-9",
            incident_id="i-own",
            kind="no_arrest",
            reason="r",
            made_at=datetime(2020, 1, 1, tzinfo=UTC),
        ).model_dump()
    )
    assert authorise(user, "decision", decision, 1, found).allowed
    assert (decision.made_by, decision.made_at) == ("PC2001", AT)
    event = KINDS["audit"].body.model_validate(
        AuditEvent(id="e-9", actor="", action="view").model_dump()
    )
    assert authorise(user, "audit", event, 1, found).allowed and event.actor == "PC2001"
    forged = KINDS["audit"].body.model_validate(
        AuditEvent(id="e-8", actor="SG3001", action="view").model_dump()
    )
    verdict = authorise(user, "audit", forged, 1, found)
    assert not verdict.allowed and "SG3001" in verdict.reason


def test_a_restricted_incident_cannot_be_unrestricted_by_its_own_officer() -> None:
    user = OFFICERS["call_handler"]
    found = holding(user)
    found.incidents["i-own"].restricted = True
    record = KINDS["incident"].body.model_validate(
        Incident(
            id="i-own",
            reference="R",
            occurred_at=AT,
            victim_id="p",
            created_by="CH1001",
            restricted=False,
        ).model_dump()
    )
    verdict = authorise(user, "incident", record, 2, found)
    assert not verdict.allowed and "restricted" in verdict.reason


def test_a_record_on_an_incident_the_hub_has_not_seen_waits_to_be_judged() -> None:
    user = OFFICERS["responder"]
    found = holding(user)
    child = KINDS["child"].body.model_validate(
        Child(id="c-2", incident_id="i-later", name="Child B").model_dump()
    )
    verdict = authorise(user, "child", child, 1, found)
    assert verdict.allowed and verdict.undecided
