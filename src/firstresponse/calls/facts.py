"""THRIVE context facts from the lookup's history of the people on the call."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from firstresponse.records import Marker
from firstresponse.sync.lookup_protocol import HistoryJson as History

YEAR = timedelta(days=365)


def live_orders(history: History | None) -> list[dict[str, Any]]:
    """Orders and bail conditions in force, as the history lists them."""
    if not history:
        return []
    return [o for o in history.get("orders") or [] if isinstance(o, dict) and o.get("in_force")]


def _when(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        found = value
    elif isinstance(value, str):
        try:
            found = datetime.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    return found.replace(tzinfo=UTC) if found.tzinfo is None else found


def recent_risk_level(history: History, today: date | None = None) -> str:
    """The level of the victim's newest assessed incident in the last 12 months, or ''.

    An assessment older than a year is history, not a reason for today's grade."""
    now = datetime.combine(today, datetime.max.time(), UTC) if today else datetime.now(UTC)
    dated = [
        (when, i.get("risk_level"))
        for i in history.get("incidents") or []
        if isinstance(i, dict)
        and i.get("role", "victim") == "victim"
        and i.get("risk_level")
        and (when := _when(i.get("occurred_at"))) is not None
        and now - YEAR <= when <= now
    ]
    return str(max(dated, key=lambda d: d[0])[1]) if dated else ""


def victim_incidents_12m(history: History, today: date | None = None) -> int:
    """Incidents in the last 12 months at which this person was the victim.

    A history from before the counts by role (no `incidents_12m_as_victim`) is counted
    from its incidents; never from `da_incidents_12m`, which counts every role."""
    if "incidents_12m_as_victim" in history:
        return int(history.get("incidents_12m_as_victim") or 0)
    now = datetime.combine(today, datetime.max.time(), UTC) if today else datetime.now(UTC)
    return sum(
        1
        for i in history.get("incidents") or []
        if isinstance(i, dict)
        and i.get("role") == "victim"
        and (when := _when(i.get("occurred_at"))) is not None
        and now - YEAR <= when
    )


def incidents_by_role(history: History) -> str:
    """The last 12 months by role, in words: "3 as victim, 1 as suspect" (or "none")."""
    if "incidents_12m_as_victim" not in history:
        return str(int(history.get("da_incidents_12m") or 0))
    parts = [
        f"{int(history.get(f'incidents_12m_as_{role}') or 0)} as {role}"
        for role in ("victim", "suspect", "child")
        if history.get(f"incidents_12m_as_{role}")
    ]
    return ", ".join(parts) or "none"


def facts_from_history(
    victim: History | None, suspect: History | None = None, today: date | None = None
) -> dict[str, Any]:
    """The facts `checklists/thrive.toml` declares, from what the lookup found.

    No history (a new person) gives the neutral facts: nobody is a repeat victim by default
    only because the lookup found nothing, but the answers still set the floor.
    """
    victim = victim or {}
    suspect = suspect or {}
    markers = sorted({*victim.get("markers", []), *suspect.get("markers", [])})
    incidents_12m = victim_incidents_12m(victim, today)
    found = suspect.get("perpetrator")
    side: dict[str, Any] = found if isinstance(found, dict) else {}
    previous = [i for i in victim.get("incidents") or [] if i.get("role") == "victim"]
    workforce = Marker.POLICE_WORKFORCE_SUSPECT.value in suspect.get("markers", [])
    return {
        "repeat_victim": bool(
            previous or incidents_12m or Marker.REPEAT_VICTIM.value in victim.get("markers", [])
        ),
        "markers": markers,
        "incidents_12m": incidents_12m,
        "police_workforce_suspect": workforce,
        "live_orders": len(live_orders(victim)) + len(live_orders(suspect)),
        "previous_risk_level": recent_risk_level(victim, today),
        "suspect_markers": sorted(set(suspect.get("markers") or [])),
        "serial_perpetrator": bool(side.get("serial")),
        "suspect_wanted": bool(side.get("wanted")),
    }
