"""What became of the orders made at a scene, recorded by the officer or supervisor who
learns it, and the week ahead of hearings and orders ending for supervisors.

A DVPN (or DAPN) goes before the magistrates within 48 hours: the DVPO (DAPO) is granted
with its end date, refused, or the hearing adjourned (the notice stays in force to the new
date). Bail conditions are extended or end. Each outcome is an `OrderOutcome` in the
outbox, synced like other follow-up records; the order in force is the order with its
outcomes applied (`lookup.order_outcomes`), so the next call's floors, breach questions and
briefing use it whoever recorded it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import text
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from firstresponse.followup.outcomes import MIN_REASON, not_a_recorded_time, require_casework
from firstresponse.lookup.order_outcomes import (
    BAIL_OUTCOMES,
    GRANTED_AS,
    NOTICE_OUTCOMES,
    applied,
    outcomes_of,
    with_outcomes,
)
from firstresponse.records import (
    Incident,
    OrderKind,
    OrderOutcome,
    Person,
    ProtectiveOrder,
    User,
    utcnow,
)
from firstresponse.security import audit
from firstresponse.store import outbox

#: A DVPO lasts at least 14 and at most 28 days from the day it is made (Crime and
#: Security Act 2010 s.28(10)); a DAPO may have no end date.
DVPO_DAYS = (14, 28)
WEEK = timedelta(days=7)
OUTCOME_WORDS = {
    "granted": "Granted",
    "refused": "Refused",
    "adjourned": "Hearing adjourned",
    "bail_extended": "Bail extended",
    "bail_ended": "Bail ended",
    "marac_listed": "Listed at MARAC",
    "marac_heard": "Heard at MARAC",
}
#: A MARAC referral made in the product is listed for a conference on a date, then heard
#: (the actions agreed in the note). Neither changes the year in which a new incident is a
#: repeat MARAC, which runs from the referral (`attendance.orders.marac_referred`).
MARAC_OUTCOMES: tuple[str, ...] = ("marac_listed", "marac_heard")
#: The outcomes after which nothing more is recorded for an order.
FINAL = ("granted", "refused", "bail_ended", "marac_heard")


class OrderOutcomeRefused(ValueError):
    """The outcome cannot be recorded as given; the message says why."""


def _problems(
    order: ProtectiveOrder,
    done: list[OrderOutcome],
    outcome: str,
    on: date,
    ends_on: date | None,
    next_hearing_on: date | None,
    note: str,
) -> list[str]:
    if order.kind in GRANTED_AS:
        allowed = NOTICE_OUTCOMES
    elif order.kind == OrderKind.BAIL_CONDITIONS:
        allowed = BAIL_OUTCOMES
    elif order.kind == OrderKind.MARAC:
        allowed = MARAC_OUTCOMES
    else:
        return [f"a {order.kind.replace('_', ' ')} has no hearing or bail outcome to record"]
    if outcome not in allowed:
        return [f"choose an outcome ({', '.join(allowed)})"]
    final = [d for d in done if d.outcome in FINAL]
    if final:
        return [f"already {final[-1].outcome.replace('_', ' ')} on {final[-1].outcome_on}"]
    problems = []
    if order.starts_on and on < order.starts_on:
        problems.append(f"the date is before the order was made ({order.starts_on})")
    if outcome == "granted" and order.kind == OrderKind.DVPN:
        low, high = DVPO_DAYS
        if ends_on is None or not low <= (ends_on - on).days <= high:
            problems.append(f"a DVPO ends {low} to {high} days after the hearing: give its end")
    if outcome == "granted" and ends_on is not None and ends_on <= on:
        problems.append("the order must end after the day it is granted")
    if outcome == "adjourned" and (next_hearing_on is None or next_hearing_on <= on):
        problems.append("give the date of the adjourned hearing (after today's)")
    if outcome == "bail_extended" and (ends_on is None or ends_on <= on):
        problems.append("give the new end of the bail conditions")
    if outcome == "marac_listed" and (next_hearing_on is None or next_hearing_on < on):
        problems.append("give the date the conference will hear the case (not before today's)")
    if outcome == "marac_heard" and len(note.strip()) < MIN_REASON:
        problems.append(f"say what the conference agreed (at least {MIN_REASON} characters)")
    if outcome == "refused" and len(note.strip()) < MIN_REASON:
        problems.append(f"say why the court refused it (at least {MIN_REASON} characters)")
    return problems


def record_order_outcome(
    db: Session,
    user: User,
    order_id: str,
    outcome: str,
    on: date,
    *,
    ends_on: date | None = None,
    next_hearing_on: date | None = None,
    court: str = "",
    note: str = "",
    decided_at: datetime | None = None,
) -> OrderOutcome:
    """Record what became of an order (a hearing's outcome, bail extended or ended)."""
    require_casework(user)
    now = utcnow()
    order = db.get(ProtectiveOrder, order_id)
    if order is None:
        raise OrderOutcomeRefused("no such order on this terminal")
    done = outcomes_of(db, [order_id]).get(order_id, [])
    problems = _problems(order, done, outcome, on, ends_on, next_hearing_on, note)
    decided_at = decided_at or now
    if not_a_recorded_time(decided_at, now):
        problems.append("the time recorded must be a UTC time not in the future")
    if problems:
        raise OrderOutcomeRefused("; ".join(problems))
    row = OrderOutcome(
        order_id=order.id,
        incident_id=order.incident_id,
        outcome=outcome,
        outcome_on=on,
        ends_on=ends_on if outcome in ("granted", "bail_extended") else None,
        next_hearing_on=next_hearing_on if outcome in ("adjourned", "marac_listed") else None,
        court=court.strip(),
        note=note.strip(),
        decided_by=user.collar,
        decided_at=decided_at,
    )
    outbox.enqueue_record(db, row)
    audit.record(db, user.collar, "order.outcome", "order", order.id, outcome=outcome)
    return row


@dataclass
class WeekAhead:
    """For supervisors: hearings due (and past with no outcome), orders ending this week,
    and the MARAC conferences listed this week for referrals made in the product."""

    hearings_due: list[str] = field(default_factory=list)
    hearings_overdue: list[str] = field(default_factory=list)
    ending: list[str] = field(default_factory=list)
    conferences: list[str] = field(default_factory=list)


def _names(db: Session, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    return {p.id: p.full_name for p in db.exec(select(Person).where(col(Person.id).in_(ids)))}


def _line(order: ProtectiveOrder, names: dict[str, str], when: str) -> str:
    label = order.kind.replace("_", " ")
    label = label.upper() if len(label) == 4 else label.capitalize()
    subject = names.get(order.subject_id, "?")
    protected = names.get(order.protected_id or "", "")
    return f"{when} {label} against {subject}" + (f", protecting {protected}" if protected else "")


def _at_live_incidents(kinds: list[str]) -> SelectOfScalar[ProtectiveOrder]:
    """Orders of `kinds` made at live incidents, not imported history: the force's own
    system holds what became of a notice in its history (a DVPO there is its own record)."""
    return (
        select(ProtectiveOrder)
        .join(Incident, col(Incident.id) == col(ProtectiveOrder.incident_id))
        .where(col(ProtectiveOrder.kind).in_(kinds), Incident.status != "historic")
    )


def week_ahead(db: Session, today: date) -> WeekAhead:
    """Hearings due from `today` for a week (and those past with no outcome), and orders
    and bail in force that end in the week."""
    kinds = [*GRANTED_AS, OrderKind.BAIL_CONDITIONS.value, *GRANTED_AS.values()]
    stored = list(db.exec(select(ProtectiveOrder).where(col(ProtectiveOrder.kind).in_(kinds))))
    decided = outcomes_of(db, [o.id for o in stored])
    current = with_outcomes(db, stored)
    live = {o.id for o in db.exec(_at_live_incidents(kinds))}
    names = _names(db, {o.subject_id for o in current} | {o.protected_id or "" for o in current})
    out = WeekAhead()
    for order in sorted(current, key=lambda o: (o.ends_on or date.max, o.id)):
        if order.ends_on is None:
            continue
        final = any(d.outcome in ("granted", "refused") for d in decided.get(order.id, []))
        if order.kind in GRANTED_AS and not final:
            if order.ends_on < today:  # history's notices: their outcome is the force's
                if order.id in live:
                    out.hearings_overdue.append(
                        _line(order, names, f"{order.ends_on} (no outcome)")
                    )
            elif order.ends_on < today + WEEK:
                out.hearings_due.append(_line(order, names, f"{order.ends_on} hearing:"))
        elif order.kind not in GRANTED_AS and today <= order.ends_on < today + WEEK:
            out.ending.append(_line(order, names, f"{order.ends_on} ends:"))
    out.conferences = [
        f"{a.due} conference: {a.what}"
        for a in awaiting_outcome(db)
        if a.kind == OrderKind.MARAC and a.due is not None and today <= a.due < today + WEEK
    ]
    return out


def orders_to_review(db: Session) -> list[tuple[ProtectiveOrder, str]]:
    """Orders stored against the victim with no suspect named (migration 0015): each with
    why a supervisor must decide who it restrains."""
    rows = db.connection().execute(text("SELECT order_id, reason FROM order_party_review"))
    found: list[tuple[ProtectiveOrder, str]] = []
    for order_id, reason in rows:
        order = db.get(ProtectiveOrder, order_id)
        if order is not None:
            found.append((order, str(reason)))
    return found


@dataclass(frozen=True)
class AwaitingOutcome:
    """An order whose outcome is still to be recorded: a notice before its hearing (or
    adjourned), or bail conditions not yet ended."""

    order_id: str
    kind: str
    what: str  # "DVPN against Rex Testsuspect, protecting Alex Testperson"
    due: date | None  # the hearing (after any adjournment) or the end of the bail
    outcomes: tuple[str, ...]  # the outcomes that may be recorded
    so_far: str = ""  # what was recorded before: "Hearing adjourned to 2026-01-14"
    starts_on: date | None = None


def _so_far(done: list[OrderOutcome]) -> str:
    words = []
    for d in done:
        to = d.next_hearing_on or d.ends_on
        linked = "for" if d.outcome == "marac_listed" else "to"
        words.append(f"{OUTCOME_WORDS.get(d.outcome, d.outcome)} on {d.outcome_on}"
                     + (f" {linked} {to}" if to else ""))  # fmt: skip
    return "; ".join(words)


def awaiting_outcome(db: Session) -> list[AwaitingOutcome]:
    """Notices, bail conditions and MARAC referrals made at live incidents (not imported
    history) with no final outcome, soonest due first (one with no date last)."""
    kinds = [*GRANTED_AS, OrderKind.BAIL_CONDITIONS.value, OrderKind.MARAC.value]
    stored = list(db.exec(_at_live_incidents(kinds)))
    decided = outcomes_of(db, [o.id for o in stored])
    names = _names(db, {o.subject_id for o in stored} | {o.protected_id or "" for o in stored})
    found = []
    for order in stored:
        done = decided.get(order.id, [])
        if any(d.outcome in FINAL for d in done):
            continue
        current = applied(order, done)[0] if done else order
        due, what = current.ends_on, _line(order, names, "").strip()
        if order.kind == OrderKind.MARAC:  # due when listed; its end is the repeat year's
            listed = [d.next_hearing_on for d in done if d.outcome == "marac_listed"]
            due = listed[-1] if listed else None
            who = names.get(order.protected_id or "", "?")
            what = f"MARAC referral for {who} (suspect {names.get(order.subject_id, '?')})"
        if order.kind in GRANTED_AS:
            outcomes = NOTICE_OUTCOMES
        else:
            outcomes = MARAC_OUTCOMES if order.kind == OrderKind.MARAC else BAIL_OUTCOMES
        found.append(
            AwaitingOutcome(
                order_id=order.id,
                kind=order.kind,
                what=what,
                due=due,
                outcomes=outcomes,
                so_far=_so_far(done),
                starts_on=order.starts_on,
            )
        )
    return sorted(found, key=lambda a: (a.due or date.max, a.order_id))


def orders_to_review_lines(db: Session) -> list[str]:
    """`orders_to_review` in words for a supervisor: the order, whom it is stored against,
    the incident it was made at, and why it needs a decision."""
    found = orders_to_review(db)
    names = _names(db, {o.subject_id for o, _ in found})
    refs = {
        i.id: i.reference
        for i in db.exec(
            select(Incident).where(col(Incident.id).in_({o.incident_id for o, _ in found}))
        )
    }
    lines = []
    for order, reason in found:
        made = f" made {order.starts_on}" if order.starts_on else ""
        at = f" at {refs[order.incident_id]}" if order.incident_id in refs else ""
        lines.append(f"{_line(order, names, '').strip()}{made}{at}: {reason}")
    return lines
