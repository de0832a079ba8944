"""Victim contacts at 80x24: the officer's due list, a refused then saved contact, an outcome."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from firstresponse.config import Settings
from firstresponse.records import CaseOutcome, VictimContact, utcnow
from firstresponse.security.pins import hash_pin
from firstresponse.store import Store
from firstresponse.tui.app import FirstResponseApp
from firstresponse.tui.screens.followup.contacts import ContactForm, ContactsScreen, OutcomeForm
from firstresponse.tui.widgets.picker import Picker
from tests.followup_builders import incident, submitted, users
from tests.functional.pilot import sign_in

SIZE = (80, 24)


def _seed(store: Store) -> None:
    with store.session() as db:
        for user in users(db).values():
            user.pin_hash = hash_pin("1234")
        row = incident(db, "VC-1", utcnow())
        answers = {"contact_method": "phone", "contact_safety": "Mobile only, no voicemail"}
        answers["safeguarding_actions"] = ["support_referral"]  # made at the scene: not owed
        submitted(db, row, "first_response", utcnow(), answers=answers)


async def _open_list(pilot, app) -> ContactsScreen:  # type: ignore[no-untyped-def]
    await sign_in(pilot, "PC2001")
    await pilot.press("v")
    await pilot.pause()
    assert isinstance(app.screen, ContactsScreen)
    return app.screen


async def test_record_a_contact_and_an_outcome(settings: Settings, store: Store) -> None:
    _seed(store)
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_list(pilot, app)
        assert screen.query_one("#vc-list", DataTable).row_count == 1
        assert "no voicemail" in str(screen.query_one("#vc-detail").render())
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ContactForm)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Not saved" in str(form.query_one("#fu-status").render())
        form.query_one("#vc-method", Picker).value = "phone"
        form.query_one("#vc-result", Picker).value = "spoke"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert screen.query_one("#vc-list", DataTable).row_count == 0
        await pilot.press("t")  # team view: nothing due either
        await pilot.pause()
        assert "your team" in str(screen.query_one("#vc-title").render())
    with store.session() as db:
        (contact,) = db.exec(VictimContact.__table__.select()).all()
        assert contact.outcome == "spoke" and contact.made_by == "PC2001"


async def test_an_outcome_adds_a_due_contact(settings: Settings, store: Store) -> None:
    _seed(store)
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_list(pilot, app)
        await pilot.press("o")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, OutcomeForm)
        form.query_one("#oc-outcome", Picker).value = "nfa_evidential"
        form.query_one("#oc-reason", Input).value = "No independent evidence"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert screen.query_one("#vc-list", DataTable).row_count == 2
    with store.session() as db:
        assert len(db.exec(CaseOutcome.__table__.select()).all()) == 1
