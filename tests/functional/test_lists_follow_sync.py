"""Home lists redraw when the sync link reports that it pulled changes from the hub."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import DataTable

from firstresponse.config import Settings
from firstresponse.records import Incident, Person, Role, User, utcnow
from firstresponse.security.pins import hash_pin
from firstresponse.store import Store
from firstresponse.tui.app import FirstResponseApp
from firstresponse.tui.screenshots import settle, sign_in
from firstresponse.tui.widgets.status_bar import StatusBar


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
