"""Supervisor screens at 80x24: queue, review with feedback, dashboard; officer feedback."""

from __future__ import annotations

import pytest
from textual.screen import Screen
from textual.widgets import DataTable, Static, TextArea

from firstresponse.config import Settings
from firstresponse.demo.supervision import seed
from firstresponse.records import Review, Role, User
from firstresponse.security.pins import hash_pin
from firstresponse.store import Store
from firstresponse.supervision import pending_feedback, queue
from firstresponse.tui.app import FirstResponseApp
from firstresponse.tui.screens.feedback import FeedbackScreen, feedback_screen_for
from firstresponse.tui.screens.supervisor import SupervisorHome
from firstresponse.tui.screens.supervisor.dashboard import DashboardScreen
from firstresponse.tui.screens.supervisor.review import ReviewScreen
from firstresponse.tui.widgets.checklist_form import ChecklistForm
from tests.functional.forms import answer
from tests.functional.pilot import settle, sign_in, type_text

SIZE = (80, 24)


class BlankHome(Screen[None]):
    """Stands in for the responder's home, which another area provides."""


def _store(store: Store, settings: Settings) -> Store:
    pin = hash_pin("1234")
    with store.session() as db:
        for collar, role, team in [
            ("SG3001", Role.SUPERVISOR, "Alpha"),
            ("PC2001", Role.RESPONDER, "Alpha"),
            ("PC2002", Role.RESPONDER, "Bravo"),
        ]:
            db.add(User(collar=collar, name=f"Test {collar}", role=role, team=team, pin_hash=pin))
        seed(db, settings)
    return store


def _text(screen: object) -> str:
    return "\n".join(str(s.render()) for s in screen.query(Static))  # type: ignore[attr-defined]


async def test_queue_review_and_feedback(settings: Settings, store: Store) -> None:
    _store(store, settings)
    with store.session() as db:
        before = len(queue(db))
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "SG3001")
        assert isinstance(app.screen, SupervisorHome)
        table = app.screen.query_one("#queue", DataTable)
        assert table.row_count == before > 0
        first = app.screen.items[0]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        text = _text(app.screen)
        assert "Decisions and reasons" in text and "Briefing the officer had" in text
        assert first.item["reference"] in text
        await pilot.press("ctrl+s")  # nothing answered: refused, form shown
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "Not saved" in str(app.screen.query_one("#rv-status").render())
        form = app.screen.query_one(ChecklistForm)
        for item in form.checklist.items:
            if item.type == "single" and item.id != "outcome":
                await answer(pilot, form, item.id, item.options[0][0])  # Met
        await answer(pilot, form, "outcome", "advice")
        area = form.query_one("#c-feedback", TextArea)
        area.focus()
        await type_text(pilot, "Well done")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SupervisorHome)
        assert app.screen.query_one("#queue", DataTable).row_count == before - 1
    with store.session() as db:
        review = db.exec(
            Review.__table__.select().where(Review.__table__.c.feedback == "Well done")
        ).one()
        assert review.outcome == "advice" and review.officer == first.item["officer"]


async def test_dashboard_keys(settings: Settings, store: Store) -> None:
    _store(store, settings)
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "SG3001")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        detail = str(app.screen.query_one("#db-detail", Static).render())
        assert "Body-worn video recording on arrival, by team" in detail
        assert "Alpha" in detail and "PC2002" in detail and "9/11" not in detail
        await pilot.press("down")
        await pilot.pause()
        detail = str(app.screen.query_one("#db-detail", Static).render())
        assert detail.startswith("Children present recorded individually")
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert "last 56 days" in str(app.screen.query_one("#db-title").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SupervisorHome)


async def test_officer_acknowledges_feedback(
    settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from firstresponse.tui import app as app_module

    monkeypatch.setitem(app_module.HOME_SCREENS, Role.RESPONDER, lambda: BlankHome)
    _store(store, settings)
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "PC2002")
        screen = feedback_screen_for(app)
        assert isinstance(screen, FeedbackScreen)
        app.push_screen(screen)
        await pilot.pause()
        text = str(screen.query_one("#fb-text", Static).render())
        assert "Action required by the officer" in text and "camera" in text
        assert "Body-worn video was not recording on arrival" in text
        await pilot.press("a")
        await pilot.pause()
        assert app.screen is not screen
        assert feedback_screen_for(app) is None
    with store.session() as db:
        assert pending_feedback(db, "PC2002") == []


async def test_admin_sees_figures_but_may_not_review(settings: Settings, store: Store) -> None:
    _store(store, settings)
    with store.session() as db:
        db.add(User(collar="AD4001", name="Admin", role=Role.ADMIN, pin_hash=hash_pin("1234")))
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "AD4001")
        assert isinstance(app.screen, SupervisorHome)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SupervisorHome)
        assert "may not review" in str(app.screen.query_one("#queue-status").render())
        await pilot.press("n")
        await pilot.pause()
        assert "may not dip sample" in str(app.screen.query_one("#queue-status").render())
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
