"""Submission: refuse while anything is missing; otherwise write everything at once.

On submit the assessments (now immutable), one `Child` row per child entry, a
`Decision` for every protection-reducing choice, and the incident's outcome go to the
outbox in the same transaction as the records, most urgent first: high risk, then
anything with children. An amendment is a new assessment version with a reason.

`prepare` reads the drafts and evaluates each once into a frozen `Submission` (drafts,
evaluations, referral choices, problems); `submit_in` refuses it or writes it.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect
from sqlmodel import Session, col, select

from firstresponse.attendance.drafts import (
    FIRST_RESPONSE,
    RISK,
    answered_by_officer,
    draft_for,
    drafts_for,
    submitted_for,
)
from firstresponse.attendance.orders import marac_referred, orders_made
from firstresponse.attendance.referrals import ReferralChoice, decided, referral_choices
from firstresponse.checklist import Checklist, Evaluation, evaluate, reason_key
from firstresponse.checklist.paths import parse_path
from firstresponse.records import (
    Assessment,
    Assignment,
    Child,
    Decision,
    Incident,
    Notification,
    ProtectiveOrder,
    RecordStatus,
    Relationship,
    RiskLevel,
    User,
    new_id,
    utcnow,
)
from firstresponse.security import audit
from firstresponse.security.permissions import Action, require
from firstresponse.store import Store
from firstresponse.store.outbox import (
    PRIORITY_CHILD,
    PRIORITY_HIGH_RISK,
    PRIORITY_NORMAL,
    enqueue_record,
)

#: The attended incident's version when the hub's is not known (an incident pulled from a
#: hub that did not say it, or before terminals kept it): the call handler's terminal sends
#: versions 1 (taken) and 2 (graded, and restricted if THRIVE found a workforce suspect).
ATTENDED_VERSION = 3
#: A child's version when the hub's is not known: the call handler's terminal sent it as 1.
PULLED_CHILD_VERSION = 2
#: Group entries a decision can be about, and the answer that names the entry.
ENTRY_NAMES = {"children": ("name", "Child"), "orders_in_force": ("order", "Order")}
#: Decision kinds several questions share: the reason is prefixed with the question.
#: A child's `connected` answer removing a child the call recorded (a `child_removed` decision).
REMOVED = "recorded_in_error"
LABELLED_DECISIONS = {"evidence_not_gathered", "referral_declined", "contradicts_earlier"}


class SubmissionRefused(Exception):
    """Something required is missing; `problems` lists each in plain English."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _officer(db: Session, collar: str, action: Action) -> User:
    """The signed-in officer, if their role allows `action` (checked here, not in the UI)."""
    user = db.exec(select(User).where(User.collar == collar)).first()
    return require(user, action)


def _started(db: Session, incident_id: str, author: str) -> list[Assessment]:
    """The officer's drafts with at least one answer. An opened form nobody has answered is
    ignored; one holding the children carried over from the call is not."""
    return [
        d for d in drafts_for(db, incident_id, author) if d.replaces_id or answered_by_officer(d)
    ]


def _checklist(checklists: dict[str, Checklist], row: Assessment) -> Checklist:
    found = checklists.get(row.checklist_id)
    if found is None:
        raise KeyError(f"checklist {row.checklist_id!r} is not loaded")
    return found


@dataclass(frozen=True)
class PreparedDraft:
    """One draft to submit, evaluated once: its checklist, evaluation and referrals."""

    row: Assessment
    checklist: Checklist
    evaluation: Evaluation
    referrals: tuple[ReferralChoice, ...]

    @property
    def name(self) -> str:
        """The checklist's title as problems name it ("First response", not "... checklist")."""
        return self.checklist.title.removesuffix(" checklist")


@dataclass(frozen=True)
class Submission:
    """Everything a submission works out, once: the officer's drafts (each evaluated), the
    checklists already submitted, the risk evaluation (the risk draft's, else the submitted
    risk checklist's) and every problem that stops it."""

    drafts: tuple[PreparedDraft, ...]
    submitted: Mapping[str, Assessment]
    risk: Evaluation | None
    problems: tuple[str, ...]

    def draft(self, checklist_id: str) -> PreparedDraft | None:
        return next((d for d in self.drafts if d.row.checklist_id == checklist_id), None)


def prepare(
    db: Session,
    incident_id: str,
    author: str,
    checklists: dict[str, Checklist],
    facts: dict[str, Any] | None = None,
) -> Submission:
    """Read the officer's drafts and the submitted checklists once, evaluate each draft once
    and find every problem: what `submit_in` writes, or refuses with."""
    submitted = submitted_for(db, incident_id)
    drafts: list[PreparedDraft] = []
    for row in _started(db, incident_id, author):
        cl = _checklist(checklists, row)
        ev = evaluate(cl, row.answers, facts)
        choices = tuple(referral_choices(row, cl, facts, evaluation=ev))
        drafts.append(PreparedDraft(row, cl, ev, choices))
    risk = next((d.evaluation for d in drafts if d.row.checklist_id == RISK), None)
    if risk is None and RISK in submitted:
        risk = evaluate(checklists[RISK], submitted[RISK].answers, facts)
    problems = tuple(_problems(drafts, submitted))
    return Submission(tuple(drafts), submitted, risk, problems)


def _problems(drafts: list[PreparedDraft], submitted: Mapping[str, Assessment]) -> list[str]:
    if not drafts:
        return ["Nothing to submit: open the first response checklist first"]
    by_id = {d.row.checklist_id: d.row for d in drafts}
    made = decided(choice for d in drafts for choice in d.referrals)
    problems: list[str] = []
    if FIRST_RESPONSE not in by_id and FIRST_RESPONSE not in submitted:
        problems.append("The first response checklist has not been started")
    for draft in drafts:
        ev, name = draft.evaluation, draft.name
        problems += [f"{name}: {i.message}" for i in ev.missing_required]
        problems += [f"{name}: reason needed: {i.message}" for i in ev.missing_reasons]
        problems += [f"{name}: {i.message}" for i in ev.errors]
        problems += [f"{name}: {c.problem(made)}" for c in draft.referrals if c.problem(made)]
        if draft.row.replaces_id and not draft.row.amendment_reason.strip():
            problems.append(f"{name}: an amendment needs its reason")
    first = by_id.get(FIRST_RESPONSE) or submitted.get(FIRST_RESPONSE)
    done = first is not None and first.answers.get("risk_checklist_done") == "yes"
    if done and RISK not in by_id and RISK not in submitted:
        problems.append("The risk checklist is marked as done but has not been started")
    return problems


def submission_problems(
    db: Session,
    incident_id: str,
    author: str,
    checklists: dict[str, Checklist],
    facts: dict[str, Any] | None = None,
) -> list[str]:
    """Everything that stops the officer's drafts for this incident being submitted."""
    return list(prepare(db, incident_id, author, checklists, facts).problems)


def _yes(value: Any) -> bool | None:
    return {"yes": True, "no": False}.get(value) if isinstance(value, str) else None


def _child_rows(
    db: Session, incident_id: str, answers: dict[str, Any], ev: Evaluation, cl: Checklist
) -> list[Child]:
    """One Child per visible entry; each entry keeps its record id in `_id`."""
    entries = answers.get("children")
    if "children" not in ev.visible or not isinstance(entries, list):
        return []
    group = cl.item("children")
    location = group.child("location") if group else None
    rows = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        entry.setdefault("_id", new_id())
        child = db.get(Child, entry["_id"]) or Child(
            id=entry["_id"], incident_id=incident_id, name=""
        )
        age = entry.get("age")
        keys = ("connected", "seen", "spoken_to")
        reasons = [str(entry.get(reason_key(key)) or "").strip() for key in keys]
        if entry.get("connected") == REMOVED:
            reasons[0] = f"Recorded in error: {reasons[0]}"
        child.name = str(entry.get("name") or "").strip()
        child.age = age if isinstance(age, int) and not isinstance(age, bool) else None
        child.school = str(entry.get("school") or "") if entry.get("at_school") == "yes" else ""
        where = entry.get("location")
        child.where_during = location.option_label(where) if location and where else ""
        child.seen = _yes(entry.get("seen"))
        child.spoken_to = _yes(entry.get("spoken_to"))
        child.reason = "; ".join(r for r in reasons if r)
        rows.append(child)
    return rows


def _in_incident(children: list[Child]) -> list[Child]:
    """The children still part of the incident (not removed as recorded in error)."""
    return [c for c in children if not c.reason.startswith("Recorded in error")]


def _decision_reason(
    need_item: str, reason: str, answers: dict[str, Any], kind: str, label: str
) -> str:
    """The reason text, naming what it is about: the child, the order, or (for a kind
    several items share, such as evidence not gathered) the question."""
    path = parse_path(need_item)
    group, index = path.group, path.index
    if group is not None and index is not None and group in ENTRY_NAMES:
        entries = answers.get(group) or []
        entry = entries[index] if index < len(entries) and isinstance(entries[index], dict) else {}
        key, noun = ENTRY_NAMES[group]
        name = str(entry.get(key) or "").strip() or f"{noun} {index + 1}"
        return f"{name}: {reason}"
    if kind in LABELLED_DECISIONS and label:
        return f"{label}: {reason}"
    return reason


def _earlier_decisions(db: Session, row: Assessment) -> set[tuple[str, str]]:
    """(kind, reason) of decisions already recorded against versions this one replaces."""
    seen: set[tuple[str, str]] = set()
    replaced = row.replaces_id
    while replaced:
        for d in db.exec(select(Decision).where(Decision.assessment_id == replaced)):
            seen.add((d.kind, d.reason))
        older = db.get(Assessment, replaced)
        replaced = older.replaces_id if older else None
    return seen


def _decisions(db: Session, draft: PreparedDraft, author: str) -> list[Decision]:
    row = draft.row
    wanted: list[tuple[str, str]] = []
    for need in draft.evaluation.decisions:
        wanted.append(
            (
                need.kind,
                _decision_reason(need.item, need.reason, row.answers, need.kind, need.label),
            )
        )
    for choice in draft.referrals:
        if choice.accepted is False and not choice.item:
            wanted.append(("referral_declined", f"{choice.label}: {choice.reason}"))
    earlier = _earlier_decisions(db, row)
    out, seen = [], set()
    for kind, reason in wanted:
        if (kind, reason) in earlier or (kind, reason) in seen:
            continue
        seen.add((kind, reason))
        out.append(
            Decision(
                incident_id=row.incident_id,
                assessment_id=row.id,
                kind=kind,
                reason=reason,
                made_by=author,
            )
        )
    return out


def _referral_notices(
    db: Session, draft: PreparedDraft, children: list[Child]
) -> list[Notification]:
    """A notice for each accepted referral (children's services, school ...), once per
    incident: the receiving agency's queue, carried to the hub like any record."""
    row = draft.row
    notes = []
    for choice in draft.referrals:
        if choice.accepted is not True:
            continue
        exists = db.exec(
            select(Notification).where(
                Notification.kind == "referral",
                Notification.recipient == choice.id,
                Notification.subject_id == (row.incident_id or ""),
            )
        ).first()
        if exists is not None:
            continue
        lines = [f"{choice.label}: {choice.why}"]
        lines += [
            f"Child: {c.name}, age {c.age if c.age is not None else 'unknown'}"
            + (f", {c.school}" if c.school else "")
            for c in children
        ]
        notes.append(
            Notification(
                kind="referral",
                recipient=choice.id,
                subject_kind="incident",
                subject_id=row.incident_id or "",
                body="\n".join(lines),
            )
        )
    return notes


#: The first-response relationship answer -> the incident's relationship vocabulary.
RELATIONSHIPS = {
    "married_civil": Relationship.SPOUSE,
    "agreed_to_marry": Relationship.AGREED_TO_MARRY,
    "intimate": Relationship.PARTNER,
    "ex_intimate": Relationship.EX_PARTNER,
    "shared_child": Relationship.SHARED_PARENT,
    "child_to_parent": Relationship.CHILD_TO_PARENT,
    "relative": Relationship.FAMILY_MEMBER,
    "not_connected": Relationship.NOT_CONNECTED,
}


def _outcome(incident: Incident, first: dict[str, Any] | None, risk: str | None) -> None:
    """The incident's outcome fields. Crime recording is the officer's own answer (Home
    Office Counting Rules), never derived from the arrest decision."""
    if risk:
        incident.risk_level = risk
    if first is not None:
        recorded = first.get("crime_recorded")
        if recorded in ("yes", "no"):
            incident.crime_recorded = recorded == "yes"
        grounds = first.get("grounds_for_arrest")
        if grounds == "yes" and first.get("arrested") in ("yes", "no"):
            incident.arrest_made = first.get("arrested") == "yes"
        elif grounds == "no":
            incident.arrest_made = False
        relationship = RELATIONSHIPS.get(first.get("relationship") or "")
        if relationship is not None:
            incident.relationship = relationship.value
    incident.status = "attended"


def _orders(
    db: Session, incident: Incident, answers: dict[str, Any], risk: dict[str, Any], priority: int
) -> None:
    """Orders made at or after the scene and a MARAC referral, as order records in the
    outbox (see `orders`)."""
    on = _day_of(incident.occurred_at)
    for order in orders_made(incident, answers, on) + marac_referred(incident, risk, on):
        held = db.get(ProtectiveOrder, order.id)
        if held is not None:
            if held.model_dump() == order.model_dump():
                continue
            for name, value in order.model_dump().items():
                setattr(held, name, value)
            order = held
        enqueue_record(db, order, priority=priority)


def _day_of(value: Any) -> Any:
    """The calendar day of a datetime (a date is returned as it is)."""
    return value.date() if hasattr(value, "date") else value


def submit(
    store: Store,
    incident_id: str,
    author: str,
    checklists: dict[str, Checklist],
    facts: dict[str, Any] | None = None,
) -> list[Assessment]:
    """Submit the officer's drafts for an incident, or raise `SubmissionRefused`."""
    with store.session() as db:
        return submit_in(db, incident_id, author, checklists, facts)


def submit_in(
    db: Session,
    incident_id: str,
    author: str,
    checklists: dict[str, Checklist],
    facts: dict[str, Any] | None = None,
) -> list[Assessment]:
    """`submit` inside the caller's transaction (nothing is written if it raises)."""
    officer = _officer(db, author, Action.SUBMIT_CHECKLIST)
    prepared = prepare(db, incident_id, author, checklists, facts)
    if prepared.problems:
        raise SubmissionRefused(list(prepared.problems))
    incident = db.get(Incident, incident_id)
    if incident is None:
        raise KeyError(f"no incident {incident_id}")
    return _write(db, prepared, incident, officer, author)


def _write(
    db: Session, prepared: Submission, incident: Incident, officer: User, author: str
) -> list[Assessment]:
    """Write a prepared submission: nothing here evaluates a draft or reads the drafts."""
    drafts = [d.row for d in prepared.drafts]
    risk_ev = prepared.risk
    levels = (
        {risk_ev.computed.get("risk_level"), risk_ev.computed.get("computed_risk_level")}
        if risk_ev
        else set()
    )
    high = RiskLevel.HIGH.value in levels
    first_prepared = prepared.draft(FIRST_RESPONSE)
    first = first_prepared.row if first_prepared else None
    answers = copy.deepcopy(first.answers) if first else None
    children: list[Child] = []
    if first_prepared is not None and first is not None and answers is not None:
        children = _child_rows(
            db, incident.id, answers, first_prepared.evaluation, first_prepared.checklist
        )
        first.answers = answers
    risk_children = risk_ev is not None and "child_present" in risk_ev.flags
    has_children = bool(_in_incident(children)) or risk_children
    priority = PRIORITY_HIGH_RISK if high else PRIORITY_CHILD if has_children else PRIORITY_NORMAL

    now = utcnow()
    for prepared_draft in prepared.drafts:
        draft, cl, ev = prepared_draft.row, prepared_draft.checklist, prepared_draft.evaluation
        decisions = _decisions(db, prepared_draft, author)
        draft.status = RecordStatus.SUBMITTED
        draft.submitted_at = now
        draft.updated_at = now
        draft.checklist_version, draft.checklist_hash = cl.version, cl.hash
        draft.result = ev.as_dict()
        enqueue_record(db, draft, priority=priority, floor=draft.version)
        for decision in decisions:
            enqueue_record(db, decision, priority=priority)
        for note in _referral_notices(db, prepared_draft, _in_incident(children)):
            enqueue_record(db, note, priority=priority)
        audit.record(
            db,
            author,
            "submit_assessment",
            "assessment",
            draft.id,
            checklist=draft.checklist_id,
            version=draft.version,
        )
    for child in children:  # one the store held came from the call (see next_version)
        floor = PULLED_CHILD_VERSION if inspect(child).persistent else 1
        enqueue_record(db, child, priority=priority, floor=floor)
    from firstresponse.people.needs import save_needs  # needs found on scene become markers

    for draft in drafts:
        save_needs(db, officer, incident.victim_id, draft.answers, "scene")

    final_risk = risk_ev.computed.get("risk_level") if risk_ev else None
    _outcome(incident, answers if first else None, final_risk)
    risk_draft = next((d for d in drafts if d.checklist_id == RISK), None)
    _orders(db, incident, answers or {}, risk_draft.answers if risk_draft else {}, priority)
    enqueue_record(db, incident, priority=priority, floor=ATTENDED_VERSION)
    for assignment in db.exec(
        select(Assignment).where(
            Assignment.incident_id == incident.id,
            col(Assignment.assignee).in_([author, officer.team] if officer.team else [author]),
        )
    ):
        assignment.status = "attended"
        db.add(assignment)
    return drafts


def start_amendment(store: Store, assessment_id: str, author: str, reason: str) -> Assessment:
    """A new draft version of a submitted assessment, carrying the reason for amending."""
    if not reason.strip():
        raise ValueError("an amendment needs a reason")
    with store.session() as db:
        _officer(db, author, Action.AMEND_RECORD)
        old = db.get(Assessment, assessment_id)
        if old is None or old.status != RecordStatus.SUBMITTED:
            raise ValueError("only a submitted assessment can be amended")
        newer = db.exec(select(Assessment).where(Assessment.replaces_id == old.id)).first()
        if newer is not None and newer.status == RecordStatus.DRAFT:
            return newer
        if newer is not None:
            raise ValueError("a newer version exists: amend that one")
        pending = draft_for(db, old.incident_id or "", old.checklist_id, author)
        if pending is not None:
            raise ValueError("an unsubmitted draft of this checklist exists: submit it first")
        draft = Assessment(
            incident_id=old.incident_id,
            checklist_id=old.checklist_id,
            checklist_version=old.checklist_version,
            checklist_hash=old.checklist_hash,
            answers=copy.deepcopy(old.answers),
            result=copy.deepcopy(old.result),
            version=old.version + 1,
            replaces_id=old.id,
            amendment_reason=reason.strip(),
            author=author,
        )
        db.add(draft)
        audit.record(
            db, author, "amend_assessment", "assessment", draft.id, replaces=old.id, reason=reason
        )
        return draft
