"""Issue 25: orders an earlier release stored against the victim are put right by migration
0015 where the incident names a suspect, and listed for a supervisor where it does not."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import create_engine
from sqlmodel import Session

from firstresponse.followup.orders import orders_to_review
from firstresponse.records import Incident, Person, ProtectiveOrder
from firstresponse.store.migrate import upgrade


def test_orders_against_the_victim_are_corrected_or_flagged(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0014_form_drafts")
    with Session(engine) as db:
        vic, sus, other = (Person(forename=n, surname="Testparty") for n in ("Vi", "Su", "Ot"))
        db.add_all([vic, sus, other])
        db.flush()
        named = Incident(reference="N-1", occurred_at=datetime(2026, 1, 1, tzinfo=UTC),
                         victim_id=vic.id, suspect_id=sus.id)  # fmt: skip
        unnamed = Incident(reference="U-1", occurred_at=datetime(2026, 1, 2, tzinfo=UTC),
                           victim_id=other.id)  # fmt: skip
        db.add_all([named, unnamed])
        db.flush()
        day = date(2026, 1, 2)
        db.add_all([
            ProtectiveOrder(id="o-named", kind="dvpn", subject_id=vic.id, protected_id=vic.id,
                            incident_id=named.id, starts_on=day),
            ProtectiveOrder(id="o-unnamed", kind="bail_conditions", subject_id=other.id,
                            protected_id=other.id, incident_id=unnamed.id, starts_on=day),
            ProtectiveOrder(id="o-right", kind="dvpn", subject_id=sus.id, protected_id=vic.id,
                            incident_id=named.id, starts_on=day),
        ])  # fmt: skip
        db.commit()
        ids = {"vic": vic.id, "sus": sus.id, "other": other.id}
    upgrade(engine)
    with Session(engine) as db:
        fixed = db.get(ProtectiveOrder, "o-named")
        kept = db.get(ProtectiveOrder, "o-unnamed")
        right = db.get(ProtectiveOrder, "o-right")
        assert fixed is not None and kept is not None and right is not None
        assert (fixed.subject_id, fixed.protected_id) == (ids["sus"], ids["vic"])
        assert (right.subject_id, right.protected_id) == (ids["sus"], ids["vic"])
        assert kept.subject_id == ids["other"]  # nobody made the subject by guesswork
        flagged = orders_to_review(db)
    assert [(o.id, "names no suspect" in why) for o, why in flagged] == [("o-unnamed", True)]
    engine.dispose()
