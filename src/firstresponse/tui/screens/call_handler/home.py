"""The call handler's home: this shift's calls, and a new call with `n`."""

from __future__ import annotations

from functools import partial

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Label

from firstresponse.calls.assign import AssignRefused
from firstresponse.calls.people import CallPeople, call_people
from firstresponse.calls.terminal import assign, call_record, shift_call_lines
from firstresponse.records import Incident, Person
from firstresponse.tui.messages import RecordsPulled
from firstresponse.tui.screens.call_handler.briefing import NOT_ASSIGNED, normalise_assignee
from firstresponse.tui.screens.call_handler.fetching import fetching_note
from firstresponse.tui.screens.responder.dialogs import ReasonDialog
from firstresponse.tui.terminal import TerminalScreen
from firstresponse.tui.widgets.status_bar import StatusBar


class CallHandlerHome(TerminalScreen[None]):
    """Today's calls, newest first."""

    BINDINGS = [
        Binding("n", "new_call", "New call"),
        Binding("r", "refresh", "Refresh"),
        Binding("a", "assign", "Assign"),
        Binding("c", "dvds", "Clare's Law"),
        Binding("ctrl+o", "app.sign_out", "Sign out"),
    ]

    #: True while a reopened call's records are fetched (`_fetch_and_resume`).
    resuming = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Today's calls", classes="title")
        yield DataTable(id="calls", cursor_type="row", zebra_stripes=True)
        yield Label("", id="calls-hint", classes="hint")
        yield StatusBar()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Time", "Reference", "Person at risk", "Grade", "Status")
        self.action_refresh()
        table.focus()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def on_records_pulled(self, _event: RecordsPulled) -> None:
        self.action_refresh()  # the hub sent changes: a responder's status reaches the list

    def action_refresh(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        was = _row_key(table, row)
        table.clear()
        for call in shift_call_lines(self.app.context.store):
            grade = (call.grade or "not graded").replace("_", " ")
            if call.restricted:
                grade += " (restricted)"
            table.add_row(
                f"{call.occurred_at:%H:%M}",
                call.reference,
                call.person_at_risk,
                grade,
                NOT_ASSIGNED if call.unassigned else call.status,
                key=call.incident_id,
            )
        if table.row_count:  # the call the handler was on, wherever new calls put it
            keys = [r.value for r in table.rows]
            row = keys.index(was) if was in keys else min(row, table.row_count - 1)
            table.move_cursor(row=row)
        count = table.row_count
        if self.resuming:
            return  # the hint says whose record is being fetched
        self.query_one("#calls-hint", Label).update(
            f"{count} call{'s' if count != 1 else ''} this shift · Enter: open · n: new call"
            " · c: DVDS · ^l: lock"
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter: resume an open call's THRIVE, or read a graded call's briefing."""
        record = call_record(self.app.context.store, str(event.row_key.value))
        if record is None:
            return
        incident = record.incident
        if incident.status == "open":
            self._resume(incident, record.victim)
        elif record.assignment is not None:
            from firstresponse.tui.screens.call_handler.briefing import BriefingView

            assignment = record.assignment
            self.app.push_screen(
                BriefingView(incident.reference, assignment.briefing, assignment.assignee)
            )
        else:
            self.notify(f"{incident.reference}: {incident.status}, no officer sent")

    def action_assign(self) -> None:
        """`a`: name the officer or team for a call graded with nobody to send to."""
        table = self.query_one(DataTable)
        key = _row_key(table, table.cursor_row)
        record = call_record(self.app.context.store, key) if key else None
        if record is None:
            return
        reference, assignment = record.incident.reference, record.assignment
        if assignment is None or assignment.assignee:
            sent = f"sent to {assignment.assignee}" if assignment else "no officer sent"
            self.notify(f"{reference}: {sent}")
            return
        dialog = ReasonDialog(
            f"Send {reference} to (collar or team):",
            placeholder="collar or team, e.g. PC2001 or Alpha",
            missing="Type a collar number or a team.",
        )
        self.app.push_screen(dialog, partial(self._assign, record.incident.id, reference))

    def _assign(self, incident_id: str, reference: str, assignee: str | None) -> None:
        if assignee is None:
            return
        context = self.app.context
        try:
            done = assign(
                context.store, context.signed_in, incident_id, normalise_assignee(assignee)
            )
        except AssignRefused as refused:
            self.notify(str(refused), title="Not assigned", severity="error")
            return
        self.notify(f"{reference} sent to {done.assignee}")
        self.action_refresh()

    def _resume(self, incident: Incident, victim: Person | None) -> None:
        """THRIVE again, on its saved draft, from both people's record as held now (the
        hub's copy fetched first when it answers, in a worker: the list stays usable)."""
        if self.resuming:
            self.notify("Still fetching the last call's records: a moment", severity="warning")
            return
        name = victim.full_name if victim else ""
        note = fetching_note([name], self.app.context.lookup.name) or "Opening the call…"
        self.query_one("#calls-hint", Label).update(note)
        self.resuming = True
        self._fetch_and_resume(incident, name)

    @work(thread=True, exclusive=True, group="resume-call")
    def _fetch_and_resume(self, incident: Incident, victim_name: str) -> None:
        context = self.app.context
        people = call_people(context.store, context.signed_in, incident.id, context.lookup)
        self.app.call_from_thread(self._resumed, incident, victim_name, people)

    def _resumed(self, incident: Incident, victim_name: str, people: CallPeople) -> None:
        from firstresponse.tui.screens.call_handler.state import CallState
        from firstresponse.tui.screens.call_handler.thrive import ThriveScreen

        self.resuming = False
        self.action_refresh()  # the hint back to the list's own
        if not self.is_current:
            return  # the call handler went elsewhere meanwhile: Enter opens it again
        state = CallState(
            incident_id=incident.id,
            reference=incident.reference,
            victim_name=victim_name,
            history=people.victim,
            facts=people.facts,
            suspect_markers=people.suspect_markers,
        )
        self.app.push_screen(ThriveScreen(state))

    def action_new_call(self) -> None:
        from firstresponse.tui.screens.call_handler.new_call import NewCallScreen

        self.app.push_screen(NewCallScreen())

    def action_dvds(self) -> None:
        from firstresponse.tui.screens.followup.dvds import DvdsListScreen

        self.app.push_screen(DvdsListScreen())


def _row_key(table: DataTable[object], row: int) -> str | None:
    """The key of row `row` (None when there is no such row)."""
    keys = list(table.rows)
    return keys[row].value if 0 <= row < len(keys) else None
