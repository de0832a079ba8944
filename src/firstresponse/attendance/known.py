"""What the call and the scene already recorded, carried forward as facts for what follows.

One rule set across call, scene and risk: children the call recorded, strangulation,
threats to kill, a weapon and an injury reported by the caller (`call_*`), and what the
officer recorded at the scene (`scene_*`, `known_children`) are facts the later checklists
are checked against. An answer contradicting them needs a reason and is a `contradicts_earlier`
decision (declared in the checklists); the risk checklist opens with them filled in.

The call's answers are read from the THRIVE assessment when this store holds it (the call
handler's terminal, a supervisor's, the hub), else from the briefing the officer was sent:
its `known` table when the briefing has one, else its lines, as `calls.briefing` words them.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from firstresponse.records import Assessment, Assignment, Child, Incident

THRIVE = "thrive"
FIRST_RESPONSE = "first_response"
RISK = "risk"
#: THRIVE answer -> the fact it carries forward (known when the answer is "yes").
CALL_ANSWERS = {
    "strangulation": "call_strangulation",
    "threats_to_kill": "call_threats_to_kill",
    "weapons": "call_weapons",
    "injuries": "call_injuries",
}
#: Briefing lines (as `calls.briefing` writes them) that say the same, for a responder's
#: terminal that holds the briefing but not the THRIVE answers.
BRIEFING_LINES = {
    "Strangulation or restricted breathing reported": "call_strangulation",
    "Threats to kill": "call_threats_to_kill",
    "Weapon used, threatened or available (caller)": "call_weapons",
    "Someone is injured": "call_injuries",
}
#: Risk checklist answers that open as "yes" when the fact is known.
RISK_FILLS = {
    "strangulation": ("call_strangulation", "scene_strangulation"),
    "threats_to_kill": ("call_threats_to_kill", "scene_threats_to_kill"),
    "weapon_used": ("scene_weapon",),
    "breached_conditions": ("scene_breach",),
    "children_in_household": ("known_children",),
}


def _newest(db: Session, incident_id: str, checklist_id: str) -> Assessment | None:
    query = select(Assessment).where(
        Assessment.incident_id == incident_id, Assessment.checklist_id == checklist_id
    )
    return db.exec(query.order_by(col(Assessment.updated_at).desc())).first()


def _briefing_facts(db: Session, incident_id: str) -> dict[str, bool]:
    found: dict[str, bool] = {}
    for assignment in db.exec(select(Assignment).where(Assignment.incident_id == incident_id)):
        brief = assignment.briefing or {}
        known = brief.get("known")
        if isinstance(known, dict):
            found |= {f: True for a, f in CALL_ANSWERS.items() if known.get(a) == "yes"}
        for section in brief.get("sections") or []:
            for line in section.get("lines") or [] if isinstance(section, dict) else []:
                if line in BRIEFING_LINES:
                    found[BRIEFING_LINES[line]] = True
    return found


def recorded_children(db: Session, incident_id: str) -> list[dict[str, Any]]:
    """The children already recorded for the incident (by the call handler, or an earlier
    submission), as entries of the `call_children` fact: record id, name and age."""
    rows = db.exec(select(Child).where(Child.incident_id == incident_id)).all()
    return [
        {"id": c.id, "label": c.name, "name": c.name}
        | ({"age": c.age} if c.age is not None else {})
        for c in sorted(rows, key=lambda c: (c.name, c.age or 0, c.id))
    ]


def call_facts(db: Session, incident: Incident) -> dict[str, Any]:
    """The children the call (or an earlier submission) recorded, and the caller's answers."""
    facts: dict[str, Any] = {"call_children": recorded_children(db, incident.id)}
    facts |= {f: False for f in CALL_ANSWERS.values()}
    thrive = _newest(db, incident.id, THRIVE)
    if thrive is not None:
        answers = thrive.answers or {}
        facts |= {f: answers.get(a) == "yes" for a, f in CALL_ANSWERS.items()}
    else:
        facts |= _briefing_facts(db, incident.id)
    return facts


def _scene_children(answers: dict[str, Any]) -> int:
    """Children the officer kept on the record (not removed as recorded in error)."""
    children = answers.get("children")
    entries = children if isinstance(children, list) else []
    return sum(
        1 for c in entries if isinstance(c, dict) and c.get("connected") != "recorded_in_error"
    )


def scene_facts(answers: dict[str, Any]) -> dict[str, Any]:
    """What the first response recorded, for the risk checklist."""
    offences = answers.get("offences_disclosed")
    offences = offences if isinstance(offences, list) else []
    orders = answers.get("orders_in_force")
    return {
        "scene_strangulation": "strangulation" in offences,
        "scene_threats_to_kill": "threats_to_kill" in offences,
        "scene_weapon": answers.get("weapon_used") == "yes",
        "scene_stalking": bool({"stalking", "harassment"} & set(offences)),
        "scene_breach": "breach" in offences
        or any(isinstance(o, dict) and o.get("breached") == "yes" for o in orders or []),
    }


def known_facts(db: Session, incident: Incident) -> dict[str, Any]:
    """`call_facts`, the newest first response's `scene_facts`, and `known_children`: the
    children the officer kept on the record, or (before the first response says) the call's."""
    first = _newest(db, incident.id, FIRST_RESPONSE)
    answers = first.answers if first is not None else {}
    facts = call_facts(db, incident) | scene_facts(answers)
    present, called = answers.get("children_present"), len(facts["call_children"])
    shown = present in ("yes", "unknown") or (present == "no" and called)  # the group's `when`
    known = (_scene_children(answers) if shown else 0) if present else called
    return facts | {"known_children": known}


def risk_fills(facts: dict[str, Any] | None) -> dict[str, str]:
    """Risk checklist answers a new draft opens with: "yes" where the fact is known."""
    facts = facts or {}
    return {item: "yes" for item, names in RISK_FILLS.items() if any(facts.get(n) for n in names)}
