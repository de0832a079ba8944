"""A warrant imported as an order (the import format's `order_kind` "warrant") is shown
once, as the suspect's warrant, not again among the orders they are under."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from firstresponse.lookup.perpetrator import profiles
from firstresponse.records import Incident, Person, ProtectiveOrder
from firstresponse.store import Store

TODAY = date.today()


def test_an_imported_warrant_is_a_warrant_not_also_an_order(store: Store) -> None:
    with store.session() as db:
        victim = Person(forename="Rowena", surname="Castellan")
        suspect = Person(forename="Jago", surname="Penhallow")
        db.add_all([victim, suspect])
        db.flush()
        when = datetime.now(UTC) - timedelta(days=40)
        db.add(
            Incident(reference="RG1", occurred_at=when, victim_id=victim.id, suspect_id=suspect.id)
        )
        for kind, detail in [("warrant", "Breach of order"), ("restraining_order", "No contact")]:
            db.add(
                ProtectiveOrder(
                    kind=kind,
                    subject_id=suspect.id,
                    protected_id=victim.id,
                    starts_on=TODAY - timedelta(days=10),
                    detail=detail,
                )
            )
        db.commit()
        profile = profiles(db, [suspect.id], TODAY)[suspect.id]
    assert profile.wanted and len(profile.warrants) == 1
    assert "Breach of order" in profile.warrants[0]
    assert [o for o in profile.orders if "Breach of order" in o] == []
    assert any("No contact" in o for o in profile.orders)
