"""The briefing for attending officers (CONTRACTS.md "briefing"): summary plus sections."""

from __future__ import annotations

from typing import Any

from pydantic_core import to_jsonable_python
from sqlmodel import Session, select

from firstresponse.calls.facts import incidents_by_role, live_orders
from firstresponse.checklist import Checklist, Evaluation
from firstresponse.lookup.links import linked_ids
from firstresponse.lookup.perpetrator import perpetrator_of
from firstresponse.records import Child, Grade, Incident, Marker, Person, utcnow
from firstresponse.sync.lookup_protocol import HistoryJson as History
from firstresponse.wording import plural

Profile = dict[str, Any]  # the JSON form of lookup.perpetrator.SuspectProfile
YES = "yes"
NARRATIVE_LINES = 6
SUSPECT_PROFILES = 2  # from the victim's history, when the call's suspect is not known


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
    answers: dict[str, Any],
    ev: Evaluation,
    history: History,
    routine: set[str],
    suspects: list[Profile],
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
    for p in suspects:
        if p.get("serial"):
            lines.append(f"Serial perpetrator: {p['name']} ({p.get('victim_count')} victims)")
        if p.get("wanted"):
            warrants = plural(len(p.get("warrants") or []), "live warrant")
            lines.append(f"{p['name']} is wanted: {warrants}")
    lines += [f"Referral: {r.label}" for r in ev.referrals]
    vulnerabilities = [v for v in answers.get("vulnerabilities") or [] if v != "none_known"]
    if vulnerabilities:
        lines.append("Needs: " + ", ".join(_words(v) for v in vulnerabilities))
    return lines


def _weapons(
    answers: dict[str, Any], history: History, suspect_markers: list[str], suspects: list[Profile]
) -> list[str]:
    lines = []
    if answers.get("weapons") == YES:
        lines.append("Weapon used, threatened or available (caller)")
    elif answers.get("weapons") == "unknown":
        lines.append("Not known whether a weapon is available")
    profiled = {m for p in suspects for m in p.get("markers") or []}
    if Marker.FIREARMS.value in {*history.get("markers", []), *suspect_markers, *profiled}:
        lines.append("FIREARMS marker on a person linked to the call")
    for p in suspects:
        if Marker.WEAPONS.value in (p.get("markers") or []):
            lines.append(f"WEAPONS marker on {p['name']}")
    return lines or ["None reported"]


def _suspect(suspects: list[Profile], chosen: bool) -> list[str]:
    """The suspect's side: orders protecting anyone, bail, warrants, markers, victims, DVDS."""
    if not suspects:
        return ["No record held for the suspect"]
    unnamed = "Suspect on this call not identified; known from the victim's history:"
    lines = [] if chosen else [unnamed]
    for p in suspects:
        lines.append(_headline(p))
        lines += [f"  Order: {o}" for o in p.get("orders") or []]
        lines += [f"  Bail: {b}" for b in p.get("bail") or []]
        lines += [f"  Warrant: {w}" for w in p.get("warrants") or []]
        if p.get("victims"):
            lines.append("  Victims: " + " | ".join(p["victims"]))
        lines += [f"  DVDS: {d}" for d in p.get("dvds") or []]
    return lines


def _headline(p: Profile) -> str:
    parts = []
    if p.get("serial"):
        parts.append(f"SERIAL PERPETRATOR ({p.get('victim_count')} victims)")
    if p.get("wanted"):
        parts.append("WANTED")
    parts += [_words(m).upper() for m in p.get("markers") or []]
    return f"{p.get('name', '?')}: " + ("; ".join(parts) if parts else "no warning markers")


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


def _orders(history: History, suspects: list[Profile]) -> list[str]:
    lines = []
    for order in live_orders(history):
        detail, ends_on = str(order.get("detail", "")), order.get("ends_on")
        ends = f" until {ends_on}" if ends_on and str(ends_on) not in detail else ""
        lines.append(f"{_words(str(order.get('kind', '')))}: {detail}{ends}")
    lines += [f"Bail: {b}" for b in history.get("bail_conditions") or []]
    lines += [f"DVDS: {d}" for d in history.get("dvds") or []]
    shown = " ".join(lines)
    for p in suspects:  # the suspect's orders protecting other people, too
        for order in [*(p.get("orders") or []), *(p.get("bail") or [])]:
            if order.split(": ", 1)[-1] not in shown:
                lines.append(f"{p.get('name', 'Suspect')}: {order}")
    return lines or ["None in force known"]


def _history(history: History) -> list[str]:
    if not history:
        return ["No previous record found for the person at risk"]
    lines = [f"DA incidents in the last 12 months: {incidents_by_role(history)}"]
    lines += [f"Linked record: {r}" for r in history.get("linked_records") or []]
    if history.get("previous_partners"):
        lines.append("Previous partners: " + ", ".join(history["previous_partners"]))
    narrative = list(history.get("narrative") or [])
    lines += narrative[:NARRATIVE_LINES]
    incidents = history.get("incidents") or []
    if len(narrative) > NARRATIVE_LINES and incidents:  # the first incident is always told
        first = incidents[-1]
        when = str(first.get("occurred_at", ""))[:10]
        shown = [line for line in narrative if line.startswith(f"{when} {first.get('reference')}")]
        lines += [f"First recorded: {line}" for line in shown[:1]]
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
    suspects: list[Profile] | None = None,
    suspect_known: bool = False,
) -> dict[str, Any]:
    """The briefing JSON stored in `Assignment.briefing`. Pure.

    `suspects` are profiles of the call's suspect (`suspect_known`) or, when the call's
    suspect has no record, of the suspects in the victim's history.
    """
    history = history or {}
    suspects = suspects or []
    grade = str(answers.get("grade") or incident.grade or "")
    victim_name = victim.full_name if victim else "unknown"
    place = ", ".join(p for p in (incident.address, incident.postcode) if p) or "address unknown"
    risks = _risks(answers, ev, history, routine_reasons(checklist), suspects)
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
        {"title": "Suspect", "lines": _suspect(suspects, suspect_known)},
        {
            "title": "Weapons",
            "lines": _weapons(answers, history, suspect_markers or [], suspects),
        },
        {"title": "Children", "lines": _children(children or [], answers)},
        {"title": "Orders", "lines": _orders(history, suspects)},
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
    suspects = _call_suspect(db, incident)
    known = bool(suspects)
    if not known:
        suspects = list((history or {}).get("suspects") or [])[:SUSPECT_PROFILES]
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
        suspects=suspects,
        suspect_known=known,
    )


def _call_suspect(db: Session, incident: Incident) -> list[Profile]:
    """The call's suspect's side from the records held here ([] if nothing is held); the
    call itself is not held against them."""
    if not incident.suspect_id:
        return []
    ids = linked_ids(db, incident.suspect_id)
    profile = perpetrator_of(db, ids, utcnow().date(), exclude=frozenset({incident.id}))
    if profile is None:
        return []
    data = to_jsonable_python(profile, fallback=str)
    return [data] if isinstance(data, dict) else []
