"""The orders in force once their outcomes are applied (records.OrderOutcome).

An order made at a scene is stored as made and never changed; what a court or the
custody officer decided later is an `OrderOutcome`, recorded by whoever learnt it. Every
reader of orders (the history, the suspect's profile, the next call's floors and breach
questions) reads them through `with_outcomes`, so a DVPO granted at the hearing is in force
at the victim's next call whoever recorded it. The returned orders are copies, never added
to a session.
"""

from __future__ import annotations

import uuid
from collections import defaultdict

from sqlmodel import Session, col, select

from firstresponse.records import OrderKind, OrderOutcome, ProtectiveOrder

#: The order a notice becomes when the court grants it.
GRANTED_AS = {
    OrderKind.DVPN.value: OrderKind.DVPO.value,
    OrderKind.DAPN.value: OrderKind.DAPO.value,
}
NOTICE_OUTCOMES: tuple[str, ...] = ("granted", "refused", "adjourned")
BAIL_OUTCOMES: tuple[str, ...] = ("bail_extended", "bail_ended")
_NAMESPACE = uuid.UUID("0b7c5d2e-41a6-4c55-8f0e-2a9d6e1f7c33")


def outcomes_of(db: Session, order_ids: list[str]) -> dict[str, list[OrderOutcome]]:
    """Each order's outcomes, oldest first."""
    found: dict[str, list[OrderOutcome]] = defaultdict(list)
    for start in range(0, len(order_ids), 500):
        for row in db.exec(
            select(OrderOutcome)
            .where(col(OrderOutcome.order_id).in_(order_ids[start : start + 500]))
            .order_by(col(OrderOutcome.outcome_on), col(OrderOutcome.decided_at))
        ):
            found[row.order_id].append(row)
    return found


def granted_order(notice: ProtectiveOrder, outcome: OrderOutcome) -> ProtectiveOrder:
    """The order (DVPO, DAPO) a granted notice became, with the notice's parties."""
    court = f" at {outcome.court}" if outcome.court else ""
    detail = f"granted{court} on {outcome.outcome_on.isoformat()}"
    return ProtectiveOrder(
        id=str(uuid.uuid5(_NAMESPACE, outcome.id)),
        kind=GRANTED_AS.get(notice.kind, notice.kind),
        subject_id=notice.subject_id,
        protected_id=notice.protected_id,
        incident_id=notice.incident_id,
        detail="; ".join(p for p in (outcome.note.strip(), detail) if p),
        starts_on=outcome.outcome_on,
        ends_on=outcome.ends_on,
    )


def applied(order: ProtectiveOrder, outcomes: list[OrderOutcome]) -> list[ProtectiveOrder]:
    """The order as its outcomes leave it, and the order a grant made (if any)."""
    current = ProtectiveOrder(**order.model_dump())
    made: list[ProtectiveOrder] = []
    for outcome in outcomes:
        if outcome.outcome == "adjourned" and outcome.next_hearing_on:
            current.ends_on = outcome.next_hearing_on
        elif outcome.outcome in ("refused", "granted", "bail_ended"):
            current.ends_on = outcome.outcome_on
        elif outcome.outcome == "bail_extended" and outcome.ends_on:
            current.ends_on = outcome.ends_on
        if outcome.outcome == "granted":
            made = [granted_order(order, outcome)]
    return [current, *made]


def with_outcomes(db: Session, orders: list[ProtectiveOrder]) -> list[ProtectiveOrder]:
    """`orders` with their outcomes applied, each order a grant made beside its notice."""
    if not orders:
        return orders
    found = outcomes_of(db, [o.id for o in orders])
    if not found:
        return orders
    out: list[ProtectiveOrder] = []
    for order in orders:
        out += applied(order, found[order.id]) if order.id in found else [order]
    return out
