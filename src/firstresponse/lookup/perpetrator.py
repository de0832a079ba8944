"""The suspect's side of the story: what an officer going to the door must know about them.

Built for any person who has been a suspect, or has orders, warrants or warning
markers against them: live orders and bail (whoever they protect), warrants and
wanted status, warning markers, earlier victims with dates and risk levels, and
DVDS disclosures about them. Two or more victims (configurable) makes them a serial
perpetrator. Linked records of one person count as one, on both sides.

Restricted incidents stay restricted by construction: a victim known only from a
restricted incident is counted, never named, and a suspect known to a victim only
from restricted incidents is shown as "[restricted]" with what protects her (orders,
warrants, warning markers), so these profiles need no per-user guarding.
"""

from __future__ import annotations

import os
from datetime import date
from functools import lru_cache

from sqlmodel import Session, col, select

from firstresponse.lookup.disclosures import disclosures, with_disclosures
from firstresponse.lookup.links import clusters
from firstresponse.lookup.models import SuspectProfile
from firstresponse.lookup.order_outcomes import with_outcomes
from firstresponse.lookup.search import as_utc
from firstresponse.records import Incident, Person, PersonMarker, ProtectiveOrder, Warrant
from firstresponse.vocab import WARNING_MARKERS, OrderKind

WITHHELD = "[restricted]"
SERIAL_AT = 2
DVDS = {OrderKind.DVDS_RIGHT_TO_ASK.value, OrderKind.DVDS_RIGHT_TO_KNOW.value}
ENV_SERIAL_AT = "FIRSTRESPONSE_SERIAL_PERPETRATOR_VICTIMS"
RISK_RANK = {"standard": 0, "medium": 1, "high": 2}


@lru_cache(maxsize=1)
def serial_threshold() -> int:
    """Victims at which a suspect is flagged a serial perpetrator (setting, default 2)."""
    raw = os.environ.get(ENV_SERIAL_AT, "")
    if raw.strip():
        return max(2, int(raw))
    try:
        from firstresponse.config import load_settings

        return max(2, int(load_settings().serial_perpetrator_victims))
    except (ImportError, AttributeError, ValueError):
        return SERIAL_AT


def _order_text(order: ProtectiveOrder, names: dict[str, str]) -> str:
    label = order.kind.replace("_", " ")
    known = {"dvpn": "DVPN", "dvpo": "DVPO", "marac": "MARAC"}
    known |= {k: "DVDS " + k.removeprefix("dvds_").replace("_", " ") for k in DVDS}
    label = known.get(order.kind, label.capitalize())
    who = names.get(order.protected_id or "", "")
    text = label + (f", protecting {who}" if who else "")
    if order.detail:
        text += f": {order.detail}"
    if order.ends_on:
        text += f" (until {order.ends_on.isoformat()})"
    return text


def _warrant_text(warrant: Warrant) -> str:
    kind = "Wanted (circulated)" if warrant.kind == "wanted" else f"{warrant.kind} warrant"
    parts = [kind[0].upper() + kind[1:]]
    if warrant.offence:
        parts.append(warrant.offence)
    if warrant.issued_on:
        parts.append(f"issued {warrant.issued_on.isoformat()}")
    if warrant.issued_by:
        parts.append(f"by {warrant.issued_by}")
    text = ", ".join(parts)
    return text + (f": {warrant.detail}" if warrant.detail else "")


def _names(db: Session, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    rows = db.exec(
        select(Person.id, Person.forename, Person.surname).where(col(Person.id).in_(ids))
    )
    return {pid: f"{f} {s}".strip() for pid, f, s in rows}


def profiles(
    db: Session,
    suspect_ids: list[str],
    today: date,
    *,
    serial_at: int | None = None,
    withheld: set[str] | frozenset[str] = frozenset(),
    exclude: frozenset[str] = frozenset(),
) -> dict[str, SuspectProfile]:
    """The profile of each suspect (linked records merged); those in `withheld` unnamed;
    incidents in `exclude` (the call in hand) left out."""
    serial_at = serial_at or serial_threshold()
    groups = clusters(db, suspect_ids)
    every = {pid for ids in groups.values() for pid in ids}
    if not every:
        return {}
    incidents = list(
        db.exec(
            select(Incident)
            .where(col(Incident.suspect_id).in_(every), col(Incident.id).not_in(exclude))
            .order_by(col(Incident.occurred_at).desc())
        )
    )
    orders = with_disclosures(
        db,
        with_outcomes(
            db,
            list(
                db.exec(select(ProtectiveOrder).where(col(ProtectiveOrder.subject_id).in_(every)))
            ),
        ),
        every,
    )
    warrants = list(db.exec(select(Warrant).where(col(Warrant.person_id).in_(every))))
    markers = list(
        db.exec(
            select(PersonMarker).where(
                col(PersonMarker.person_id).in_(every),
                col(PersonMarker.marker).in_([m.value for m in WARNING_MARKERS]),
                col(PersonMarker.ended_at).is_(None),
            )
        )
    )
    victim_groups = clusters(db, {i.victim_id for i in incidents})
    names = _names(
        db,
        every
        | {i.victim_id for i in incidents}
        | {o.protected_id for o in orders if o.protected_id},
    )
    out: dict[str, SuspectProfile] = {}
    for suspect_id, ids in groups.items():
        mine = set(ids)
        withhold = suspect_id in withheld
        profile = SuspectProfile(
            person_id=suspect_id, name=WITHHELD if withhold else names.get(suspect_id, "")
        )
        hidden_name = names.get(suspect_id, "")
        profile.markers = sorted({m.marker for m in markers if m.person_id in mine})
        victims: dict[str, list[Incident]] = {}
        restricted_victims: set[str] = set()
        for incident in (i for i in incidents if i.suspect_id in mine):
            victim = min(victim_groups[incident.victim_id])  # one key per linked victim
            if incident.restricted:
                profile.restricted_incidents += 1
                restricted_victims.add(victim)
            else:
                victims.setdefault(victim, []).append(incident)
        for items in victims.values():
            risks = [i.risk_level for i in items if i.risk_level]
            worst = max(risks, key=lambda r: RISK_RANK.get(r, -1)) if risks else "not assessed"
            dates = sorted(as_utc(i.occurred_at).date().isoformat() for i in items)
            when = dates[-1] if len(dates) == 1 else f"{dates[0]} to {dates[-1]}"
            count = f"{len(items)} incident{'s' if len(items) != 1 else ''}"
            latest_risk = items[0].risk_level or "not assessed"
            profile.victims.append(
                f"{names.get(items[0].victim_id, '?')}: {count}, {when}, latest risk {latest_risk}"
                + (f" (highest {worst})" if worst != latest_risk else "")
            )
        profile.victim_count = len(set(victims) | restricted_victims)
        if restricted_victims - set(victims):
            profile.victims.append(
                f"{len(restricted_victims - set(victims))} more in restricted record(s)"
            )
        profile.serial = profile.victim_count >= serial_at
        for order in (o for o in orders if o.subject_id in mine):
            text = _order_text(order, names)
            if withhold and hidden_name:
                text = text.replace(hidden_name, WITHHELD)
            if order.kind in DVDS:
                profile.dvds.append(f"{order.starts_on or '?'} {text}")
            elif order.in_force(today) and order.kind != OrderKind.WARRANT:  # a warrant below
                (
                    profile.bail if order.kind == OrderKind.BAIL_CONDITIONS else profile.orders
                ).append(text)
        live = [w for w in warrants if w.person_id in mine and w.live]
        live += [  # warrants imported as orders (the import format's order_kind "warrant")
            Warrant(person_id=o.subject_id, kind="arrest", issued_on=o.starts_on, detail=o.detail)
            for o in orders
            if o.subject_id in mine and o.kind == OrderKind.WARRANT and o.in_force(today)
        ]
        profile.warrants = [_warrant_text(w) for w in live]
        profile.wanted = bool(live)
        out[suspect_id] = profile
    return out


def perpetrator_of(
    db: Session,
    person_ids: list[str],
    today: date,
    serial_at: int | None = None,
    exclude: frozenset[str] = frozenset(),
) -> SuspectProfile | None:
    """The person's own side as a suspect, or None when nothing is held against them
    (incidents in `exclude`, the call in hand, are not held against them)."""
    held = db.exec(
        select(Incident.id)
        .where(col(Incident.suspect_id).in_(person_ids), col(Incident.id).not_in(exclude))
        .limit(1)
    ).first()
    held = (
        held
        or db.exec(
            select(ProtectiveOrder.id)
            .where(col(ProtectiveOrder.subject_id).in_(person_ids))
            .limit(1)
        ).first()
    )
    held = held or next((d.id for d in disclosures(db, person_ids)), None)
    held = (
        held
        or db.exec(
            select(Warrant.id).where(col(Warrant.person_id).in_(person_ids)).limit(1)
        ).first()
    )
    held = (
        held
        or db.exec(
            select(PersonMarker.id).where(
                col(PersonMarker.person_id).in_(person_ids),
                col(PersonMarker.marker).in_([m.value for m in WARNING_MARKERS]),
            )
        ).first()
    )
    if not held:
        return None
    found = profiles(db, person_ids[:1], today, serial_at=serial_at, exclude=exclude)
    return found.get(person_ids[0])


def suspects_of(
    db: Session, incidents: list[Incident], cluster: set[str], today: date,
    serial_at: int | None = None, exclude: frozenset[str] = frozenset(),
) -> list[SuspectProfile]:  # fmt: skip
    """Profiles of the people who were suspects against this person, latest first."""
    latest: dict[str, date] = {}
    open_: set[str] = set()
    for incident in incidents:  # newest first
        sid = incident.suspect_id
        if incident.victim_id in cluster and sid and sid not in cluster:
            latest.setdefault(sid, as_utc(incident.occurred_at).date())
            if not incident.restricted:
                open_.add(sid)
    if not latest:
        return []
    found = profiles(
        db, list(latest), today, serial_at=serial_at, withheld=set(latest) - open_,
        exclude=exclude,
    )  # fmt: skip
    ranked = sorted(found.values(), key=lambda p: latest[p.person_id], reverse=True)
    for profile in ranked:
        profile.latest = latest[profile.person_id]
    return ranked
