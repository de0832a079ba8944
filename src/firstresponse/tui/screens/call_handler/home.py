"""The call handler's home: today's calls, and a new call with `n`."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label

from firstresponse.calls import todays_calls
from firstresponse.records import Person


class CallHandlerHome(Screen[None]):
    """Today's calls, newest first."""

    BINDINGS = [
        Binding("n", "new_call", "New call"),
        Binding("r", "refresh", "Refresh"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Today's calls", classes="title")
        yield DataTable(id="calls", cursor_type="row", zebra_stripes=True)
        yield Label("n: take a new call", id="calls-hint", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Time", "Reference", "Person at risk", "Grade", "Status")
        self.action_refresh()
        table.focus()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        with self.app.store.session() as db:  # type: ignore[attr-defined]
            for incident in todays_calls(db):
                victim = db.get(Person, incident.victim_id)
                grade = (incident.grade or "-").replace("_", " ")
                if incident.restricted:
                    grade += " R"
                table.add_row(
                    f"{incident.occurred_at:%H:%M}",
                    incident.reference,
                    victim.full_name if victim else "?",
                    grade,
                    incident.status,
                    key=incident.id,
                )
        count = table.row_count
        self.query_one("#calls-hint", Label).update(
            f"{count} call{'s' if count != 1 else ''} today · n: take a new call"
        )

    def action_new_call(self) -> None:
        from firstresponse.tui.screens.call_handler.new_call import NewCallScreen

        self.app.push_screen(NewCallScreen())
