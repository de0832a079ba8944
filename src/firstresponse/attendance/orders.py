"""Orders made at or after the scene, from the first-response answers, as order records.

A protection notice authorised (DVPN, or DAPN where in force) and bail conditions set
become `ProtectiveOrder` rows against the suspect, protecting the victim, so later lookups,
briefings and the breach questions of the next attendance show them. A MARAC referral
made in the risk checklist becomes a MARAC record against the suspect, protecting the
victim, from the day of referral for the 12 months in which a new incident is a repeat
MARAC. Nothing is recorded against the victim: without an identified suspect no order
record is made. Each order's id is derived from the incident and its kind: an amendment
updates the same record (a new version in the outbox), never a second copy.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from firstresponse.records import Incident, OrderKind, ProtectiveOrder

_NAMESPACE = uuid.UUID("5b0f7c1e-8f0e-4f51-9a55-6d1e3c0b9a21")
NOTICE_KINDS = {"dvpn": OrderKind.DVPN, "dapn": OrderKind.DAPN}
BAILED = ("charged_bailed", "bailed")
#: A new incident within this time of a MARAC referral is a repeat MARAC (SafeLives).
REPEAT_MARAC = timedelta(days=365)


def order_id(incident_id: str, kind: str) -> str:
    """The stable record id of the order of `kind` made at this incident."""
    return str(uuid.uuid5(_NAMESPACE, f"{incident_id}:{kind}"))


def _day(value: Any) -> date | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text).date() if len(text) > 10 else date.fromisoformat(text)
    except ValueError:
        return None


def _text(answers: dict[str, Any], key: str) -> str:
    value = answers.get(key)
    return value.strip() if isinstance(value, str) else ""


def orders_made(incident: Incident, answers: dict[str, Any], on: date) -> list[ProtectiveOrder]:
    """The orders these (complete, submitted) first-response answers record as made."""
    if not incident.suspect_id:
        return []
    subject, protected = incident.suspect_id, incident.victim_id
    made: list[ProtectiveOrder] = []
    notice = NOTICE_KINDS.get(answers.get("notice_scheme") or "")
    if notice is not None and answers.get("notice_decision") == "authorised":
        hearing = _day(answers.get("order_hearing_at"))
        detail = _text(answers, "notice_terms")
        authority = _text(answers, "notice_authority")
        extra = [f"authorised by {authority}"] if authority else []
        extra += [f"court hearing by {hearing.isoformat()}"] if hearing else []
        made.append(
            ProtectiveOrder(
                id=order_id(incident.id, notice.value),
                kind=notice.value,
                subject_id=subject,
                protected_id=protected,
                incident_id=incident.id,
                detail="; ".join([detail, *extra]) if detail else "; ".join(extra),
                starts_on=_day(answers.get("notice_served_at")) or on,
                ends_on=hearing,
            )
        )
    if answers.get("suspect_outcome") in BAILED:
        made.append(
            ProtectiveOrder(
                id=order_id(incident.id, OrderKind.BAIL_CONDITIONS.value),
                kind=OrderKind.BAIL_CONDITIONS.value,
                subject_id=subject,
                protected_id=protected,
                incident_id=incident.id,
                detail=_text(answers, "bail_conditions"),
                starts_on=on,
                ends_on=_day(answers.get("bail_until")),
            )
        )
    return made


def marac_referred(
    incident: Incident, risk_answers: dict[str, Any], on: date
) -> list[ProtectiveOrder]:
    """The MARAC referral the risk checklist records as made, as a MARAC record."""
    if risk_answers.get("marac_referral") != "yes" or not incident.suspect_id:
        return []
    return [
        ProtectiveOrder(
            id=order_id(incident.id, OrderKind.MARAC.value),
            kind=OrderKind.MARAC.value,
            subject_id=incident.suspect_id,
            protected_id=incident.victim_id,
            incident_id=incident.id,
            detail=f"Referred to MARAC after {incident.reference}; listing to follow",
            starts_on=on,
            ends_on=on + REPEAT_MARAC,
        )
    ]
