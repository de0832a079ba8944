"""The victim's contact plan (Victims' Code) and the contacts made against it.

The plan is computed, never stored: from the attending officer's submitted first
response (the victim's contact preferences), the risk checklist (a MARAC referral) and
the case outcomes, each due contact has a key, a date and an owner (the attending
officer and their team). A contact made (`VictimContact`) answers one due contact; it
is done once a contact reached the victim, was sent in writing, or the victim declined.
Victims of domestic abuse have the Code's enhanced entitlement: key decisions within
one working day, and a referral to a support service within two working days (done at the
scene when the first response records it). Operation Encompass: each child at school or
nursery has their school told before the start of the next school day (done when the
school notification was accepted on submission).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from firstresponse.followup.outcomes import (
    NFA,
    OUTCOMES,
    not_a_recorded_time,
    outcomes_for,
    require_casework,
)
from firstresponse.followup.working_days import (
    aware,
    next_school_day_start,
    working_days_after,
)
from firstresponse.records import (
    Assessment,
    CaseOutcome,
    Incident,
    User,
    VictimContact,
    utcnow,
)
from firstresponse.security import audit
from firstresponse.store import outbox

#: Working days allowed: key decisions (enhanced entitlement) and the other offers.
KEY_DECISION_DAYS = 1
OFFER_DAYS = 5
#: Victims' Code enhanced entitlement: referral to a support service within 2 working days.
SUPPORT_REFERRAL_DAYS = 2

METHODS = {
    "phone": "Phone call",
    "text": "Text message",
    "email": "Email",
    "in_person": "In person",
    "letter": "Letter",
    "via_advocate": "Through a support worker",
}
RESULTS = {
    "spoke": "Spoke to the victim",
    "written": "Sent in writing as the victim asked",
    "declined": "Victim declined this contact",
    "message_left": "Message left (safe to do so)",
    "no_answer": "No answer, no message left",
    "unsafe": "Not safe to make contact now",
}
#: Results that complete a due contact; the others are attempts.
DONE = frozenset({"spoke", "written", "declined"})
#: Results that need a note saying why.
NOTE_NEEDED = frozenset({"declined", "unsafe"})


@dataclass
class DueContact:
    """One contact the victim is owed, with the attempts made so far."""

    key: str
    incident_id: str
    reference: str
    what: str
    due_at: datetime
    owner: str
    team: str
    method: str = ""
    safety: str = ""
    attempts: list[VictimContact] = field(default_factory=list)
    done_at: datetime | None = None  # done by what was recorded at the scene

    @property
    def done(self) -> bool:
        return self.done_at is not None or any(a.outcome in DONE for a in self.attempts)

    def overdue(self, now: datetime) -> bool:
        return not self.done and aware(now) > self.due_at


def plan(
    incident: Incident,
    first_response: Assessment | None,
    risk: Assessment | None,
    outcomes: list[CaseOutcome],
    contacts: list[VictimContact],
    team_of: dict[str, str],
) -> list[DueContact]:
    """The due contacts of one case, soonest first. Pure."""
    if first_response is None:
        return []
    answers = first_response.answers
    attended = aware(first_response.submitted_at or first_response.updated_at)
    owner = first_response.author
    common: dict[str, Any] = {
        "incident_id": incident.id,
        "reference": incident.reference,
        "owner": owner,
        "team": team_of.get(owner, ""),
        "method": str(answers.get("contact_method") or ""),
        "safety": str(answers.get("contact_safety") or ""),
    }
    dues = [
        DueContact(
            "initial",
            what="Update: what happens next, crime reference, Victims' Code and support",
            due_at=working_days_after(attended, KEY_DECISION_DAYS),
            **common,
        )
    ]
    dues += _scene_dues(answers, risk, attended, common)
    if answers.get("arrested") == "yes":
        dues.append(
            DueContact(
                "arrest",
                what="Key stage: suspect arrested; tell the victim of release, bail or charge",
                due_at=working_days_after(attended, KEY_DECISION_DAYS),
                **common,
            )
        )
    if incident.crime_recorded:
        dues.append(
            DueContact(
                "vps",
                what="Offer a Victim Personal Statement",
                due_at=working_days_after(attended, OFFER_DAYS),
                **common,
            )
        )
        dues.append(
            DueContact(
                "special_measures",
                what="Discuss special measures for giving evidence",
                due_at=working_days_after(attended, OFFER_DAYS),
                **common,
            )
        )
    if risk is not None and risk.answers.get("marac_referral") == "yes":
        referred = aware(risk.submitted_at or risk.updated_at)
        dues.append(
            DueContact(
                "marac",
                what="Tell the victim of the MARAC referral and what it means",
                due_at=working_days_after(referred, KEY_DECISION_DAYS),
                **common,
            )
        )
    for outcome in outcomes:
        label = OUTCOMES.get(outcome.outcome, outcome.outcome)
        what = f"Key decision: {label}"
        if outcome.outcome in NFA:
            what += "; explain the Victims' Right to Review"
        dues.append(
            DueContact(
                f"outcome:{outcome.id}",
                what=what,
                due_at=working_days_after(aware(outcome.decided_at), KEY_DECISION_DAYS),
                **common,
            )
        )
    by_key: dict[str, list[VictimContact]] = {}
    for contact in sorted(contacts, key=lambda c: aware(c.made_at)):
        by_key.setdefault(contact.due_key, []).append(contact)
    for due in dues:
        due.attempts = by_key.get(due.key, [])
    return sorted(dues, key=lambda d: (d.due_at, d.key))


def _accepted(referral: str, *rows: dict[str, Any]) -> bool:
    """Whether a referral was accepted in any of these answer sets (`_referrals`)."""
    for answers in rows:
        chosen = answers.get("_referrals")
        if isinstance(chosen, dict) and (chosen.get(referral) or {}).get("accepted") is True:
            return True
    return False


def _scene_dues(
    answers: dict[str, Any], risk: Assessment | None, attended: datetime, common: dict[str, Any]
) -> list[DueContact]:
    """The support-service referral (Victims' Code) and an Operation Encompass notice for
    each child at school, done at the scene where the first response records it."""
    actions = answers.get("safeguarding_actions")
    referred = isinstance(actions, list) and "support_referral" in actions
    dues = [
        DueContact(
            "support_referral",
            what="Referral to a support service (Victims' Code: within 2 working days)",
            due_at=working_days_after(attended, SUPPORT_REFERRAL_DAYS),
            done_at=attended if referred else None,
            **common,
        )
    ]
    told = _accepted("school_notification", answers, risk.answers if risk else {})
    children = answers.get("children") if isinstance(answers.get("children"), list) else []
    for n, child in enumerate(c for c in children or [] if isinstance(c, dict)):
        if child.get("at_school") != "yes" or child.get("connected") == "recorded_in_error":
            continue
        name, school = child.get("name") or f"child {n + 1}", child.get("school") or "school"
        dues.append(
            DueContact(
                f"encompass:{child.get('_id') or n}",
                what=f"Operation Encompass: tell {school} about {name} before the school day",
                due_at=next_school_day_start(attended),
                done_at=attended if told else None,
                **common,
            )
        )
    return dues


def _latest(rows: list[Assessment]) -> dict[str, Assessment]:
    found: dict[str, Assessment] = {}
    for row in rows:
        held = found.get(row.incident_id or "")
        if held is None or row.version > held.version:
            found[row.incident_id or ""] = row
    return found


def all_plans(db: Session, incident_ids: list[str] | None = None) -> list[DueContact]:
    """Every due contact on this terminal (or of these incidents), done or not."""
    query = select(Assessment).where(
        col(Assessment.checklist_id).in_(["first_response", "risk"]),
        Assessment.status == "submitted",
    )
    if incident_ids is not None:
        query = query.where(col(Assessment.incident_id).in_(incident_ids))
    rows = list(db.exec(query))
    first = _latest([r for r in rows if r.checklist_id == "first_response"])
    risk = _latest([r for r in rows if r.checklist_id == "risk"])
    ids = sorted(first)
    incidents = {i.id: i for i in db.exec(select(Incident).where(col(Incident.id).in_(ids)))}
    outcomes = outcomes_for(db, ids)
    contacts: dict[str, list[VictimContact]] = {i: [] for i in ids}
    for c in db.exec(select(VictimContact).where(col(VictimContact.incident_id).in_(ids))):
        contacts[c.incident_id].append(c)
    team_of = {u.collar: u.team for u in db.exec(select(User))}
    return [
        due
        for iid in ids
        if iid in incidents
        for due in plan(
            incidents[iid], first[iid], risk.get(iid), outcomes[iid], contacts[iid], team_of
        )
    ]


def due_contacts(
    db: Session,
    now: datetime,
    *,
    owner: str = "",
    team: str = "",
    overdue_only: bool = False,
) -> list[DueContact]:
    """Contacts still owed: one officer's, one team's, or all; overdue first, then soonest."""
    found = [
        d
        for d in all_plans(db)
        if not d.done
        and (not owner or d.owner == owner)
        and (not team or d.team == team)
        and (not overdue_only or d.overdue(now))
    ]
    return sorted(found, key=lambda d: (not d.overdue(now), d.due_at, d.reference, d.key))


class ContactRefused(ValueError):
    """The contact cannot be recorded as given; the message says why."""


def record_contact(
    db: Session,
    user: User,
    due: DueContact,
    method: str,
    result: str,
    note: str = "",
    made_at: datetime | None = None,
) -> VictimContact:
    """Store one contact or attempt against a due contact, audited and queued for the hub."""
    require_casework(user)
    now = utcnow()
    made_at = made_at or now
    problems = []
    if method not in METHODS:
        problems.append("choose how the contact was made")
    if result not in RESULTS:
        problems.append("choose what happened")
    if result in NOTE_NEEDED and not note.strip():
        problems.append(f"say why ({RESULTS[result].lower()})")
    if not_a_recorded_time(made_at, now):
        problems.append("the contact time must be a UTC time not in the future")
    if problems:
        raise ContactRefused("; ".join(problems))
    row = VictimContact(
        incident_id=due.incident_id,
        due_key=due.key,
        made_at=made_at,
        method=method,
        outcome=result,
        made_by=user.collar,
        note=note.strip(),
    )
    outbox.enqueue_record(db, row)
    audit.record(
        db, user.collar, "victim_contact.recorded", "incident", due.incident_id,
        due=due.key, result=result, late=made_at > due.due_at,
    )  # fmt: skip
    return row


def made_within(due: DueContact) -> timedelta | None:
    """How long after the due date the contact was done (negative if early), if done."""
    if due.done_at is not None:
        return aware(due.done_at) - due.due_at
    done = [a for a in due.attempts if a.outcome in DONE]
    return aware(done[0].made_at) - due.due_at if done else None
