"""Domestic Violence Disclosure Scheme (Clare's Law): applications, steps and deadlines.

Right to Ask: someone asks about a partner's (or a friend's partner's) history. Right to
Know: the police learn that a person with a history poses a risk to a new partner. The
College of Policing's APP sets the deadlines, computed here from the steps done:

- immediate safeguarding where imminent risk is found (due at once);
- initial checks within 24 hours of the application (Right to Ask);
- a face-to-face meeting with the applicant within 10 working days of first contact;
- where the applicant is the potential victim, a full risk assessment within five
  working days (counted here from first contact, the earlier reading);
- a concern / no-concern categorisation within five working days of the meeting (Right
  to Ask) or of receiving the information (Right to Know), before the decision forum;
- the disclosure decision within 28 calendar days of the application (the 2023 statutory
  guidance): the APP stages above are steps inside it, and it runs whatever they wait on.

Each step is a `DvdsStep` written once. Only a supervisor records the categorisation and
the disclosure decision, and a decision not to disclose needs its reason.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from firstresponse.followup.outcomes import not_a_recorded_time
from firstresponse.followup.working_days import aware, working_days_after
from firstresponse.records import (
    DvdsApplication,
    DvdsStep,
    Incident,
    Person,
    User,
    utcnow,
)
from firstresponse.security import audit
from firstresponse.security.permissions import Action, allowed
from firstresponse.store import outbox

ROUTES = {"right_to_ask": "Right to Ask", "right_to_know": "Right to Know"}
STEPS = {
    "safeguarding": "Immediate safeguarding",
    "initial_checks": "Initial checks (PNC, PND, ViSOR, local intelligence)",
    "meeting": "Face-to-face meeting with the applicant",
    "risk_assessment": "Full risk assessment of the potential victim",
    "categorised": "Categorised: concern or no concern",
    "decision": "Disclosure decision",
}
#: Allowed outcomes of a step ("" means none is asked for).
STEP_OUTCOMES: dict[str, dict[str, str]] = {
    "initial_checks": {
        "progressed": "Progress the application",
        "not_progressed": "Not progressed (support details given)",
    },
    "categorised": {"concern": "Concern", "no_concern": "No concern"},
    "decision": {"disclosed": "Disclosure made", "not_disclosed": "No disclosure"},
}
#: Steps whose outcome needs a reason, by outcome.
REASON_NEEDED = {("initial_checks", "not_progressed"), ("decision", "not_disclosed")}
#: Steps only a supervisor may record.
SUPERVISOR_STEPS = frozenset({"categorised", "decision"})
INITIAL_CHECKS = timedelta(hours=24)
MEETING_DAYS = 10
RISK_DAYS = 5
CATEGORISE_DAYS = 5
#: Statutory guidance (2023): a disclosure decision within 28 days of the application.
DECISION_WITHIN = timedelta(days=28)


class DvdsRefused(ValueError):
    """The application or step cannot be recorded as given; the message says why."""


@dataclass(frozen=True)
class Deadline:
    """One step of an application: when it is due (None: waits on an earlier step)."""

    step: str
    due_at: datetime | None
    done: DvdsStep | None = None
    waits_for: str = ""

    @property
    def label(self) -> str:
        return STEPS[self.step]

    def overdue(self, now: datetime) -> bool:
        return self.done is None and self.due_at is not None and aware(now) > self.due_at

    def late(self) -> bool:
        """Done, but after it was due."""
        return (
            self.done is not None
            and self.due_at is not None
            and aware(self.done.done_at) > self.due_at
        )


def deadlines(application: DvdsApplication, steps: list[DvdsStep]) -> list[Deadline]:
    """The steps an application needs, with their due times, in order. Pure."""
    done = {s.step: s for s in sorted(steps, key=lambda s: aware(s.done_at))}
    received = aware(application.received_at)
    ask = application.route == "right_to_ask"
    checks = done.get("initial_checks")
    if checks is not None and checks.outcome == "not_progressed":
        wanted = ["initial_checks"]
    else:
        wanted = ["initial_checks", "categorised", "decision"]
        if ask:
            wanted[1:1] = ["meeting"] + (
                ["risk_assessment"] if application.applicant_is_victim else []
            )
    if application.imminent_risk:
        wanted.insert(0, "safeguarding")
    categorise_by: datetime | None = working_days_after(received, CATEGORISE_DAYS)
    waits = ""
    if ask:
        meeting = done.get("meeting")
        categorise_by = (
            working_days_after(aware(meeting.done_at), CATEGORISE_DAYS) if meeting else None
        )
        waits = "" if meeting else "meeting"
    due: dict[str, datetime | None] = {
        "safeguarding": received,
        "initial_checks": received + INITIAL_CHECKS if ask else categorise_by,
        "meeting": working_days_after(received, MEETING_DAYS),
        "risk_assessment": working_days_after(received, RISK_DAYS),
        "categorised": categorise_by,
        "decision": received + DECISION_WITHIN,
    }
    out = []
    for step in wanted:
        waiting = waits if step in {"categorised"} and due[step] is None else ""
        if step == "decision" and "categorised" not in done:
            waiting = "categorised"
        out.append(Deadline(step, due[step], done.get(step), waiting))
    return out


@dataclass
class Application:
    """An application with its steps and deadlines."""

    record: DvdsApplication
    steps: list[DvdsStep] = field(default_factory=list)

    @property
    def deadlines(self) -> list[Deadline]:
        return deadlines(self.record, self.steps)

    @property
    def closed(self) -> bool:
        return all(d.done is not None for d in self.deadlines)

    def next_due(self) -> Deadline | None:
        return next((d for d in self.deadlines if d.done is None), None)

    @property
    def outcome(self) -> str:
        """How the application ended so far, in words."""
        by_step = {s.step: s for s in self.steps}
        for step in ("decision", "categorised", "initial_checks"):
            found = by_step.get(step)
            if found is not None and found.outcome:
                said = STEP_OUTCOMES[step].get(found.outcome, found.outcome)
                return f"{said}: {found.note}" if found.note else said
        return "In progress"


def _may_log(user: User | None) -> bool:
    return any(allowed(user, a) for a in (Action.TAKE_CALL, Action.ATTEND, Action.REVIEW))


def record_application(
    db: Session,
    user: User,
    *,
    route: str,
    victim_name: str,
    subject_name: str,
    concerns: str,
    applicant_name: str = "",
    applicant_is_victim: bool = False,
    relationship: str = "",
    safe_contact: str = "",
    imminent_risk: bool = False,
    received_at: datetime | None = None,
    victim_id: str | None = None,
    subject_id: str | None = None,
    incident_id: str | None = None,
) -> DvdsApplication:
    """Log a Right to Ask or Right to Know application (call handler, officer, supervisor)."""
    if not _may_log(user):
        raise PermissionError(f"{user.collar} ({user.role}) may not log DVDS applications")
    now = utcnow()
    received_at = received_at or now
    problems = []
    if route not in ROUTES:
        problems.append("choose Right to Ask or Right to Know")
    if route == "right_to_ask" and not (applicant_name.strip() or applicant_is_victim):
        problems.append("name who is asking")
    if not victim_name.strip():
        problems.append("name the potential victim")
    if not subject_name.strip():
        problems.append("name the person the information is about")
    if not concerns.strip():
        problems.append("say why the information is sought and what the risks are")
    if route == "right_to_ask" and not safe_contact.strip():
        problems.append("record a safe way to contact the applicant")
    if not_a_recorded_time(received_at, now):
        problems.append("the time received must be a UTC time not in the future")
    for model, value, what in (
        (Person, victim_id, "potential victim"),
        (Person, subject_id, "subject"),
        (Incident, incident_id, "incident"),
    ):
        if value and db.get(model, value) is None:
            problems.append(f"the {what} is not held on this terminal")
    if problems:
        raise DvdsRefused("; ".join(problems))
    row = DvdsApplication(
        reference=f"DVDS-{received_at:%Y%m%d}-{secrets.token_hex(3).upper()}",
        route=route,
        received_at=received_at,
        applicant_name=victim_name.strip() if applicant_is_victim else applicant_name.strip(),
        applicant_is_victim=applicant_is_victim,
        victim_name=victim_name.strip(),
        victim_id=victim_id,
        subject_name=subject_name.strip(),
        subject_id=subject_id,
        relationship=relationship.strip(),
        concerns=concerns.strip(),
        safe_contact=safe_contact.strip(),
        imminent_risk=imminent_risk,
        incident_id=incident_id,
        created_by=user.collar,
        team=user.team,
    )
    outbox.enqueue_record(db, row, priority=_priority(row))
    audit.record(
        db, user.collar, "dvds.application", "dvds", row.id, route=route, imminent=imminent_risk
    )
    return row


def _priority(row: DvdsApplication) -> int:
    return outbox.PRIORITY_HIGH_RISK if row.imminent_risk else outbox.PRIORITY_NORMAL


def record_step(
    db: Session,
    user: User,
    application: DvdsApplication,
    step: str,
    outcome: str = "",
    note: str = "",
    done_at: datetime | None = None,
) -> DvdsStep:
    """Record one step done, once. A disclosure shows in the subject's and the potential
    victim's history wherever the step has reached (lookup.disclosures)."""
    now = utcnow()
    done_at = done_at or now
    held = load(db, application.id)
    wanted = {d.step: d for d in held.deadlines} if held else {}
    problems = []
    if step in SUPERVISOR_STEPS and not allowed(user, Action.REVIEW):
        raise PermissionError(f"only a supervisor may record: {STEPS[step].lower()}")
    if step not in SUPERVISOR_STEPS and not _may_log(user):
        raise PermissionError(f"{user.collar} ({user.role}) may not record DVDS steps")
    if step not in wanted:
        problems.append(f"this application does not need the step {step!r}")
    elif wanted[step].done is not None:
        problems.append(f"{STEPS[step].lower()} is already recorded")
    elif wanted[step].waits_for:
        problems.append(f"record {STEPS[wanted[step].waits_for].lower()} first")
    choices = STEP_OUTCOMES.get(step, {})
    if choices and outcome not in choices:
        problems.append(f"choose an outcome ({', '.join(choices.values())})")
    if not choices and outcome:
        problems.append("this step has no outcome to choose")
    if (step, outcome) in REASON_NEEDED and not note.strip():
        problems.append("give the reason")
    if not_a_recorded_time(done_at, now):
        problems.append("the time done must be a UTC time not in the future")
    if problems:
        raise DvdsRefused("; ".join(problems))
    row = DvdsStep(
        application_id=application.id,
        step=step,
        done_at=done_at,
        done_by=user.collar,
        outcome=outcome,
        note=note.strip(),
    )
    outbox.enqueue_record(db, row, priority=_priority(application))
    audit.record(db, user.collar, "dvds.step", "dvds", application.id, step=step, outcome=outcome)
    return row


def load(db: Session, application_id: str) -> Application | None:
    record = db.get(DvdsApplication, application_id)
    if record is None:
        return None
    steps = db.exec(select(DvdsStep).where(DvdsStep.application_id == application_id))
    return Application(record, list(steps))


def applications(db: Session, now: datetime, include_closed: bool = False) -> list[Application]:
    """Applications, open ones first by their next deadline (overdue first)."""
    records = list(db.exec(select(DvdsApplication)))
    steps: dict[str, list[DvdsStep]] = {r.id: [] for r in records}
    for s in db.exec(select(DvdsStep)):
        steps.setdefault(s.application_id, []).append(s)
    found = [Application(r, steps[r.id]) for r in records]
    if not include_closed:
        found = [a for a in found if not a.closed]
    far = aware(now) + timedelta(days=36500)

    def order(app: Application) -> tuple[bool, bool, datetime, str]:
        nxt = app.next_due()
        due = nxt.due_at if nxt is not None and nxt.due_at is not None else far
        return (app.closed, not (nxt is not None and nxt.overdue(now)), due, app.record.reference)

    return sorted(found, key=order)


@dataclass(frozen=True)
class Prompt:
    """Consider Right to Know: a suspect with a history of abuse has a new partner."""

    incident_id: str
    reference: str
    suspect_id: str
    suspect_name: str
    earlier_victims: int


def right_to_know_prompts(db: Session, since: datetime) -> list[Prompt]:
    """Live incidents since `since` whose suspect abused a different victim before, and
    about whom no DVDS application is held."""
    asked = {a.subject_id for a in db.exec(select(DvdsApplication)) if a.subject_id is not None}
    recent = db.exec(
        select(Incident).where(
            Incident.occurred_at >= since,
            Incident.status != "historic",
            col(Incident.suspect_id).is_not(None),
        )
    ).all()
    out = []
    for incident in recent:
        if incident.suspect_id in asked:
            continue
        victims = set(
            db.exec(
                select(Incident.victim_id).where(
                    Incident.suspect_id == incident.suspect_id,
                    Incident.occurred_at < incident.occurred_at,
                    Incident.victim_id != incident.victim_id,
                )
            )
        )
        if victims:
            suspect = db.get(Person, incident.suspect_id)
            out.append(
                Prompt(
                    incident.id,
                    incident.reference,
                    incident.suspect_id or "",
                    suspect.full_name if suspect else "",
                    len(victims),
                )
            )
    return sorted(out, key=lambda p: p.reference)
