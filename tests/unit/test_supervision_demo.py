"""The supervision demo seed gives the screens something to show."""

from __future__ import annotations

from datetime import timedelta

from firstresponse.config import Settings
from firstresponse.demo.supervision import seed
from firstresponse.records import utcnow
from firstresponse.store import Store
from firstresponse.supervision import compliance, pending_feedback, queue


def test_demo_seed(settings: Settings, store: Store) -> None:
    with store.session() as db:
        seed(db, settings)
    with store.session() as db:
        [feedback] = pending_feedback(db, "PC2002")
        assert feedback.outcome == "action_required" and "camera" in feedback.feedback
        waiting = queue(db)
        assert waiting and all(q.incident_id != feedback.subject_id for q in waiting)
        report = compliance(db, utcnow() - timedelta(days=28), utcnow())
        assert report.overall["bwv_used"].count == 11
        assert report.overall["bwv_used"].hits == 9
        assert set(report.by_officer) >= {"PC2001", "PC2002", "CH1001"}
