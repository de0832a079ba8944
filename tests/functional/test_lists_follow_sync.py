"""Home lists redraw when the sync link reports that it pulled changes from the hub."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.widgets import DataTable

from firstresponse.config import Settings
from firstresponse.records import Incident, Person, Role, User, utcnow
from firstresponse.security.pins import hash_pin
from firstresponse.store import Store
from firstresponse.tui.app import FirstResponseApp
from firstresponse.tui.widgets.status_bar import StatusBar
from tests.functional.pilot import settle, sign_in


def _status_cell(app: FirstResponseApp) -> str:
    table = app.screen.query_one("#calls", DataTable)
    return str(table.get_row_at(0)[-1]) if table.row_count else ""


async def test_call_list_shows_a_responders_status_once_pulled(
    settings: Settings, store: Store
) -> None:
    with store.session() as db:
        db.add(User(collar="CH1001", name="T", role=Role.CALL_HANDLER, pin_hash=hash_pin("1234")))
        victim = Person(forename="Alex", surname="Testperson")
        db.add(victim)
        db.flush()
        incident = Incident(
            reference="T-1",
            occurred_at=utcnow(),
            victim_id=victim.id,
            source="call",
            status="graded",
            grade="immediate",
        )
        db.add(incident)
        incident_id = incident.id
    settings.idle_lock_seconds = 0
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "CH1001")
        await settle(pilot, lambda: _status_cell(app) == "graded")
        bar = app.screen.query_one(StatusBar)
        await settle(pilot, lambda: bool(bar.text))  # the bar has read the link once
        # What a pull writes: the responder has attended.
        with store.session() as db:
            row = db.get(Incident, incident_id)
            assert row is not None
            row.status = "attended"
            db.add(row)
        await settle(pilot)
        assert _status_cell(app) == "graded"  # nothing told the list yet
        # The link reports one more change pulled, as it does after a sync that brought some.
        bar.show(replace(app.context.sync_status(), pulled=bar._pulled + 1))
        await settle(pilot, lambda: _status_cell(app) == "attended")


def _call(db, reference: str, minutes_ago: int) -> str:
    from datetime import timedelta

    victim = Person(forename="Alex", surname=reference)
    db.add(victim)
    db.flush()
    incident = Incident(
        reference=reference,
        occurred_at=utcnow() - timedelta(minutes=minutes_ago),
        victim_id=victim.id,
        source="call",
        status="graded",
        grade="priority",
    )
    db.add(incident)
    return incident.id


async def test_the_call_list_keeps_the_officers_row_when_a_call_arrives(
    settings: Settings, store: Store
) -> None:
    with store.session() as db:
        db.add(User(collar="CH1001", name="T", role=Role.CALL_HANDLER, pin_hash=hash_pin("1234")))
        _call(db, "T-1", 30)
        _call(db, "T-2", 20)
    settings.idle_lock_seconds = 0
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "CH1001")
        table = app.screen.query_one("#calls", DataTable)
        await settle(pilot, lambda: table.row_count == 2)
        await pilot.press("down")  # onto T-1, the older call
        await settle(pilot, lambda: table.get_row_at(table.cursor_row)[1] == "T-1")
        with store.session() as db:
            _call(db, "T-3", 1)  # pulled from the hub: the newest, listed first
        bar = app.screen.query_one(StatusBar)
        await settle(pilot, lambda: bool(bar.text))
        bar.show(replace(app.context.sync_status(), pulled=bar._pulled + 1))
        await settle(pilot, lambda: table.row_count == 3)
        assert table.get_row_at(table.cursor_row)[1] == "T-1"


async def test_the_assignment_list_keeps_the_officers_option_when_one_arrives() -> None:
    from textual.app import App, ComposeResult

    from firstresponse.tui.widgets.marked_list import MarkedList

    class Listing(App[None]):
        def compose(self) -> ComposeResult:
            yield MarkedList(id="list")

    app = Listing()
    async with app.run_test(size=(80, 24)) as pilot:
        listing = app.query_one(MarkedList)
        listing.set_options_text([("PRIORITY T-2", "t2"), ("ROUTINE T-1", "t1")])
        listing.highlighted = 1
        await pilot.pause()
        listing.set_options_text(
            [("IMMEDIATE T-3", "t3"), ("PRIORITY T-2", "t2"), ("ROUTINE T-1", "t1")]
        )
        assert listing.highlighted == 2
        assert listing.get_option_at_index(2).id == "t1"


async def test_more_records_waiting_asks_the_link_to_sync_at_once(
    settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    with store.session() as db:
        db.add(User(collar="CH1001", name="T", role=Role.CALL_HANDLER, pin_hash=hash_pin("1234")))
    settings.idle_lock_seconds = 0
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "CH1001")
        bar = app.screen.query_one(StatusBar)
        await settle(pilot, lambda: bool(bar.text))  # the bar has read the link once
        woken: list[int] = []
        monkeypatch.setattr(app.context, "wake_sync", lambda: woken.append(1))
        status = app.context.sync_status()
        bar.show(replace(status, waiting=bar._waiting))  # as many as before: nothing asked
        await settle(pilot)
        assert woken == []
        # A record was just saved: the bar says so (RecordsWaiting) and the app syncs now.
        bar.show(replace(status, waiting=bar._waiting + 1))
        await settle(pilot, lambda: woken == [1])
