"""A person's record as the hub holds it, in store form: the rows a terminal copies so a
call can name that very person and read their whole history offline.

The rows are those `lookup.person_history` and the suspect profiles read: the person and
every record confirmed to be them; their aliases, markers, orders (as subject or as the
one protected), warrants, incidents with their children and DVDS disclosures; and, for
each other party (a suspect against them, the person an order protects), that party's own
side as a suspect: their incidents, orders, warrants, markers and disclosures. Every person
a copied row refers to comes along, so the copy stands on its own in a terminal's store.

A restricted incident goes whole only to roles allowed restricted records and to the call
handler who took it. Everyone else receives what protects the victim and the children
(date, reference, risk level, grade, children) with the suspect and the summary withheld,
as the feed and `security.restricted.guard_history` withhold them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, SQLModel, col, or_, select

from firstresponse.hub.versions import newest
from firstresponse.lookup.disclosures import DISCLOSED
from firstresponse.lookup.links import clusters, linked_ids
from firstresponse.lookup.order_outcomes import outcomes_of
from firstresponse.records import (
    Child,
    DvdsApplication,
    DvdsStep,
    Incident,
    OrderOutcome,
    Person,
    PersonAlias,
    PersonLink,
    PersonMarker,
    ProtectiveOrder,
    User,
    Warrant,
)
from firstresponse.security.restricted import REDACTED_SUMMARY, can_view_restricted
from firstresponse.sync.person_copy import TABLES, table_name

Rows = dict[str, list[dict[str, Any]]]


def _ids(values: Iterable[str | None]) -> set[str]:
    return {v for v in values if v}


def _incidents(db: Session, victims: set[str], suspects: set[str]) -> list[Incident]:
    where = []
    if victims:
        where.append(col(Incident.victim_id).in_(victims))
    if suspects:
        where.append(col(Incident.suspect_id).in_(suspects))
    return list(db.exec(select(Incident).where(or_(*where)))) if where else []


def _disclosed(db: Session, about: set[str], protecting: set[str]) -> list[DvdsApplication]:
    """DVDS applications with a disclosure made, about `about` or protecting `protecting`."""
    where = [col(DvdsApplication.subject_id).in_(about)]
    if protecting:
        where.append(col(DvdsApplication.victim_id).in_(protecting))
    query = (
        select(DvdsApplication)
        .join(DvdsStep, col(DvdsStep.application_id) == col(DvdsApplication.id))
        .where(DvdsStep.step == DISCLOSED[0], DvdsStep.outcome == DISCLOSED[1], or_(*where))
    )
    return list({a.id: a for a in db.exec(query)}.values())


def _redacted(incident: Incident) -> Incident:
    """A restricted incident as a role without restricted access may hold it."""
    return incident.model_copy(update={"suspect_id": None, "summary": REDACTED_SUMMARY})


def _as_seen(
    user: User, incidents: Iterable[Incident], victims: set[str] | None = None
) -> dict[str, Incident]:
    """The incidents as `user` may hold them: a restricted one whole for restricted roles
    and its call handler; redacted when its victim is one of `victims` (None: anyone);
    else left out (its suspect's side is not this user's to hold)."""
    full = can_view_restricted(user)
    seen = {}
    for incident in incidents:
        if not incident.restricted or full or incident.created_by == user.collar:
            seen[incident.id] = incident
        elif victims is None or incident.victim_id in victims:
            seen[incident.id] = _redacted(incident)
    return seen


def gather(db: Session, user: User, person_id: str) -> Rows | None:
    """The rows of the person's record by table name, or None if the hub has no such person."""
    if db.get(Person, person_id) is None:
        return None
    core = set(linked_ids(db, person_id))
    incidents = _as_seen(user, _incidents(db, core, core), core)
    orders = {
        o.id: o
        for o in db.exec(
            select(ProtectiveOrder).where(
                or_(
                    col(ProtectiveOrder.subject_id).in_(core),
                    col(ProtectiveOrder.protected_id).in_(core),
                )
            )
        )
    }
    applications = {a.id: a for a in _disclosed(db, core, core)}
    parties = _ids(i.victim_id for i in incidents.values())
    parties |= _ids(i.suspect_id for i in incidents.values())
    parties |= _ids(o.subject_id for o in orders.values())
    parties |= _ids(o.protected_id for o in orders.values())
    parties |= _ids(a.subject_id for a in applications.values())
    parties |= _ids(a.victim_id for a in applications.values())
    others = {pid for ids in clusters(db, parties - core).values() for pid in ids} - core
    if others:  # each other party's own side as a suspect
        incidents.update(_as_seen(user, _incidents(db, set(), others), core))
        query = select(ProtectiveOrder).where(col(ProtectiveOrder.subject_id).in_(others))
        orders.update({o.id: o for o in db.exec(query)})
        applications.update({a.id: a for a in _disclosed(db, others, set())})
    held = core | others
    warrants = list(db.exec(select(Warrant).where(col(Warrant.person_id).in_(held))))
    kept = list(incidents.values())
    referred = _ids(o.incident_id for o in orders.values()) | _ids(w.incident_id for w in warrants)
    referred |= _ids(a.incident_id for a in applications.values())
    referred -= {i.id for i in kept}
    if referred:  # an order's or warrant's incident, about someone else
        extra = db.exec(select(Incident).where(col(Incident.id).in_(referred)))
        kept += _as_seen(user, extra).values()
    children = list(db.exec(select(Child).where(col(Child.incident_id).in_([i.id for i in kept]))))
    outcomes = [o for rows in outcomes_of(db, list(orders)).values() for o in rows]
    steps = list(
        db.exec(
            select(DvdsStep).where(
                col(DvdsStep.application_id).in_(list(applications)),
                DvdsStep.step == DISCLOSED[0],
                DvdsStep.outcome == DISCLOSED[1],
            )
        )
    )
    people = held | _ids(i.victim_id for i in kept) | _ids(i.suspect_id for i in kept)
    people |= _ids(c.person_id for c in children)
    for order in orders.values():
        people |= _ids((order.subject_id, order.protected_id))
    for application in applications.values():
        people |= _ids((application.subject_id, application.victim_id))
    links = db.exec(
        select(PersonLink).where(
            or_(col(PersonLink.person_id).in_(people), col(PersonLink.other_id).in_(people))
        )
    )
    persons = list(db.exec(select(Person).where(col(Person.id).in_(people))))
    aliases = list(db.exec(select(PersonAlias).where(col(PersonAlias.person_id).in_(core))))
    markers = list(db.exec(select(PersonMarker).where(col(PersonMarker.person_id).in_(held))))
    found: dict[type[SQLModel], Iterable[SQLModel]] = {
        Person: persons,
        PersonAlias: aliases,
        PersonMarker: markers,
        PersonLink: [link for link in links if {link.person_id, link.other_id} <= people],
        Incident: kept,
        Child: children,
        ProtectiveOrder: orders.values(),
        OrderOutcome: outcomes,  # a hearing's or bail's outcome: the order in force
        Warrant: warrants,
        DvdsApplication: applications.values(),
        DvdsStep: steps,
    }
    return {table_name(m): [r.model_dump(mode="json") for r in found[m]] for m in TABLES}


def versions(db: Session, rows: Rows) -> dict[str, int]:
    """The newest version the hub holds of each row (rows no terminal sent have none)."""
    return newest(db, {str(row["id"]) for table in rows.values() for row in table})
