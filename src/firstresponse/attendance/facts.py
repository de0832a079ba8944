"""Context facts for the checklists, read from the local store (works offline)."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

from sqlmodel import Session, col, select

from firstresponse.records import Incident, Marker, PersonMarker


def _markers(db: Session, person_id: str | None) -> list[str]:
    if not person_id:
        return []
    query = select(PersonMarker.marker).where(PersonMarker.person_id == person_id)
    return sorted(set(db.exec(query)))


def facts_for(db: Session, incident_id: str | None) -> dict[str, Any]:
    """repeat_victim, incidents_12m, previous_risk_level, police_workforce_suspect, markers."""
    incident = db.get(Incident, incident_id) if incident_id else None
    if incident is None:
        return {}
    since = incident.occurred_at - timedelta(days=365)
    earlier = list(
        db.exec(
            select(Incident)
            .where(Incident.victim_id == incident.victim_id, Incident.id != incident.id)
            .order_by(col(Incident.occurred_at).desc())
        )
    )
    recent = [i for i in earlier if _aware(i.occurred_at) >= _aware(since)]
    previous = next((i.risk_level for i in earlier if i.risk_level), None)
    suspect_markers = _markers(db, incident.suspect_id)
    return {
        "repeat_victim": bool(earlier),
        "incidents_12m": len(recent),
        "previous_risk_level": previous,
        "police_workforce_suspect": Marker.POLICE_WORKFORCE_SUSPECT in suspect_markers,
        "markers": _markers(db, incident.victim_id),
    }


def _aware(value: Any) -> Any:
    """SQLite hands back naive datetimes: treat them as UTC so they compare."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
