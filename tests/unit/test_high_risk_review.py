"""Same-shift supervision of high risk: shift ends, the queue, reviews, escalation."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from firstresponse.config import load_settings
from firstresponse.records import Decision, HighRiskReview, Notification, OutboxItem
from firstresponse.security.permissions import PermissionDenied
from firstresponse.store import Store
from firstresponse.supervision import shifts
from firstresponse.supervision.feedback import feedback_for
from firstresponse.supervision.high_risk import (
    ReviewRefused,
    acknowledge_review,
    effective_level,
    record_high_risk_review,
    review_queue,
)
from firstresponse.supervision.shifts import ShiftPattern, review_due, shift_end
from tests.followup_builders import OFFICER, SUPERVISOR, incident, submitted, users, utc

HIGH = {"risk_level": "high", "computed_risk_level": "high"}


def test_shift_end_in_winter_is_the_next_local_start() -> None:
    assert shift_end(utc(2026, 1, 12, 9, 30)) == utc(2026, 1, 12, 15, 0)
    assert shift_end(utc(2026, 1, 12, 15, 0)) == utc(2026, 1, 12, 23, 0)  # a start begins one
    assert shift_end(utc(2026, 1, 12, 23, 30)) == utc(2026, 1, 13, 7, 0)  # night shift
    assert shift_end(utc(2026, 1, 13, 2, 0)) == utc(2026, 1, 13, 7, 0)


def test_shift_end_in_summer_follows_uk_clock() -> None:
    # 09:30 BST is 08:30 UTC; the 15:00 BST boundary is 14:00 UTC.
    assert shift_end(utc(2026, 7, 1, 8, 30)) == utc(2026, 7, 1, 14, 0)
    # the night the clocks go forward (29 March 2026): 07:00 BST is 06:00 UTC
    assert shift_end(utc(2026, 3, 29, 0, 30)) == utc(2026, 3, 29, 6, 0)


def test_review_due_moves_to_next_shift_when_under_an_hour_is_left() -> None:
    assert review_due(utc(2026, 1, 12, 13, 59)) == utc(2026, 1, 12, 15, 0)
    assert review_due(utc(2026, 1, 12, 14, 1)) == utc(2026, 1, 12, 23, 0)
    assert review_due(utc(2026, 1, 12, 14, 1), window=timedelta(0)) == utc(2026, 1, 12, 15, 0)
    custom = (time(6), time(18))
    assert review_due(utc(2026, 1, 12, 9, 0), custom) == utc(2026, 1, 12, 18, 0)


def test_queue_holds_high_and_lowered_from_high_not_medium(store: Store) -> None:
    with store.session() as db:
        users(db)
        high = incident(db, "H-1", utc(2026, 1, 12, 8, 0))
        submitted(db, high, "risk", utc(2026, 1, 12, 9, 0), result=HIGH)
        lowered = incident(db, "L-1", utc(2026, 1, 12, 8, 0))
        submitted(
            db, lowered, "risk", utc(2026, 1, 12, 10, 0),
            result={"risk_level": "medium", "computed_risk_level": "high"},
        )  # fmt: skip
        medium = incident(db, "M-1", utc(2026, 1, 12, 8, 0))
        submitted(db, medium, "risk", utc(2026, 1, 12, 9, 0), result={"risk_level": "medium"})
        # attended high-risk incident whose assessment this terminal does not hold
        incident(db, "X-1", utc(2026, 1, 12, 1, 0), risk_level="high")
        incident(db, "D-1", utc(2026, 1, 12, 1, 0), risk_level="high", status="graded")
    with store.session() as db:
        found = review_queue(db, now=utc(2026, 1, 12, 11, 0))
    assert [s.reference for s in found] == ["X-1", "H-1", "L-1"]  # overdue first
    x1, h1, l1 = found
    assert x1.overdue(utc(2026, 1, 12, 11, 0)) and x1.due_by == utc(2026, 1, 12, 7, 0)
    assert h1.due_by == utc(2026, 1, 12, 15, 0) and h1.officer == OFFICER and h1.team == "Alpha"
    assert l1.why == "Computed high, officer judged medium"


def _one(store: Store):  # type: ignore[no-untyped-def]
    with store.session() as db:
        made = users(db)
        row = incident(db, "H-1", utc(2026, 1, 12, 8, 0))
        submitted(db, row, "risk", utc(2026, 1, 12, 9, 0), result=HIGH)
    with store.session() as db:
        (item,) = review_queue(db, now=utc(2026, 1, 12, 10, 0))
    return made, item


def test_confirm_with_feedback_and_escalation(store: Store) -> None:
    made, item = _one(store)
    with store.session() as db:
        review = record_high_risk_review(
            db, made[SUPERVISOR], item, "confirm", "Threats to kill and recent separation",
            actions=["Refer to MARAC today", "  "], feedback="Good detail", escalate_to="da_team",
        )  # fmt: skip
    with store.session() as db:
        assert review_queue(db) == []
        stored = db.get(HighRiskReview, review.id)
        assert stored is not None and stored.level_after == "high"
        assert stored.actions == ["Refer to MARAC today"]
        assert stored.officer == OFFICER and stored.feedback == "Good detail"
        assert stored.escalate_to == "da_team"
        assert db.exec(select(Notification)).all() == []  # the hub raises the escalation
        kinds = sorted(o.kind for o in db.exec(select(OutboxItem)))
        assert kinds == ["highriskreview"]
        assert db.exec(select(Decision)).all() == []
        assert effective_level(db, item.incident_id) == "high"


def test_regrade_down_records_a_decision_for_the_dip_sample(store: Store) -> None:
    made, item = _one(store)
    with store.session() as db:
        record_high_risk_review(
            db, made[SUPERVISOR], item, "regrade", "Suspect remanded in custody",
            level_after="medium",
        )  # fmt: skip
    with store.session() as db:
        (decision,) = db.exec(select(Decision)).all()
        assert decision.kind == "risk_lowered" and decision.made_by == SUPERVISOR
        assert "high to medium" in decision.reason
        assert effective_level(db, item.incident_id) == "medium"


@pytest.mark.parametrize(
    ("decision", "reason", "level", "escalate", "message"),
    [
        ("confirm", "short", "", "", "give the reason"),
        ("regrade", "A long enough reason", "", "", "choose the new risk level"),
        ("regrade", "A long enough reason", "high", "", "must change the risk level"),
        ("maybe", "A long enough reason", "", "", "choose confirm or regrade"),
        ("confirm", "A long enough reason", "", "chief", "escalate to"),
    ],
)
def test_incomplete_review_is_refused_and_nothing_written(
    store: Store, decision: str, reason: str, level: str, escalate: str, message: str
) -> None:
    made, item = _one(store)
    with pytest.raises(ReviewRefused, match=message), store.session() as db:
        record_high_risk_review(
            db, made[SUPERVISOR], item, decision, reason, level_after=level, escalate_to=escalate
        )
    with store.session() as db:
        assert db.exec(select(HighRiskReview)).all() == []
        assert db.exec(select(OutboxItem)).all() == []


def test_only_a_supervisor_may_review(store: Store) -> None:
    made, item = _one(store)
    with pytest.raises(PermissionDenied), store.session() as db:
        record_high_risk_review(db, made[OFFICER], item, "confirm", "Looks right to me")


def test_only_the_officer_acknowledges_and_once(store: Store) -> None:
    made, item = _one(store)
    with store.session() as db:
        review = record_high_risk_review(
            db, made[SUPERVISOR], item, "regrade", "Suspect remanded until trial",
            level_after="medium", feedback="Record the remand",
        )  # fmt: skip
    with store.session() as db, pytest.raises(PermissionError):
        acknowledge_review(db, review.id, "PC2002")
    for _ in range(2):
        with store.session() as db:
            assert acknowledge_review(db, review.id, OFFICER).acknowledged_at is not None
    with store.session() as db:
        sent = db.exec(select(OutboxItem).where(OutboxItem.record_id == review.id)).all()
        assert sorted(o.version for o in sent) == [1, 2]  # acknowledged once, as version 2
        (feedback,) = feedback_for(db, OFFICER, {})
        assert feedback.result == "Regraded high to medium" and not feedback.waiting
        assert "Reason: Suspect remanded until trial" in feedback.lines
        assert feedback_for(db, "PC2002", {}) == []


def _one_high_risk(store: Store, at_hour: int, minute: int = 0) -> None:
    with store.session() as db:
        users(db)
        case = incident(db, "H-1", utc(2026, 1, 12, 8, 0))
        submitted(db, case, "risk", utc(2026, 1, 12, at_hour, minute), result=HIGH)


def test_the_configured_shift_pattern_sets_the_review_due_time(
    store: Store, tmp_path: Path
) -> None:
    _one_high_risk(store, 16, 30)  # 16:30 UK time in January
    cfg = tmp_path / "config.toml"
    cfg.write_text('shift_starts = "06:00,18:00"\nshift_review_window_minutes = 0\n')
    twelve_hour = ShiftPattern.from_settings(load_settings(cfg, env={}))
    now = utc(2026, 1, 12, 17, 0)
    with store.session() as db:
        (default,) = review_queue(db, now, ShiftPattern())
        (item,) = review_queue(db, now, twelve_hour)
    assert default.due_by == utc(2026, 1, 12, 23, 0)  # the 15:00-23:00 shift
    assert item.due_by == utc(2026, 1, 12, 18, 0)  # the 06:00-18:00 shift
    wide = ShiftPattern(twelve_hour.starts, timedelta(hours=2))  # 90 minutes left: too few
    with store.session() as db:
        (late,) = review_queue(db, now, wide)
    assert late.due_by == utc(2026, 1, 13, 6, 0)


def test_without_a_pattern_the_queue_uses_the_environment_setting(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _one_high_risk(store, 9)
    monkeypatch.setenv("FIRSTRESPONSE_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("FIRSTRESPONSE_SHIFT_STARTS", "08:00,20:00")
    shifts.configured.cache_clear()
    try:
        with store.session() as db:
            (item,) = review_queue(db, utc(2026, 1, 12, 10, 0))
    finally:
        shifts.configured.cache_clear()
    assert item.due_by == utc(2026, 1, 12, 20, 0)
