"""The supervisor's same-shift high-risk queue at 80x24: open, refuse an incomplete review, save."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from firstresponse.config import Settings
from firstresponse.records import HighRiskReview, Notification, utcnow
from firstresponse.security.pins import hash_pin
from firstresponse.store import Store
from firstresponse.tui.app import FirstResponseApp
from firstresponse.tui.screens.followup.figures import FiguresScreen
from firstresponse.tui.screens.followup.high_risk import HighRiskQueueScreen, HighRiskReviewScreen
from firstresponse.tui.screens.supervisor import SupervisorHome
from firstresponse.tui.widgets.picker import Picker
from tests.followup_builders import incident, submitted, users
from tests.functional.pilot import sign_in

SIZE = (80, 24)


def _seed(store: Store) -> None:
    with store.session() as db:
        for user in users(db).values():
            user.pin_hash = hash_pin("1234")
        row = incident(db, "HR-100", utcnow())
        submitted(db, row, "risk", utcnow(), result={"risk_level": "high"})


async def test_review_a_high_risk_submission(settings: Settings, store: Store) -> None:
    _seed(store)
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "SG3001")
        assert isinstance(app.screen, SupervisorHome)
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HighRiskQueueScreen)
        assert app.screen.query_one("#hr-queue", DataTable).row_count == 1
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HighRiskReviewScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Not saved" in str(screen.query_one("#fu-status").render())
        screen.query_one("#hr-decision", Picker).value = "confirm"
        screen.query_one("#hr-reason", Input).focus()
        await pilot.press(*"Threats to kill")
        screen.query_one("#hr-escalate", Picker).value = "duty_inspector"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HighRiskQueueScreen)
        assert app.screen.query_one("#hr-queue", DataTable).row_count == 0
    with store.session() as db:
        (review,) = db.exec(HighRiskReview.__table__.select()).all()
        assert review.reason == "Threats to kill" and review.escalate_to == "duty_inspector"
        assert db.exec(Notification.__table__.select()).all() == []  # raised by the hub


async def _open_figures(pilot: Pilot[None]) -> tuple[FiguresScreen, DataTable[object]]:
    """Signed in as the sergeant, `l`: the leaders' figures and their table."""
    await sign_in(pilot, "SG3001")
    await pilot.press("l")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, FiguresScreen)
    return screen, screen.query_one("#fg-table", DataTable)


async def test_leaders_figures_screen(settings: Settings, store: Store) -> None:
    _seed(store)
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        screen, table = await _open_figures(pilot)
        assert table.get_row_at(0) == ["DA incidents attended or recorded", "1"]
        await pilot.press("g", "g")  # by team
        await pilot.pause()
        assert "team: Alpha" in str(screen.query_one("#fg-title").render())


async def test_leaders_figures_fit_80_columns_in_whole_words(
    settings: Settings, store: Store
) -> None:
    from datetime import timedelta

    from firstresponse.supervision.figures import FIGURES

    _seed(store)
    with store.session() as db:
        at = utcnow() - timedelta(hours=1)
        row = incident(db, "HR-101", at, grade="immediate")
        arrived = at + timedelta(seconds=67.955)  # 1.13259 minutes
        submitted(db, row, "first_response", utcnow(), answers={"arrived_at": arrived.isoformat()})
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        _screen, table = await _open_figures(pilot)
        await pilot.pause()
        assert table.virtual_size.width <= table.scrollable_content_region.width  # no cut
        rows = {
            str(table.get_row_at(n)[0]): str(table.get_row_at(n)[1]) for n in range(len(FIGURES))
        }
        assert rows["Median minutes call to arrival: immediate"] == "1.1"
        assert rows["Median minutes call to arrival: priority"] == "— none"
