"""DVDS disclosures made through the scheme, as order lines of the people they concern.

A disclosure is a DVDS application (records.followup) whose decision step is
"disclosed". The application and its steps travel to the hub and to the terminals it
concerns, so the history read from them is the same everywhere; nothing else is stored.
Disclosures from before the scheme was run here arrive as imported orders
(`OrderKind.DVDS_*`) and are read as orders.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlmodel import Session, col, or_, select

from firstresponse.records import DvdsApplication, DvdsStep, ProtectiveOrder

DISCLOSED = ("decision", "disclosed")


def disclosure_detail(application: DvdsApplication) -> str:
    return f"{application.reference}: disclosure made to {application.applicant_name}"


def disclosures(
    db: Session, subject_ids: Collection[str], protected_ids: Collection[str] = ()
) -> list[ProtectiveOrder]:
    """Disclosures about any of `subject_ids` or made to protect any of `protected_ids`,
    as unsaved `ProtectiveOrder` rows (id: the decision step's)."""
    about = [col(DvdsApplication.subject_id).in_(list(subject_ids))]
    if protected_ids:
        about.append(col(DvdsApplication.victim_id).in_(list(protected_ids)))
    query = (
        select(DvdsApplication, DvdsStep)
        .join(DvdsStep, col(DvdsStep.application_id) == col(DvdsApplication.id))
        .where(DvdsStep.step == DISCLOSED[0], DvdsStep.outcome == DISCLOSED[1], or_(*about))
    )
    return [
        ProtectiveOrder(
            id=step.id,
            kind=f"dvds_{application.route}",
            subject_id=application.subject_id or "",
            protected_id=application.victim_id,
            incident_id=application.incident_id,
            detail=disclosure_detail(application),
            starts_on=step.done_at.date(),
        )
        for application, step in db.exec(query)
    ]


def with_disclosures(
    db: Session,
    orders: list[ProtectiveOrder],
    subject_ids: Collection[str],
    protected_ids: Collection[str] = (),
) -> list[ProtectiveOrder]:
    """`orders` and the disclosures about these people that they do not already hold
    (a terminal from before disclosures were read this way stored them as orders)."""
    held = {(o.kind, o.detail) for o in orders}
    found = disclosures(db, subject_ids, protected_ids)
    return orders + [d for d in found if (d.kind, d.detail) not in held]
