"""Context facts for the checklists, read from the local store (works offline).

Twelve months means the year before the incident: earlier incidents counted, an earlier
high-risk level and an earlier MARAC referral all count only inside it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, or_, select

from firstresponse.attendance.known import known_facts
from firstresponse.lookup.order_outcomes import with_outcomes
from firstresponse.records import Incident, Marker, OrderKind, PersonMarker, ProtectiveOrder

YEAR = timedelta(days=365)
#: Orders and conditions a suspect can breach (MARAC, DVDS and warrants are not).
BREACHABLE = frozenset(
    {
        OrderKind.BAIL_CONDITIONS,
        OrderKind.DVPN,
        OrderKind.DVPO,
        OrderKind.DAPN,
        OrderKind.DAPO,
        OrderKind.RESTRAINING_ORDER,
        OrderKind.NON_MOLESTATION_ORDER,
        OrderKind.STALKING_PROTECTION_ORDER,
    }
)
ORDER_WORDS: dict[str, str] = {
    OrderKind.BAIL_CONDITIONS: "Bail conditions",
    OrderKind.DVPN: "Domestic violence protection notice",
    OrderKind.DVPO: "Domestic violence protection order",
    OrderKind.DAPN: "Domestic abuse protection notice",
    OrderKind.DAPO: "Domestic abuse protection order",
    OrderKind.RESTRAINING_ORDER: "Restraining order",
    OrderKind.NON_MOLESTATION_ORDER: "Non-molestation order",
    OrderKind.STALKING_PROTECTION_ORDER: "Stalking protection order",
}


def _markers(db: Session, person_id: str | None) -> list[str]:
    if not person_id:
        return []
    query = select(PersonMarker.marker).where(PersonMarker.person_id == person_id)
    return sorted(set(db.exec(query)))


def order_label(order: ProtectiveOrder) -> str:
    """How an order reads on the checklist: kind, terms, and until when."""
    words = ORDER_WORDS.get(order.kind, order.kind.replace("_", " ").capitalize())
    until = f" (until {order.ends_on.isoformat()})" if order.ends_on else ""
    detail = f": {order.detail}" if order.detail else ""
    return f"{words}{detail}{until}"


def _orders(db: Session, incident: Incident) -> list[ProtectiveOrder]:
    """Orders naming this suspect as subject, or protecting this victim."""
    people = [col(ProtectiveOrder.protected_id) == incident.victim_id]
    if incident.suspect_id:
        people.append(col(ProtectiveOrder.subject_id) == incident.suspect_id)
    query = select(ProtectiveOrder).where(or_(*people))
    stored = db.exec(query.order_by(col(ProtectiveOrder.starts_on), col(ProtectiveOrder.id)))
    return with_outcomes(db, list(stored))  # a DVPO granted at the hearing, whoever recorded it


def _on_marac(orders: list[ProtectiveOrder], on: date) -> bool:
    """Referred to MARAC within the year before `on` (or the listing is still in force)."""
    for order in orders:
        if order.kind != OrderKind.MARAC or order.protected_id is None:
            continue
        started = order.starts_on
        if order.in_force(on) or (started is not None and on - YEAR <= started <= on):
            return True
    return False


def facts_for(db: Session, incident_id: str | None) -> dict[str, Any]:
    """repeat_victim, incidents_12m, previous_risk_level (within 12 months),
    police_workforce_suspect, markers, live_orders, orders_in_force, on_marac, and what the
    call and the scene already recorded (`known.known_facts`)."""
    incident = db.get(Incident, incident_id) if incident_id else None
    if incident is None:
        return {}
    occurred = _aware(incident.occurred_at)
    since = occurred - YEAR
    earlier = list(
        db.exec(
            select(Incident)
            .where(Incident.victim_id == incident.victim_id, Incident.id != incident.id)
            .order_by(col(Incident.occurred_at).desc())
        )
    )
    recent = [i for i in earlier if since <= _aware(i.occurred_at) <= occurred]
    previous = next((i.risk_level for i in recent if i.risk_level), None)
    suspect_markers = _markers(db, incident.suspect_id)
    on = occurred.date()
    orders = _orders(db, incident)
    in_force = [o for o in orders if o.kind in BREACHABLE and o.in_force(on)]
    return {
        "repeat_victim": bool(earlier),
        "incidents_12m": len(recent),
        "previous_risk_level": previous,
        "police_workforce_suspect": Marker.POLICE_WORKFORCE_SUSPECT in suspect_markers,
        "markers": _markers(db, incident.victim_id),
        "live_orders": len(in_force),
        "orders_in_force": [
            {"id": o.id, "label": order_label(o), "order": order_label(o)} for o in in_force
        ],
        "on_marac": _on_marac(orders, on),
        "suspect_identified": incident.suspect_id is not None,
    } | known_facts(db, incident)


def _aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes: treat them as UTC so they compare."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
