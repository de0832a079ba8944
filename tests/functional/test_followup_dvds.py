"""DVDS at 80x24: a call handler logs a Right to Ask; a supervisor sees its deadlines."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from firstresponse.config import Settings
from firstresponse.records import DvdsApplication, DvdsStep
from firstresponse.security.pins import hash_pin
from firstresponse.store import Store
from firstresponse.tui.app import FirstResponseApp
from firstresponse.tui.screens.followup.dvds import (
    DvdsApplicationForm,
    DvdsListScreen,
    DvdsStepForm,
)
from firstresponse.tui.widgets.picker import Picker
from tests.followup_builders import users
from tests.functional.pilot import sign_in

SIZE = (80, 24)


async def test_log_an_application_then_record_initial_checks(
    settings: Settings, store: Store
) -> None:
    with store.session() as db:
        for user in users(db).values():
            user.pin_hash = hash_pin("1234")
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "CH1001")
        await pilot.press("c")
        await pilot.pause()
        listing = app.screen
        assert isinstance(listing, DvdsListScreen)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DvdsApplicationForm)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Not saved" in str(form.query_one("#fu-status").render())
        form.query_one("#da-route", Picker).value = "right_to_ask"
        form.query_one("#da-is-victim", Picker).value = "yes"
        for widget_id, text in [
            ("#da-victim", "Sam Testvictim"),
            ("#da-subject", "Lee Testsubject"),
            ("#da-concerns", "Checks her phone, jealous"),
            ("#da-safe", "Work phone only"),
        ]:
            form.query_one(widget_id, Input).value = text
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is listing
        table = listing.query_one("#dv-list", DataTable)
        assert table.row_count == 1
        assert "initial checks" in str(table.get_row_at(0))
        await pilot.press("enter")
        await pilot.pause()
        step = app.screen
        assert isinstance(step, DvdsStepForm) and step.step == "initial_checks"
        step.query_one("#ds-outcome", Picker).value = "progressed"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is listing
        assert "meeting" in str(table.get_row_at(0))
    with store.session() as db:
        (row,) = db.exec(DvdsApplication.__table__.select()).all()
        assert row.created_by == "CH1001" and row.applicant_is_victim
        (done,) = db.exec(DvdsStep.__table__.select()).all()
        assert done.outcome == "progressed"
