"""The responder's home: their assignments, newest urgent first, readable offline."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static

from firstresponse.attendance import AssignmentView
from firstresponse.attendance.terminal import my_assignments, record_attendance
from firstresponse.supervision.terminal import feedback_count
from firstresponse.tui.messages import RecordsPulled
from firstresponse.tui.screens.responder.base import ResponderScreen
from firstresponse.tui.widgets.marked_list import MarkedList


def _line(view: AssignmentView) -> str:
    grade = (view.grade or "self-attended" if view.local else view.grade or "-").replace("_", " ")
    state = "" if view.status == "open" else f" [{view.status}]"
    return f"{grade.upper():<10} {view.reference}{state}\n  {view.headline}"


class ResponderHome(ResponderScreen):
    """Assignments for the signed-in officer; Enter opens the briefing and checklist, f the
    supervisors' feedback on their cases."""

    DEFAULT_CSS = """
    ResponderHome #assignments { height: 1fr; }
    ResponderHome .title { height: 1; }
    ResponderHome #home-hint { width: 1fr; height: auto; }
    """
    BINDINGS = [
        Binding("n", "new", "Attend unassigned"),
        Binding("o", "outbox", "Outbox"),
        Binding("f", "feedback", "Feedback"),
        # Listed on the hint line (the footer has room for six keys at 80 columns).
        Binding("v", "contacts", "Victim contacts", show=False),
        Binding("c", "dvds", "Clare's Law", show=False),
        Binding("w", "orders", "Hearings and bail", show=False),
        Binding("r", "reload", "Refresh"),
        Binding("ctrl+o", "app.sign_out", "Sign out"),
    ]

    def body(self) -> ComposeResult:
        yield Static("Your assignments", classes="title", id="home-title")
        yield MarkedList(id="assignments")
        yield Static("", classes="hint", id="home-hint")

    def on_mount(self) -> None:
        self.action_reload()
        self.query_one("#assignments", OptionList).focus()

    def on_records_pulled(self, _event: RecordsPulled) -> None:
        self.action_reload()  # the hub sent something new: an assignment reaches the list

    def on_screen_resume(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        views = my_assignments(self.store, self.collar, self.team)
        listing = self.query_one("#assignments", MarkedList)
        listing.set_options_text([(_line(v), v.incident_id) for v in views])
        waiting = feedback_count(self.store, self.collar)
        self.query_one("#home-title", Static).update(
            f"Your assignments ({self.collar}): {len(views)}"
            + (f" · feedback to read: {waiting} (f)" if waiting else "")
        )
        hint = (
            "Enter: briefing, checklist · n: attend unassigned · v: victim contacts"
            " · c: Clare's Law (DVDS) · w: hearings and bail outcomes · ^l: lock"
        )
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
            record_attendance(self.store, self.collar, **details)
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

    def action_feedback(self) -> None:
        from firstresponse.tui.screens.feedback import CaseFeedbackScreen

        self.app.push_screen(CaseFeedbackScreen())

    def action_orders(self) -> None:
        from firstresponse.tui.screens.followup.orders import OrderOutcomesScreen

        self.app.push_screen(OrderOutcomesScreen())
