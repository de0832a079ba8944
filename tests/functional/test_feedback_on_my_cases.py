"""The responding officer reads a supervisor's same-shift review of their high-risk case,
pulled from the hub, and acknowledges it from "Feedback on my cases" (offline, at 80x24)."""

from __future__ import annotations

from typing import Any

from sqlmodel import select
from textual.widgets import Label

from firstresponse.config import Settings
from firstresponse.records import AuditEvent, HighRiskReview, OutboxItem, Review, utcnow
from firstresponse.security.pins import hash_pin
from firstresponse.store import Store
from firstresponse.sync.feed import change
from firstresponse.sync.pull import apply
from firstresponse.tui.app import FirstResponseApp
from firstresponse.tui.screens.feedback import CaseFeedbackScreen
from firstresponse.tui.screens.responder import ResponderHome
from tests.followup_builders import OFFICER, SUPERVISOR, incident, submitted, users, utc
from tests.functional.pilot import settle, sign_in

SIZE = (80, 24)


def _pulled_review(store: Store) -> str:
    """PC2001's high-risk case, regraded by the supervisor on another terminal; a dip-sample
    review PC2001 has read; and a review of another officer's case."""
    with store.session() as db:
        for user in users(db).values():
            user.pin_hash = hash_pin("1234")
        case = incident(db, "HR-200", utcnow())
        risk = submitted(db, case, "risk", utcnow(), result={"risk_level": "high"})
        other = incident(db, "HR-201", utcnow())
        review = HighRiskReview(
            incident_id=case.id, assessment_id=risk.id, officer=OFFICER, reviewer=SUPERVISOR,
            submitted_at=utcnow(), due_by=utcnow(), level_before="high", decision="regrade",
            level_after="medium", reason="Suspect remanded in custody until trial",
            actions=["Tell the victim of the remand", "Diary a review before the trial"],
            feedback="Good grading on the night; record the remand on the risk form.",
        )  # fmt: skip
        theirs = review.model_copy(update={"id": "hr-other", "officer": "PC2002"})
        for row in (review, theirs.model_copy(update={"incident_id": other.id})):
            body = {"kind": "highriskreview", "record": row.model_dump(mode="json")}
            apply(db, change("1", "lookup", row.id, body))
        db.add(
            Review(
                subject_kind="incident", subject_id=case.id, reviewer=SUPERVISOR, officer=OFFICER,
                outcome="compliant", feedback="Clear notes.", created_at=utc(2026, 1, 5, 9, 0),
                acknowledged_at=utc(2026, 1, 5, 10, 0),
            )
        )  # fmt: skip
    return review.id


def on(pilot: Any, name: str) -> Any:
    return lambda: type(pilot.app.screen).__name__ == name


def _text(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def test_officer_reads_and_acknowledges_a_same_shift_review(
    settings: Settings, store: Store
) -> None:
    review_id = _pulled_review(store)
    settings.idle_lock_seconds = 0
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, OFFICER)
        await settle(pilot, on(pilot, "FeedbackScreen"))  # unread feedback opens at sign-in
        assert "Risk regraded from high to medium" in _text(app.screen, "#fb-text")
        await pilot.press("escape")  # later
        await settle(pilot, on(pilot, "ResponderHome"))
        home = app.screen
        assert isinstance(home, ResponderHome)
        assert "feedback to read: 1 (f)" in _text(home, "#home-title")

        await pilot.press("f")
        await settle(pilot, on(pilot, "CaseFeedbackScreen"))
        screen = app.screen
        assert isinstance(screen, CaseFeedbackScreen)
        table = screen.query_one("#cf-list")
        rows = [table.get_row_at(n)[1:] for n in range(table.row_count)]
        assert [(r[1], r[2], r[4]) for r in rows] == [
            ("HR-200", "High risk", "NEW"),  # newest first; HR-201 is PC2002's
            ("HR-200", "Dip sample", "read"),
        ]
        detail = _text(screen, "#cf-text")
        for said in (
            "same-shift high-risk review by SG3001",
            "Risk regraded from high to medium",
            "Reason: Suspect remanded in custody until trial",
            "  - Tell the victim of the remand",
            "Good grading on the night",
            "NEW: press a once you have read it.",
        ):
            assert said in detail
        await pilot.press("down")
        await settle(pilot, lambda: "Acknowledged" in _text(screen, "#cf-text"))
        await pilot.press("up", "a")
        await settle(pilot, lambda: table.get_row_at(0)[-1] == "read")
        assert "Acknowledged" in _text(screen, "#cf-text")
        await pilot.press("a")
        await settle(pilot, lambda: "already acknowledged" in _text(screen, "#fu-status"))

        await pilot.press("escape")
        await settle(pilot, on(pilot, "ResponderHome"))
        assert "feedback to read" not in _text(app.screen, "#home-title")

    with store.session() as db:
        held = db.get(HighRiskReview, review_id)
        assert held is not None and held.acknowledged_at is not None
        sent = db.exec(select(OutboxItem).where(OutboxItem.record_id == review_id)).one()
        assert (sent.kind, sent.version) == ("highriskreview", 2)  # the hub holds version 1
        assert db.exec(
            select(AuditEvent).where(
                AuditEvent.action == "high_risk.acknowledged", AuditEvent.actor == OFFICER
            )
        ).one()
        other = db.get(HighRiskReview, "hr-other")
        assert other is not None and other.acknowledged_at is None


async def test_an_officer_without_reviews_sees_an_empty_list(
    settings: Settings, store: Store
) -> None:
    with store.session() as db:
        for user in users(db).values():
            user.pin_hash = hash_pin("1234")
    settings.idle_lock_seconds = 0
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, OFFICER)
        await settle(pilot, on(pilot, "ResponderHome"))
        await pilot.press("f")
        await settle(pilot, on(pilot, "CaseFeedbackScreen"))
        assert "No reviews of your cases" in _text(app.screen, "#cf-text")
        await pilot.press("a")
        await settle(pilot, lambda: "Nothing to acknowledge" in _text(app.screen, "#fu-status"))
        assert "0 reviewed" in str(app.screen.query_one("#cf-hint", Label).render())
