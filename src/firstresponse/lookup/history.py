"""One person's history across every incident, order and marker, as a single narrative."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session, col, or_, select

from firstresponse.lookup.disclosures import with_disclosures
from firstresponse.lookup.links import linked_ids, proposals
from firstresponse.lookup.models import HistoryIncident, OrderLine, PersonHistory
from firstresponse.lookup.order_outcomes import with_outcomes
from firstresponse.lookup.perpetrator import perpetrator_of, suspects_of
from firstresponse.lookup.search import as_utc, twelve_month_start
from firstresponse.records import (
    Child,
    Incident,
    OrderKind,
    Person,
    PersonAlias,
    PersonMarker,
    ProtectiveOrder,
)

ORDER_LABELS = {
    OrderKind.BAIL_CONDITIONS: "Bail conditions",
    OrderKind.DVPN: "DVPN",
    OrderKind.DVPO: "DVPO",
    OrderKind.DAPN: "DAPN",
    OrderKind.DAPO: "DAPO",
    OrderKind.RESTRAINING_ORDER: "Restraining order",
    OrderKind.NON_MOLESTATION_ORDER: "Non-molestation order",
    OrderKind.STALKING_PROTECTION_ORDER: "Stalking protection order",
    OrderKind.MARAC: "MARAC",
    OrderKind.DVDS_RIGHT_TO_ASK: "DVDS right to ask",
    OrderKind.DVDS_RIGHT_TO_KNOW: "DVDS right to know",
    OrderKind.WARRANT: "Warrant",
}
DVDS = {OrderKind.DVDS_RIGHT_TO_ASK.value, OrderKind.DVDS_RIGHT_TO_KNOW.value}


def _names(db: Session, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    rows = db.exec(select(Person).where(col(Person.id).in_(ids)))
    return {p.id: p.full_name for p in rows}


def _label(kind: str) -> str:
    try:
        return ORDER_LABELS[OrderKind(kind)]
    except ValueError:
        return kind.replace("_", " ").capitalize()


def _relationship(text: str) -> str:
    return text.replace("_", " ")


def _order_line(
    order: ProtectiveOrder, cluster: set[str], names: dict[str, str], today: date
) -> OrderLine:
    role = "subject" if order.subject_id in cluster else "protected"
    other = order.protected_id if role == "subject" else order.subject_id
    who = names.get(other or "", "")
    text = _label(order.kind)
    if who and order.kind == OrderKind.MARAC:
        text += f" (victim {who})" if role == "subject" else f" (perpetrator {who})"
    elif who and order.kind == OrderKind.WARRANT:  # it protects nobody: it names who is wanted
        text += "" if role == "subject" else f" against {who}"
    elif who:
        text += f", protecting {who}" if role == "subject" else f" against {who}"
    if order.detail:
        text += f": {order.detail}"
    in_force = order.in_force(today)
    if order.ends_on:
        text += f" (until {order.ends_on.isoformat()})" if in_force else f" (ended {order.ends_on})"
    return OrderLine(
        kind=order.kind,
        detail=text,
        in_force=in_force,
        ends_on=order.ends_on,
        starts_on=order.starts_on,
        role=role,
    )


def _incident_line(item: HistoryIncident) -> str:
    when = as_utc(item.occurred_at).date().isoformat()
    who = f" ({_relationship(item.relationship) or 'other party'} {item.other_party})".replace(
        "  ", " "
    )
    parts = [f"{when} {item.reference}: {item.role}{who if item.other_party else ''}"]
    if item.summary:
        parts.append(item.summary.strip().splitlines()[0][:120].rstrip(".;"))
    if item.risk_level:
        parts.append(f"risk {item.risk_level}")
    if item.grade:
        parts.append(f"graded {item.grade.replace('_', ' ')}")
    if item.children:
        parts.append("children: " + ", ".join(item.children))
    if item.restricted:
        parts.append("RESTRICTED")
    return "; ".join(parts)


def _partners(incidents: list[HistoryIncident]) -> list[str]:
    seen: dict[str, list[HistoryIncident]] = {}
    for item in incidents:  # newest first
        if item.other_party:
            seen.setdefault(item.other_party, []).append(item)
    lines = []
    for name, items in seen.items():
        relationship = next((_relationship(i.relationship) for i in items if i.relationship), "")
        latest = as_utc(items[0].occurred_at).date().isoformat()
        count = f"{len(items)} incident{'s' if len(items) != 1 else ''}"
        lines.append(
            f"{name} ({', '.join(p for p in (relationship, count) if p)}, latest {latest})"
        )
    return lines


def _marker_line(marker: PersonMarker) -> str:
    added = as_utc(marker.added_at).date().isoformat()
    source = f" at {marker.source}" if marker.source else ""
    who = f" by {marker.recorded_by}" if marker.recorded_by else ""
    line = f"{marker.marker.replace('_', ' ')}: recorded {added}{source}{who}"
    if marker.note:
        line += f" ({marker.note})"
    if marker.ended_at is not None:
        ended = as_utc(marker.ended_at).date().isoformat()
        line += f"; ENDED {ended} by {marker.ended_by or '?'}: {marker.end_reason}"
    return line


def _linked_line(person: Person, link: str) -> str:
    dob = person.dob.isoformat() if person.dob else "DOB not known"
    return f"{person.full_name} ({dob}){link}"


def _as_child(db: Session, ids: list[str], exclude: frozenset[str]) -> list[Incident]:
    """The incidents at which this person was recorded as a child, newest first."""
    query = (
        select(Incident)
        .join(Child, col(Incident.id) == col(Child.incident_id))
        .where(col(Child.person_id).in_(ids), col(Incident.id).not_in(exclude))
        .order_by(col(Incident.occurred_at).desc(), col(Incident.reference))
    )
    found = db.exec(query).all()
    return list({incident.id: incident for incident in found}.values())  # once each


def _child_line(incident: Incident, names: dict[str, str]) -> tuple[date, str]:
    """A narrative line for an incident the person was at as a child (a restricted one names
    nobody: `security.restricted` guards the incidents a person was victim or suspect at)."""
    when = as_utc(incident.occurred_at).date()
    if incident.restricted:
        return when, f"{when.isoformat()} {incident.reference}: present as a child (restricted)"
    who = [
        f"{role} {names[pid]}"
        for role, pid in (("victim", incident.victim_id), ("suspect", incident.suspect_id))
        if pid and pid in names
    ]
    parties = f" ({', '.join(who)})" if who else ""
    return when, f"{when.isoformat()} {incident.reference}: present as a child{parties}"


def person_history(
    db: Session,
    person_id: str,
    today: date | None = None,
    serial_at: int | None = None,
    exclude: frozenset[str] = frozenset(),
) -> PersonHistory | None:
    """Everything a call handler or officer must know about one person, or None if unknown.

    Records confirmed to be the same person are merged: their incidents, orders,
    markers and names count as this person's. Incidents in `exclude` (the call in hand)
    are not history: left out here and from every suspect profile.
    """
    person = db.get(Person, person_id)
    if person is None:
        return None
    today = today or datetime.now(UTC).date()
    ids = linked_ids(db, person_id)
    cluster = set(ids)
    aliases = db.exec(select(PersonAlias).where(col(PersonAlias.person_id).in_(ids))).all()
    markers = db.exec(
        select(PersonMarker)
        .where(col(PersonMarker.person_id).in_(ids))
        .order_by(col(PersonMarker.added_at))
    ).all()
    incidents = db.exec(
        select(Incident)
        .where(or_(col(Incident.victim_id).in_(ids), col(Incident.suspect_id).in_(ids)))
        .where(col(Incident.id).not_in(exclude))
        .order_by(col(Incident.occurred_at).desc(), col(Incident.reference))
    ).all()
    stored = db.exec(
        select(ProtectiveOrder).where(
            or_(
                col(ProtectiveOrder.subject_id).in_(ids),
                col(ProtectiveOrder.protected_id).in_(ids),
            )
        )
    ).all()
    orders = with_disclosures(db, with_outcomes(db, list(stored)), ids, ids)
    as_child = _as_child(db, ids, exclude)
    others = {i.suspect_id if i.victim_id in cluster else i.victim_id for i in incidents}
    others |= {o.protected_id if o.subject_id in cluster else o.subject_id for o in orders}
    others |= {pid for i in as_child for pid in (i.victim_id, i.suspect_id)}
    names = _names(db, {o for o in others if o and o not in cluster})
    children: dict[str, list[str]] = {}
    if incidents:
        kids = db.exec(select(Child).where(col(Child.incident_id).in_([i.id for i in incidents])))
        for kid in kids:
            age = f" ({kid.age})" if kid.age is not None else ""
            children.setdefault(kid.incident_id, []).append(kid.name + age)

    history = PersonHistory(person_id=person.id, name=person.full_name, dob=person.dob)
    history.person_ids = ids
    owners = {p.id: p for p in db.exec(select(Person).where(col(Person.id).in_(ids)))}
    history.aliases = [
        f"{a.forename or owners[a.person_id].forename} {a.surname or owners[a.person_id].surname}"
        f" ({a.kind.replace('_', ' ')})"
        for a in aliases
    ]
    history.linked_records = [
        _linked_line(owners[pid], ": confirmed the same person") for pid in ids[1:]
    ]
    history.markers = list(dict.fromkeys(m.marker for m in markers if m.ended_at is None))
    history.marker_details = [_marker_line(m) for m in markers]
    since = twelve_month_start(today)
    for incident in incidents:
        victim = incident.victim_id in cluster
        other = incident.suspect_id if victim else incident.victim_id
        item = HistoryIncident(
            incident_id=incident.id,
            reference=incident.reference,
            occurred_at=incident.occurred_at,
            role="victim" if victim else "suspect",
            other_party=names.get(other or "", ""),
            relationship=incident.relationship,
            summary=incident.summary,
            risk_level=incident.risk_level,
            grade=incident.grade,
            children=children.get(incident.id, []),
            restricted=incident.restricted,
        )
        history.incidents.append(item)
        if as_utc(incident.occurred_at) >= since:
            history.da_incidents_12m += 1
            if victim:
                history.incidents_12m_as_victim += 1
            else:
                history.incidents_12m_as_suspect += 1
    history.incidents_12m_as_child = sum(as_utc(i.occurred_at) >= since for i in as_child)
    history.last_risk_level = next((i.risk_level for i in history.incidents if i.risk_level), None)
    history.previous_partners = _partners(history.incidents)
    lines = [_order_line(o, cluster, names, today) for o in orders]
    lines.sort(key=lambda o: (not o.in_force, -(o.starts_on or date.min).toordinal()))
    history.orders = lines
    history.on_marac = any(o.kind == OrderKind.MARAC and o.in_force for o in lines)
    history.bail_conditions = [
        o.detail for o in lines if o.kind == OrderKind.BAIL_CONDITIONS and o.in_force
    ]
    history.dvds = [o.detail for o in lines if o.kind in DVDS]
    history.perpetrator = perpetrator_of(db, ids, today, serial_at, exclude)
    history.suspects = suspects_of(db, list(incidents), cluster, today, serial_at, exclude)
    history.possible_links = proposals(db, person_id)
    history.narrative = _narrative(history, [_child_line(i, names) for i in as_child])
    return history


def _narrative(history: PersonHistory, as_child: list[tuple[date, str]]) -> list[str]:
    dated: list[tuple[date, str]] = [
        (as_utc(i.occurred_at).date(), _incident_line(i)) for i in history.incidents
    ]
    dated += as_child
    for order in history.orders:
        when = order.starts_on or order.ends_on
        if when:
            state = "in force" if order.in_force else "not in force"
            dated.append((when, f"{when.isoformat()} {order.detail} [{state}]"))
    dated.sort(key=lambda d: d[0], reverse=True)
    return [line for _, line in dated]
