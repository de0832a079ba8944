"""The figures leaders are asked for (the APP's nine questions, the inspectorate's data list).

Each live incident in the window gives its `CaseFacts`; each DVDS application received in
the window gives its own. `tally` turns any set of facts into figures, so the same code
gives the totals, each week, each team and each officer (the attending officer; a DVDS
application belongs to whoever logged it). Definitions are in the README and `FIGURES`.

Only domestic abuse counts: an incident whose parties are not personally connected, or where
someone is under 16, is counted as `not_domestic_abuse` and nowhere else. The arrest rate
is the Home Office's: arrests (at the scene, or later, including a suspect dealt with after
voluntary attendance) per 100 domestic abuse offences recorded as crimes. Timeliness comes
from the victim's contact plan (Victims' Code, Operation Encompass) and the same-shift
review queue, counting what fell due before `now`.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from firstresponse.followup.contacts import DueContact, all_plans, made_within
from firstresponse.followup.dvds import applications as dvds_applications
from firstresponse.followup.outcomes import OUTCOMES, outcomes_for
from firstresponse.records import HighRiskReview, Incident, Person, ProtectiveOrder, RiskLevel
from firstresponse.supervision.cases import Case, aware, load_cases, teams
from firstresponse.supervision.compliance import parse_time, week_of
from firstresponse.supervision.high_risk import Submission, submissions
from firstresponse.vocab import ETHNICITIES, ETHNICITIES_SHORT

ORDER_KINDS = ("dvpn", "dvpo", "dapn", "dapo")
AGE_BANDS = ((16, 17), (18, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 200))
DISABILITY_MARKERS = frozenset({"disability", "learning_disability", "mental_health"})
GRADES = ("immediate", "priority", "scheduled")
#: Outcomes reached only after an arrest or an interview under caution: an arrest counted
#: where the suspect was not arrested at the scene.
DEALT_WITH_LATER = frozenset({"charged", "cautioned", "bailed", "released_under_investigation"})
#: Offences disclosed that are not a crime to count.
NOT_OFFENCES = frozenset({"none"})
#: Contact-plan families counted on their own as well as among all contacts.
CONTACT_FAMILIES = ("support_referral", "encompass")


def _band(age: int | None) -> str:
    if age is None:
        return "not recorded"
    for low, high in AGE_BANDS:
        if low <= age <= high:
            return f"{low}+" if high == 200 else f"{low}-{high}"
    return "under 16"


#: Every figure: key -> label. Keys with a ":" are one of a family (outcome:charged ...).
FIGURES: dict[str, str] = {
    "incidents": "DA incidents attended or recorded",
    "not_domestic_abuse": "Incidents recorded that are not DA (not connected, or under 16)",
    "repeat_victims": "Incidents whose victim had another in the 12 months before",
    "repeat_share": "Share of incidents with a repeat victim (%)",
    "repeat_perpetrators": "Incidents whose suspect had another DA incident in 12 months",
    "repeat_marac": "Incidents whose victim was at MARAC in the 12 months before",
    "repeat_marac_share": "Share of incidents that are a repeat MARAC case (%)",
    "crimes": "DA offences recorded as crimes",
    "arrests": "Arrests in DA incidents (at the scene or later)",
    "arrests_per_100": "Arrests per 100 DA offences recorded (Home Office measure)",
    **{f"outcome:{k}": f"Outcome: {v}" for k, v in OUTCOMES.items()},
    "outcome:none": "Outcome: none recorded yet",
    **{f"risk:{r.value}": f"Risk level: {r.value}" for r in RiskLevel},
    "risk:not_assessed": "Risk level: not assessed",
    **{f"order:{k}": f"{k.upper()}s recorded" for k in ORDER_KINDS},
    "marac_referrals": "MARAC referrals made",
    "breaches": "Incidents where a breach of an order or bail was recorded",
    "dvds:right_to_ask": "DVDS Right to Ask applications",
    "dvds:right_to_know": "DVDS Right to Know applications",
    "dvds:disclosed": "DVDS disclosures made",
    "dvds:not_disclosed": "DVDS decided: no disclosure",
    "dvds:overdue": "DVDS applications with a step overdue",
    **{f"victim_age:{lo}-{hi}": f"Victims aged {lo}-{hi}" for lo, hi in AGE_BANDS[:-1]},
    "victim_age:65+": "Victims aged 65+",
    "victim_age:not recorded": "Victims: age not recorded",
    "victim_sex:F": "Victims: female",
    "victim_sex:M": "Victims: male",
    "victim_sex:X": "Victims: another gender",
    "victim_sex:not recorded": "Victims: sex not recorded",
    **{
        f"victim_ethnicity:{k}": f"Victims: ethnicity {k} {v}" for k, v in ETHNICITIES_SHORT.items()
    },
    "victim_ethnicity:not recorded": "Victims: ethnicity not recorded",
    "victim_disability:recorded": "Victims with a disability or mental health marker",
    **{f"attend_minutes:{g}": f"Median minutes call to arrival: {g}" for g in GRADES},
    "contacts:due": "Victim contacts due (Victims' Code plan)",
    "contacts:on_time": "Victim contacts made on time",
    "contacts:late": "Victim contacts late or still owed after their time",
    "support_referral:due": "Support-service referrals due (2 working days)",
    "support_referral:on_time": "Support-service referrals made on time",
    "encompass:due": "Operation Encompass notices due (before the next school day)",
    "encompass:on_time": "Operation Encompass notices made on time",
    "same_shift:due": "Same-shift reviews due",
    "same_shift:on_time": "Same-shift reviews done within the shift",
    "same_shift:late": "Same-shift reviews late or still waiting after the shift",
}


#: Shares of DA incidents: figure -> the count it is a share of.
SHARES = {"repeat_share": "repeat_victims", "repeat_marac_share": "repeat_marac"}
YEAR = timedelta(days=365)


@dataclass
class Earlier:
    """Suspects' DA incidents and victims' MARAC records, to look back 12 months from each."""

    as_suspect: dict[str, list[tuple[str, datetime]]] = field(default_factory=dict)
    marac: dict[str, list[date]] = field(default_factory=dict)

    def repeat_perpetrator(self, case: Case) -> bool:
        """The suspect was a suspect in another incident in the 12 months before this one."""
        at = aware(case.incident.occurred_at)
        return any(
            iid != case.id and at - YEAR <= when <= at
            for iid, when in self.as_suspect.get(case.incident.suspect_id or "", [])
        )

    def repeat_marac(self, case: Case) -> bool:
        """The victim was referred to (or heard at) MARAC in the 12 months before."""
        at = aware(case.incident.occurred_at).date()
        return any(at - YEAR <= on < at for on in self.marac.get(case.incident.victim_id, []))


def earlier_of(db: Session, cases: list[Case]) -> Earlier:
    """What `Earlier` needs for these cases, in two queries."""
    found = Earlier()
    suspects = {c.incident.suspect_id for c in cases if c.incident.suspect_id}
    if suspects:
        for iid, sid, at in db.exec(
            select(Incident.id, Incident.suspect_id, Incident.occurred_at).where(
                col(Incident.suspect_id).in_(suspects)
            )
        ):
            found.as_suspect.setdefault(sid or "", []).append((iid, aware(at)))
    victims = {c.incident.victim_id for c in cases}
    for order in db.exec(
        select(ProtectiveOrder).where(
            col(ProtectiveOrder.kind) == "marac", col(ProtectiveOrder.protected_id).in_(victims)
        )
    ):
        if order.protected_id and order.starts_on:
            found.marac.setdefault(order.protected_id, []).append(order.starts_on)
    return found


@dataclass
class Facts:
    """What one incident (or one DVDS application) adds to the figures."""

    at: datetime
    officer: str
    counts: Counter[str] = field(default_factory=Counter)
    minutes: dict[str, float] = field(default_factory=dict)


def domestic_abuse(case: Case) -> bool:
    """False where the parties are not personally connected or someone is under 16."""
    first = case.answers("first_response")
    if "not_connected" in (case.incident.relationship, first.get("relationship")):
        return False
    return "under_16" not in (first.get("victim_age_band"), first.get("suspect_age_band"))


def offences_recorded(case: Case) -> int:
    """DA offences recorded as crimes: each offence disclosed, at least one for a crime."""
    if not case.incident.crime_recorded:
        return 0
    disclosed = case.answers("first_response").get("offences_disclosed")
    offences = (
        [o for o in disclosed if o not in NOT_OFFENCES] if isinstance(disclosed, list) else []
    )
    return max(1, len(offences))


def breached_here(first: dict[str, Any]) -> bool:
    """A breach of an order or bail recorded at this incident (not the history's "ever")."""
    offences = first.get("offences_disclosed")
    orders = first.get("orders_in_force")
    return (isinstance(offences, list) and "breach" in offences) or any(
        isinstance(o, dict) and o.get("breached") == "yes"
        for o in (orders if isinstance(orders, list) else [])
    )


def arrested(case: Case, outcomes: list[str]) -> bool:
    """Arrested at the scene, or dealt with later (an arrest or voluntary attendance)."""
    at_scene = case.incident.arrest_made or case.answers("first_response").get("arrested") == "yes"
    return bool(at_scene) or bool(DEALT_WITH_LATER & set(outcomes))


def timeliness(
    dues: list[DueContact], reviews: list[tuple[Submission, datetime | None]], now: datetime
) -> Counter[str]:
    """Contacts and same-shift reviews that fell due before `now`: on time, or late."""
    c: Counter[str] = Counter()
    for due in (d for d in dues if d.due_at <= now or d.done):
        family = due.key.split(":")[0]
        took = made_within(due)
        on_time = took is not None and took.total_seconds() <= 0
        for name in ("contacts", *(f for f in CONTACT_FAMILIES if f == family)):
            c[f"{name}:due"] += 1
            c[f"{name}:on_time"] += on_time
        c["contacts:late"] += not on_time
    for submission, reviewed_at in reviews:
        if submission.due_by > now and reviewed_at is None:
            continue
        in_time = reviewed_at is not None and reviewed_at <= submission.due_by
        c["same_shift:due"] += 1
        c["same_shift:on_time" if in_time else "same_shift:late"] += 1
    return c


def case_facts(
    case: Case,
    victim: Person | None,
    outcome: str,
    risk: str | None,
    orders: list[str],
    outcomes: list[str] | None = None,
    earlier: Earlier | None = None,
) -> Facts:
    """The facts of one incident (`outcome` the latest of `outcomes`; `earlier` what its
    suspect and victim had in the 12 months before). Pure."""
    at = aware(case.incident.occurred_at)
    facts = Facts(at, case.officer)
    c = facts.counts
    if not domestic_abuse(case):
        c["not_domestic_abuse"] += 1
        return facts
    c["incidents"] += 1
    if case.prior_incidents_12m >= 1:
        c["repeat_victims"] += 1
    if earlier is not None:
        c["repeat_perpetrators"] += earlier.repeat_perpetrator(case)
        c["repeat_marac"] += earlier.repeat_marac(case)
    first = case.answers("first_response")
    c["crimes"] += offences_recorded(case)
    if arrested(case, outcomes if outcomes is not None else [outcome]):
        c["arrests"] += 1
    c[f"outcome:{outcome or 'none'}"] += 1
    c[f"risk:{risk or 'not_assessed'}"] += 1
    for kind in orders:
        c[f"order:{kind}"] += 1
    risk_answers = case.answers("risk")
    if risk_answers.get("marac_referral") == "yes":
        c["marac_referrals"] += 1
    if breached_here(first):
        c["breaches"] += 1
    dob = victim.dob if victim is not None else None
    age = None
    if dob is not None:
        age = at.year - dob.year - ((at.month, at.day) < (dob.month, dob.day))
    c[f"victim_age:{_band(age)}"] += 1
    sex = (victim.gender if victim is not None else "") or "not recorded"
    c[f"victim_sex:{sex if sex in {'F', 'M', 'X'} else 'not recorded'}"] += 1
    ethnicity = victim.ethnicity if victim is not None else ""
    c[f"victim_ethnicity:{ethnicity if ethnicity in ETHNICITIES else 'not recorded'}"] += 1
    if case.victim_markers & DISABILITY_MARKERS:
        c["victim_disability:recorded"] += 1
    arrived = parse_time(first.get("arrived_at"))
    grade = case.incident.grade or ""
    if arrived is not None and arrived >= at and grade in GRADES:
        facts.minutes[f"attend_minutes:{grade}"] = (arrived - at).total_seconds() / 60
    return facts


def tally(facts: list[Facts]) -> dict[str, float | None]:
    """Every figure (zero counts included; None where a figure cannot be worked out)."""
    counts: Counter[str] = Counter()
    minutes: dict[str, list[float]] = defaultdict(list)
    for f in facts:
        counts.update(f.counts)
        for key, value in f.minutes.items():
            minutes[key].append(value)
    out: dict[str, float | None] = {}
    for key in FIGURES:
        if key.startswith("attend_minutes:"):
            found = minutes.get(key)
            out[key] = statistics.median(found) if found else None
        elif key in SHARES:
            n = counts["incidents"]
            out[key] = round(100 * counts[SHARES[key]] / n, 1) if n else None
        elif key == "arrests_per_100":
            n = counts["crimes"]
            out[key] = round(100 * counts["arrests"] / n, 1) if n else None
        else:
            out[key] = counts[key]
    return out


@dataclass
class Figures:
    """Figures overall, by week, by team and by officer."""

    start: datetime
    end: datetime
    overall: dict[str, float | None]
    by_week: dict[date, dict[str, float | None]]
    by_team: dict[str, dict[str, float | None]]
    by_officer: dict[str, dict[str, float | None]]

    def scopes(self) -> dict[str, dict[str, dict[str, float | None]]]:
        return {
            "overall": {"": self.overall},
            "by_week": {w.isoformat(): v for w, v in self.by_week.items()},
            "by_team": self.by_team,
            "by_officer": self.by_officer,
        }

    def as_dict(self) -> dict[str, Any]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), **self.scopes()}


def group(facts: list[Facts], team_of: dict[str, str], start: datetime, end: datetime) -> Figures:
    def by(key: Any) -> dict[Any, dict[str, float | None]]:
        groups: dict[Any, list[Facts]] = defaultdict(list)
        for f in facts:
            groups[key(f)].append(f)
        return {k: tally(v) for k, v in sorted(groups.items(), key=lambda kv: str(kv[0]))}

    return Figures(
        start,
        end,
        tally(facts),
        by(lambda f: week_of(f.at)),
        by(lambda f: team_of.get(f.officer) or "(no team)"),
        by(lambda f: f.officer or "(unknown)"),
    )


def _dvds_facts(db: Session, start: datetime, end: datetime, now: datetime) -> list[Facts]:
    out = []
    for app in dvds_applications(db, now, include_closed=True):
        received = aware(app.record.received_at)
        if not start <= received < end:
            continue
        f = Facts(received, app.record.created_by)
        f.counts[f"dvds:{app.record.route}"] += 1
        decision = next((s for s in app.steps if s.step == "decision"), None)
        if decision is not None:
            f.counts[f"dvds:{decision.outcome}"] += 1
        if any(d.overdue(now) for d in app.deadlines):
            f.counts["dvds:overdue"] += 1
        out.append(f)
    return out


def collect(db: Session, start: datetime, end: datetime, now: datetime) -> list[Facts]:
    cases = load_cases(db, start, end)
    ids = [c.id for c in cases]
    people = {
        p.id: p
        for p in db.exec(
            select(Person).where(col(Person.id).in_({c.incident.victim_id for c in cases}))
        )
    }
    outcomes = outcomes_for(db, ids)
    reviewed: dict[str, HighRiskReview] = {}
    first_review: dict[tuple[str, str | None], datetime] = {}
    for r in db.exec(
        select(HighRiskReview)
        .where(col(HighRiskReview.incident_id).in_(ids))
        .order_by(col(HighRiskReview.created_at))
    ):
        reviewed[r.incident_id] = r
        first_review.setdefault((r.incident_id, r.assessment_id), aware(r.created_at))
    waiting: dict[str, list[tuple[Submission, datetime | None]]] = defaultdict(list)
    for s in submissions(db):
        waiting[s.incident_id].append((s, first_review.get((s.incident_id, s.assessment_id))))
    dues: dict[str, list[DueContact]] = defaultdict(list)
    for due in all_plans(db, ids):
        dues[due.incident_id].append(due)
    orders: dict[str, list[str]] = defaultdict(list)
    for o in db.exec(
        select(ProtectiveOrder).where(
            col(ProtectiveOrder.incident_id).in_(ids), col(ProtectiveOrder.kind).in_(ORDER_KINDS)
        )
    ):
        orders[o.incident_id or ""].append(o.kind)
    earlier = earlier_of(db, cases)
    facts = []
    for case in cases:
        made = [o.outcome for o in outcomes[case.id]]
        latest = made[-1] if made else ""
        review = reviewed.get(case.id)
        risk = review.level_after if review else _risk(case)
        victim = people.get(case.incident.victim_id)
        found = case_facts(case, victim, latest, risk, orders[case.id], made, earlier)
        if domestic_abuse(case):
            found.counts.update(timeliness(dues[case.id], waiting[case.id], aware(now)))
        facts.append(found)
    return facts + _dvds_facts(db, start, end, now)


def _risk(case: Case) -> str | None:
    from firstresponse.supervision.sampling import risk_level

    return risk_level(case) or case.incident.risk_level


def leaders_figures(db: Session, start: datetime, end: datetime, now: datetime) -> Figures:
    """The leaders' figures for incidents (and DVDS applications) in [start, end)."""
    return group(collect(db, start, end, now), teams(db), start, end)


LEADER_COLUMNS = ["scope", "group", "figure", "label", "value"]


def leader_rows(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """An exported figures block flattened to one row per scope, group and figure."""
    return [
        {"scope": scope, "group": name, "figure": key, "label": FIGURES[key], "value": value}
        for scope in ("overall", "by_week", "by_team", "by_officer")
        for name, block in figures[scope].items()
        for key, value in block.items()
    ]
