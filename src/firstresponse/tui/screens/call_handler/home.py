"""The call handler's home: today's calls, and a new call with `n`."""

from __future__ import annotations

from typing import Any

from sqlmodel import select
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label

from firstresponse.calls import todays_calls
from firstresponse.records import Assignment, Incident, Person


class CallHandlerHome(Screen[None]):
    """Today's calls, newest first."""

    BINDINGS = [
        Binding("n", "new_call", "New call"),
        Binding("r", "refresh", "Refresh"),
        Binding("c", "dvds", "Clare's Law"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Today's calls", classes="title")
        yield DataTable(id="calls", cursor_type="row", zebra_stripes=True)
        yield Label("", id="calls-hint", classes="hint")
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
            f"{count} call{'s' if count != 1 else ''} today · Enter: open · n: new call · c: DVDS"
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter: resume an open call's THRIVE, or read a graded call's briefing."""
        incident_id = str(event.row_key.value)
        app: Any = self.app
        with app.store.session() as db:
            incident = db.get(Incident, incident_id)
            if incident is None:
                return
            victim = db.get(Person, incident.victim_id)
            query = select(Assignment).where(Assignment.incident_id == incident_id)
            assignment = db.exec(query).first()
        if incident.status == "open":
            self._resume(incident, victim)
        elif assignment is not None:
            from firstresponse.tui.screens.call_handler.briefing import BriefingView

            app.push_screen(
                BriefingView(incident.reference, assignment.briefing, assignment.assignee)
            )
        else:
            self.notify(f"{incident.reference}: {incident.status}, no officer sent")

    def _resume(self, incident: Incident, victim: Person | None) -> None:
        from firstresponse.calls import facts_from_history
        from firstresponse.calls.sources import LookupUnavailable
        from firstresponse.sync.client import SyncFailure
        from firstresponse.tui.screens.call_handler.state import CallState, lookup_source
        from firstresponse.tui.screens.call_handler.thrive import ThriveScreen

        source = lookup_source(self.app)
        found: dict[str, dict[str, Any] | None] = {}
        for role, person_id in (("victim", incident.victim_id), ("suspect", incident.suspect_id)):
            try:
                found[role] = source.history(person_id) if person_id else None
            except (LookupUnavailable, SyncFailure):
                found[role] = None
        state = CallState(
            incident_id=incident.id,
            reference=incident.reference,
            victim_name=victim.full_name if victim else "",
            history=found["victim"],
            facts=facts_from_history(found["victim"], found["suspect"]),
            suspect_markers=list((found["suspect"] or {}).get("markers", [])),
        )
        self.app.push_screen(ThriveScreen(state))

    def action_new_call(self) -> None:
        from firstresponse.tui.screens.call_handler.new_call import NewCallScreen

        self.app.push_screen(NewCallScreen())

    def action_dvds(self) -> None:
        from firstresponse.tui.screens.followup.dvds import DvdsListScreen

        self.app.push_screen(DvdsListScreen())
