"""The briefing for attending officers (CONTRACTS.md "briefing"): summary plus sections."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from firstresponse.calls.facts import live_orders
from firstresponse.checklist import Checklist, Evaluation
from firstresponse.records import Child, Grade, Incident, Marker, Person, utcnow

History = dict[str, Any]
YES = "yes"
NARRATIVE_LINES = 6


def _words(value: str) -> str:
    return value.replace("_", " ")


def routine_reasons(checklist: Checklist | None) -> set[str]:
    """Floor reasons that hold for every call (e.g. 'not sending anyone needs agreement'):
    true, but not a risk worth a responder's attention."""
    if checklist is None or checklist.grading is None:
        return set()
    scheduled = Grade.SCHEDULED.urgency
    return {
        f.why or f.label
        for f in checklist.grading.floors
        if f.level in {g.value for g in Grade} and Grade(f.level).urgency <= scheduled
    }


def _risks(
    answers: dict[str, Any], ev: Evaluation, history: History, routine: set[str]
) -> list[str]:
    lines = [r for r in ev.grade_floor_reasons if r not in routine]
    for key, text in (
        ("strangulation", "Strangulation or restricted breathing reported"),
        ("threats_to_kill", "Threats to kill"),
        ("injuries", "Someone is injured"),
    ):
        if answers.get(key) == YES and text not in lines:
            lines.append(text)
    if history.get("last_risk_level") and not any(x.startswith("Last assessed") for x in lines):
        lines.append(f"Last assessed risk: {history['last_risk_level']}")
    if history.get("on_marac"):
        lines.append("Victim is on the MARAC list")
    lines += [f"Referral: {r.label}" for r in ev.referrals]
    vulnerabilities = [v for v in answers.get("vulnerabilities") or [] if v != "none_known"]
    if vulnerabilities:
        lines.append("Needs: " + ", ".join(_words(v) for v in vulnerabilities))
    return lines


def _weapons(answers: dict[str, Any], history: History, suspect_markers: list[str]) -> list[str]:
    lines = []
    if answers.get("weapons") == YES:
        lines.append("Weapon used, threatened or available (caller)")
    elif answers.get("weapons") == "unknown":
        lines.append("Not known whether a weapon is available")
    if Marker.FIREARMS.value in {*history.get("markers", []), *suspect_markers}:
        lines.append("FIREARMS marker on a person linked to the call")
    return lines or ["None reported"]


def _children(children: list[Child], answers: dict[str, Any]) -> list[str]:
    lines = [
        f"{c.name}" + (f", {c.age}" if c.age is not None else "") + " - see and speak to"
        for c in children
    ]
    if answers.get("children_details"):
        lines.append(f"Caller said: {answers['children_details']}")
    if not lines and answers.get("children_present") == YES:
        lines.append("Children present or living there: names not yet known")
    return lines or ["None known"]


def _orders(history: History) -> list[str]:
    lines = []
    for order in live_orders(history):
        ends = f" until {order['ends_on']}" if order.get("ends_on") else ""
        lines.append(f"{_words(str(order.get('kind', '')))}: {order.get('detail', '')}{ends}")
    lines += [f"Bail: {b}" for b in history.get("bail_conditions") or []]
    lines += [f"DVDS: {d}" for d in history.get("dvds") or []]
    return lines or ["None in force known"]


def _history(history: History) -> list[str]:
    if not history:
        return ["No previous record found for the person at risk"]
    lines = [f"DA incidents in the last 12 months: {history.get('da_incidents_12m', 0)}"]
    if history.get("previous_partners"):
        lines.append("Previous partners: " + ", ".join(history["previous_partners"]))
    lines += list(history.get("narrative") or [])[:NARRATIVE_LINES]
    return lines


def build_briefing(
    incident: Incident,
    victim: Person | None,
    answers: dict[str, Any],
    ev: Evaluation,
    *,
    history: History | None = None,
    suspect: Person | None = None,
    suspect_markers: list[str] | None = None,
    children: list[Child] | None = None,
    restricted: bool = False,
    checklist: Checklist | None = None,
) -> dict[str, Any]:
    """The briefing JSON stored in `Assignment.briefing`. Pure."""
    history = history or {}
    grade = str(answers.get("grade") or incident.grade or "")
    victim_name = victim.full_name if victim else "unknown"
    place = ", ".join(p for p in (incident.address, incident.postcode) if p) or "address unknown"
    risks = _risks(answers, ev, history, routine_reasons(checklist))
    headline = "; ".join(risks[:2]) if risks else "no risk indicators recorded"
    call = [f"Reported: {incident.summary or 'not recorded'}"]
    if incident.relationship:
        call.append(f"Relationship: {_words(incident.relationship)}")
    if suspect is not None:
        present = {"yes": "at or near the address", "no": "not there", "unknown": "not known"}
        where = present.get(str(answers.get("suspect_present")), "not known")
        call.append(f"Suspect: {suspect.full_name} ({where})")
    if answers.get("suspect_whereabouts"):
        call.append(f"Suspect whereabouts: {answers['suspect_whereabouts']}")
    if answers.get("caller_can_talk") == "no":
        call.append("Caller cannot talk freely: do not call back without a safe plan")
    sections = [
        {"title": "Call", "lines": call},
        {"title": "Risks", "lines": risks or ["None recorded"]},
        {"title": "Weapons", "lines": _weapons(answers, history, suspect_markers or [])},
        {"title": "Children", "lines": _children(children or [], answers)},
        {"title": "Orders", "lines": _orders(history)},
        {"title": "History", "lines": _history(history)},
        {
            "title": "Markers",
            "lines": [_words(m) for m in history.get("markers") or []] or ["None"],
        },
    ]
    if restricted:
        sections.insert(
            0,
            {
                "title": "Restricted",
                "lines": ["Suspect is police workforce: restricted record, PSD notified"],
            },
        )
    return {
        "summary": f"{_words(grade).upper()}: {victim_name}, {place}. {headline}",
        "sections": sections,
        "generated_at": utcnow().isoformat(),
        "incident_reference": incident.reference,
        "grade": grade,
        "restricted": restricted,
    }


def briefing_for(
    db: Session,
    incident: Incident,
    answers: dict[str, Any],
    ev: Evaluation,
    history: History | None = None,
    suspect_markers: list[str] | None = None,
    restricted: bool = False,
    checklist: Checklist | None = None,
) -> dict[str, Any]:
    """Load the incident's people and children and build its briefing (reads only)."""
    victim = db.get(Person, incident.victim_id)
    suspect = db.get(Person, incident.suspect_id) if incident.suspect_id else None
    children = list(db.exec(select(Child).where(Child.incident_id == incident.id)))
    return build_briefing(
        incident,
        victim,
        answers,
        ev,
        history=history,
        suspect=suspect,
        suspect_markers=suspect_markers,
        children=children,
        restricted=restricted or incident.restricted,
        checklist=checklist,
    )
