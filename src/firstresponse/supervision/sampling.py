"""Dip-sample selection: the inspectorate's must-check cases plus a reproducible random share.

Always drawn: every scheduled-appointment or no-deployment grading, every no-arrest
decision where a crime was recorded (grounds not used, or no grounds found), every
police-workforce-suspect case, every downgraded risk, every grade override, and every
attendance whose risk assessment was declined or skipped (a declined assessment computes
"standard", so the random share of standard cases is no safeguard for it). Then a share
(`rate`) of the remaining standard and medium risk assessments, chosen with
`random.Random(seed)` over a stable order, so the same records, window, rate and seed
always give the same sample.
"""

from __future__ import annotations

import math
import random
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from firstresponse.records import DipSample, Grade, Review, RiskLevel
from firstresponse.security import audit
from firstresponse.supervision.cases import Case, aware, load_cases
from firstresponse.supervision.indicators import NO_ARREST_KINDS

#: Why an item was drawn (the code stored with it, and how it reads).
REASONS = {
    "scheduled": "Scheduled appointment instead of attendance",
    "no_deployment": "Resolved without sending an officer",
    "no_arrest_crime": "No arrest where a crime was recorded",
    "police_workforce_suspect": "Suspect is police workforce",
    "risk_lowered": "Risk level lowered by the officer",
    "grade_override": "Grade below the floor set by risk indicators",
    "risk_not_assessed": "Risk assessment declined or not done",
    "reduced_protection": "Another decision that reduced protection, with its reason",
    "random": "Random share of standard and medium risk assessments",
}
#: The same in a few words, for a queue's column.
SHORT_REASONS = {
    "scheduled": "appointment only",
    "no_deployment": "nobody sent",
    "no_arrest_crime": "no arrest (crime)",
    "police_workforce_suspect": "police suspect",
    "risk_lowered": "risk lowered",
    "grade_override": "grade overridden",
    "risk_not_assessed": "risk not assessed",
    "reduced_protection": "protection reduced",
    "random": "random",
}
GRADE_OVERRIDE_KINDS = {"grade_override", "grade_below_floor"}
#: Decisions recorded for the file that add protection, so need no review of their own.
RAISING_KINDS = {"risk_raised"}
#: Decisions that a risk assessment was declined or not done.
RISK_NOT_ASSESSED_KINDS = {"risk_assessment_declined", "risk_assessment_not_done"}
SAMPLED_RISK_LEVELS = {RiskLevel.STANDARD.value, RiskLevel.MEDIUM.value}


@dataclass
class Candidate:
    """One case that may be drawn, with every must-check reason that applies."""

    incident_id: str
    reference: str
    officer: str
    occurred_at: datetime
    risk_level: str | None
    reasons: list[str] = field(default_factory=list)
    decision_ids: list[str] = field(default_factory=list)

    def item(self, reasons: list[str]) -> dict[str, Any]:
        return {
            "subject_kind": "incident",
            "subject_id": self.incident_id,
            "reference": self.reference,
            "officer": self.officer,
            "occurred_at": aware(self.occurred_at).isoformat(),
            "risk_level": self.risk_level,
            "reasons": reasons,
            "why": [REASONS[r] for r in reasons],
            "decision_ids": self.decision_ids,
        }


def must_check_reasons(case: Case) -> list[str]:
    """The inspectorate's reasons this case must be reviewed (empty if none).

    Every unreviewed decision that reduced protection reaches a supervisor this way.
    """
    kinds = {d.kind for d in case.decisions}
    grade = case.incident.grade or case.answers("thrive").get("grade")
    reasons = []
    if grade == Grade.SCHEDULED or "low_grade" in kinds:
        reasons.append("scheduled")
    if grade == Grade.RESOLVED_WITHOUT_DEPLOYMENT or "no_deployment" in kinds:
        reasons.append("no_deployment")
    if kinds & NO_ARREST_KINDS and case.incident.crime_recorded:  # no grounds, or not used
        reasons.append("no_arrest_crime")
    if case.police_workforce_suspect:
        reasons.append("police_workforce_suspect")
    if "risk_lowered" in kinds:
        reasons.append("risk_lowered")
    if kinds & GRADE_OVERRIDE_KINDS:
        reasons.append("grade_override")
    if risk_not_assessed(case, kinds):
        reasons.append("risk_not_assessed")
    unreviewed = {d.kind for d in case.decisions if not d.reviewed} - RAISING_KINDS
    advice = case.result("safety_advice").get("decisions") or []  # no Decision rows of its own
    if (unreviewed or advice) and not reasons:  # BWV off, a child not seen, advice not given ...
        reasons.append("reduced_protection")
    return reasons


def risk_not_assessed(case: Case, kinds: set[str]) -> bool:
    """Declined or skipped: by decision, by the answers (records made before those
    decisions existed), or an attendance submitted with no risk assessment at all."""
    if kinds & RISK_NOT_ASSESSED_KINDS:
        return True
    if case.answers("risk").get("participation") == "declined":
        return True
    first = case.answers("first_response")
    skipped = first.get("risk_checklist_done") in ("no", "unknown")
    return "first_response" in case.assessments and ("risk" not in case.assessments or skipped)


def risk_level(case: Case) -> str | None:
    """The final risk level: the submitted risk assessment's, else the incident's."""
    result = case.result("risk")
    return (
        result.get("risk_level")
        or case.answers("risk").get("officer_level")
        or (case.incident.risk_level if "risk" in case.assessments else None)
    )


def candidates(cases: list[Case]) -> list[Candidate]:
    found = []
    for case in cases:
        found.append(
            Candidate(
                incident_id=case.id,
                reference=case.incident.reference,
                officer=case.officer,
                occurred_at=case.incident.occurred_at,
                risk_level=risk_level(case),
                reasons=must_check_reasons(case),
                decision_ids=[d.id for d in case.decisions],
            )
        )
    return found


def choose(pool: list[Candidate], rate: float, seed: int) -> list[dict[str, Any]]:
    """Pure selection: every must-check candidate, then `rate` of the standard/medium rest."""
    if not 0.0 <= rate <= 1.0:
        raise ValueError("rate must be between 0 and 1")
    ordered = sorted(pool, key=lambda c: (aware(c.occurred_at), c.reference, c.incident_id))
    items = [c.item(c.reasons) for c in ordered if c.reasons]
    eligible = [c for c in ordered if not c.reasons and c.risk_level in SAMPLED_RISK_LEVELS]
    count = math.ceil(rate * len(eligible)) if eligible else 0
    drawn = {c.incident_id for c in random.Random(seed).sample(eligible, count)}
    items += [c.item(["random"]) for c in eligible if c.incident_id in drawn]
    return items


def draw(
    db: Session,
    start: datetime,
    end: datetime,
    rate: float = 0.1,
    seed: int | None = None,
    created_by: str = "",
) -> DipSample:
    """Select, store and audit a dip sample for incidents in [start, end)."""
    seed = secrets.randbelow(2**31) if seed is None else seed
    items = choose(candidates(load_cases(db, start, end)), rate, seed)
    sample = DipSample(
        window_from=start, window_to=end, rate=rate, seed=seed, items=items, created_by=created_by
    )
    db.add(sample)
    audit.record(
        db, created_by or "system", "dip_sample.drawn", "dip_sample", sample.id,
        seed=seed, rate=rate, items=len(items),
    )  # fmt: skip
    return sample


@dataclass(frozen=True)
class QueueItem:
    """A drawn item not yet reviewed."""

    sample_id: str
    item: dict[str, Any]

    @property
    def incident_id(self) -> str:
        return str(self.item["subject_id"])


def queue(db: Session) -> list[QueueItem]:
    """Every drawn case not yet reviewed, once, newest sample first, must-check items first.

    A case drawn again by a later sample (every must-check case is) is listed once, from
    the newest sample; a case reviewed under any sample is not listed again.
    """
    reviewed = {
        r.subject_id for r in db.exec(select(Review).where(col(Review.sample_id).is_not(None)))
    }
    out, listed = [], set()
    for sample in db.exec(select(DipSample).order_by(col(DipSample.created_at).desc())):
        for item in sample.items:
            subject = item["subject_id"]
            if subject not in reviewed and subject not in listed:
                listed.add(subject)
                out.append(QueueItem(sample.id, item))
    return out
