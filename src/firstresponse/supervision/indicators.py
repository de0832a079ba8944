"""High-risk indicators known at the call or the scene, and the attendances they send to
same-shift review even without a high risk level.

An attendance is reviewed in the shift when strangulation, threats to kill or a weapon was
reported at the call or recorded at the scene and the suspect was not arrested, the risk
assessment was skipped or declined, or the victim was not found: each is how a case that
no risk level flags can slip to the random sample.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from firstresponse.records import Assessment, Decision, Incident

THRIVE = "thrive"
FIRST_RESPONSE = "first_response"
RISK = "risk"
#: Answers at the call (THRIVE) that are high-risk indicators, and how they read.
CALL_INDICATORS = {
    "strangulation": "strangulation reported at the call",
    "threats_to_kill": "threats to kill reported at the call",
    "weapons": "a weapon reported at the call",
}
#: Offences recorded at the scene that are high-risk indicators.
SCENE_OFFENCES = {
    "strangulation": "strangulation recorded at the scene",
    "threats_to_kill": "threats to kill recorded at the scene",
}
NO_ARREST_KINDS = {"no_arrest", "no_grounds_to_arrest"}
NOT_ASSESSED_KINDS = {"risk_assessment_declined", "risk_assessment_not_done"}


@dataclass(frozen=True)
class Trigger:
    """Why an attendance needs same-shift review: what happened, after which indicators."""

    assessment: Assessment
    what: str
    indicators: list[str]

    @property
    def why(self) -> str:
        return f"{self.what} after {', '.join(self.indicators)}"


def _newest(rows: list[Assessment], checklist_id: str) -> Assessment | None:
    found = [a for a in rows if a.checklist_id == checklist_id]
    return max(found, key=lambda a: a.version) if found else None


def indicators(thrive: dict[str, Any], first: dict[str, Any]) -> list[str]:
    """The high-risk indicators in the call's and the scene's answers."""
    found = [words for key, words in CALL_INDICATORS.items() if thrive.get(key) == "yes"]
    offences = first.get("offences_disclosed")
    offences = offences if isinstance(offences, list) else []
    found += [words for key, words in SCENE_OFFENCES.items() if key in offences]
    if first.get("weapon_used") == "yes":
        found.append("a weapon recorded at the scene")
    return found


def _what(first: dict[str, Any], risk: dict[str, Any] | None, kinds: set[str]) -> str:
    if kinds & NO_ARREST_KINDS:
        return "No arrest"
    if first.get("victim_present") in ("no", "unknown"):
        return "Victim not found"
    skipped = first.get("risk_checklist_done") in ("no", "unknown")
    declined = risk is not None and risk.get("participation") == "declined"
    if kinds & NOT_ASSESSED_KINDS or skipped or declined or risk is None:
        return "Risk not assessed"
    return ""


def trigger(db: Session, incident: Incident) -> Trigger | None:
    """The reason this attended incident needs same-shift review, or None."""
    rows = list(
        db.exec(
            select(Assessment).where(
                Assessment.incident_id == incident.id, Assessment.status == "submitted"
            )
        )
    )
    first = _newest(rows, FIRST_RESPONSE)
    if first is None:
        return None
    thrive, risk = _newest(rows, THRIVE), _newest(rows, RISK)
    found = indicators(thrive.answers if thrive else {}, first.answers or {})
    if not found:
        return None
    decisions = db.exec(select(Decision).where(Decision.incident_id == incident.id))
    what = _what(first.answers or {}, risk.answers if risk else None, {d.kind for d in decisions})
    return Trigger(first, what, found) if what else None
