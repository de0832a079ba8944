"""The responder's home: their assignments, newest urgent first, readable offline."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from firstresponse.attendance import AssignmentView, assignments_for, attend_unassigned
from firstresponse.tui.screens.responder.base import ResponderScreen
from firstresponse.tui.widgets.status_bar import start_sync, stop_sync


def _line(view: AssignmentView) -> str:
    grade = (view.grade or "self-attended" if view.local else view.grade or "-").replace("_", " ")
    state = "" if view.status == "open" else f" [{view.status}]"
    return f"{grade.upper():<10} {view.reference}{state}\n  {view.headline}"


class ResponderHome(ResponderScreen):
    """Assignments for the signed-in officer; Enter opens the briefing and checklist."""

    DEFAULT_CSS = """
    ResponderHome #assignments { height: 1fr; }
    ResponderHome .title { height: 1; }
    """
    BINDINGS = [
        Binding("n", "new", "Attend unassigned"),
        Binding("o", "outbox", "Outbox"),
        Binding("v", "contacts", "Victim contacts"),
        Binding("c", "dvds", "Clare's Law"),
        Binding("r", "reload", "Refresh"),
    ]

    def body(self) -> ComposeResult:
        yield Static("Your assignments", classes="title", id="home-title")
        yield OptionList(id="assignments")
        yield Static("", classes="hint", id="home-hint")

    def on_mount(self) -> None:
        start_sync(self.app)
        self.action_reload()
        self.query_one("#assignments", OptionList).focus()

    def on_unmount(self) -> None:
        stop_sync(self.app)

    def on_screen_resume(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        with self.store.session() as db:
            views = assignments_for(db, self.collar, self.team)
        listing = self.query_one("#assignments", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        listing.add_options([Option(Text(_line(v)), id=v.incident_id) for v in views])
        if views:
            listing.highlighted = min(highlighted or 0, len(views) - 1)
        self.query_one("#home-title", Static).update(
            f"Your assignments ({self.collar}): {len(views)}"
        )
        hint = "Enter: briefing, checklist · n: attend unassigned · v: contacts · c: DVDS"
        self.query_one("#home-hint", Static).update(
            hint if views else "No assignments yet. " + hint
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        from firstresponse.tui.screens.responder.incident import IncidentScreen

        if event.option.id:
            self.app.push_screen(IncidentScreen(event.option.id))

    def action_outbox(self) -> None:
        from firstresponse.tui.screens.responder.outbox import OutboxScreen

        self.app.push_screen(OutboxScreen())

    def action_new(self) -> None:
        from firstresponse.tui.screens.responder.new_attendance import NewAttendance

        def created(details: dict[str, str] | None) -> None:
            if not details:
                return
            with self.store.session() as db:
                attend_unassigned(db, self.collar, **details)
            self.action_reload()
            self.refresh_status()
            self.notify("Attendance recorded on this terminal")

        self.app.push_screen(NewAttendance(), created)

    def action_contacts(self) -> None:
        from firstresponse.tui.screens.followup.contacts import ContactsScreen

        self.app.push_screen(ContactsScreen("mine"))

    def action_dvds(self) -> None:
        from firstresponse.tui.screens.followup.dvds import DvdsListScreen

        self.app.push_screen(DvdsListScreen())
