"""The supervisor's home: the dip-sample queue, with keys to review, draw and see figures."""

from __future__ import annotations

from datetime import timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Label, Static

from firstresponse.records import utcnow
from firstresponse.security.permissions import Action, allowed
from firstresponse.supervision import QueueItem
from firstresponse.supervision.sampling import SHORT_REASONS
from firstresponse.supervision.terminal import draw_sample, review_queue
from firstresponse.tui.messages import RecordsPulled
from firstresponse.tui.terminal import TerminalScreen
from firstresponse.tui.widgets.marked_table import MarkedTable
from firstresponse.tui.widgets.status_bar import StatusBar
from firstresponse.wording import plural

#: Window and share used when a sample is drawn from the screen.
DRAW_DAYS = 28
DRAW_RATE = 0.1


def reasons_text(item: QueueItem) -> str:
    """Why the case was drawn, in words (the codes only if an old item has no words)."""
    words = item.item.get("why") or [r.replace("_", " ") for r in item.item["reasons"]]
    return "; ".join(words)


class SupervisorHome(TerminalScreen[None]):
    """Cases drawn for review, must-check cases first; Enter opens one."""

    DEFAULT_CSS = """
    SupervisorHome #queue { height: 1fr; }
    SupervisorHome #queue-why { height: auto; padding: 0 1; }
    SupervisorHome #queue-hint { width: 1fr; height: auto; }
    SupervisorHome #queue-status { width: 1fr; height: auto; }
    """
    BINDINGS = [
        Binding("enter", "review", "Review", show=False),
        Binding("n", "draw", "Draw sample"),
        Binding("d", "dashboard", "Compliance"),
        # Listed on the hint line above the table (the footer has room for five keys).
        Binding("h", "high_risk", "High risk", show=False),
        Binding("v", "contacts", "Victim contacts", show=False),
        Binding("c", "dvds", "Clare's Law", show=False),
        Binding("l", "leaders", "Leaders' figures", show=False),
        Binding("w", "week", "Week ahead", show=False),
        Binding("f5", "refresh", "Refresh"),
        Binding("ctrl+o", "app.sign_out", "Sign out"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[QueueItem] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Dip-sample queue", classes="title")
        yield Label("", id="queue-hint", classes="hint")
        yield MarkedTable(id="queue")
        yield Static("", id="queue-why", markup=False)
        yield Label("", id="queue-status", classes="error")
        yield StatusBar()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#queue", MarkedTable)
        table.add_columns("Ref", "Date", "Officer", "Risk", "Why drawn")
        self.action_refresh()
        table.focus()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def on_records_pulled(self, _event: RecordsPulled) -> None:
        self.action_refresh()  # the hub sent submissions: the queue takes them in

    def action_refresh(self) -> None:
        self.items = review_queue(self.app.context.store)
        table = self.query_one("#queue", MarkedTable)
        row = table.cursor_row
        table.clear()
        for n, q in enumerate(self.items):
            item = q.item
            reasons = item["reasons"]
            first = SHORT_REASONS.get(reasons[0], reasons[0].replace("_", " ")) if reasons else ""
            table.add_row(
                item["reference"],
                str(item["occurred_at"])[:10],
                item["officer"] or "—",
                item["risk_level"] or "—",
                first + (f" (+{len(reasons) - 1})" if len(reasons) > 1 else ""),
                key=str(n),
            )
        table.keep_cursor(row)
        self._show_why()
        count = len(self.items)
        self.query_one("#queue-hint", Label).update(
            f"{count} case{'s' if count != 1 else ''} to review · Enter: review the marked case"
            " · h high risk · v contacts · c DVDS · l figures · w week ahead (orders)"
            " · ^l: lock"
        )

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_why()

    def _show_why(self) -> None:
        table = self.query_one("#queue", MarkedTable)
        row = table.cursor_row
        why = self.query_one("#queue-why", Static)
        if not self.items or not 0 <= row < len(self.items):
            why.update("Nothing to review: n draws a sample of the last four weeks.")
            return
        item = self.items[row]
        why.update(f"{item.item['reference']} drawn because: {reasons_text(item)}")

    def _user_may(self, action: Action) -> bool:
        if allowed(self.app.context.signed_in, action):
            return True
        self.query_one("#queue-status", Label).update(
            f"Your role may not {action.value.replace('_', ' ')}."
        )
        return False

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_review()

    def action_review(self) -> None:
        table = self.query_one("#queue", MarkedTable)
        if not self.items or not self._user_may(Action.REVIEW):
            return
        from firstresponse.tui.screens.supervisor.review import ReviewScreen

        self.app.push_screen(ReviewScreen(self.items[table.cursor_row]))

    def action_draw(self) -> None:
        if not self._user_may(Action.DIP_SAMPLE):
            return
        now = utcnow()
        context = self.app.context
        sample = draw_sample(
            context.store, now - timedelta(days=DRAW_DAYS), now, DRAW_RATE, context.collar
        )
        before = len(self.items)
        self.action_refresh()
        added = len(self.items) - before
        drawn = len(sample.items)
        rest = ", the rest already in it" if added < drawn else ""
        self.query_one("#queue-status", Label).update(
            f"Drew {plural(drawn, 'case')} from the last {DRAW_DAYS} days (seed {sample.seed}):"
            f" {added} new to the queue{rest}."
        )

    def action_dashboard(self) -> None:
        if not self._user_may(Action.VIEW_COMPLIANCE):
            return
        from firstresponse.tui.screens.supervisor.dashboard import DashboardScreen

        self.app.push_screen(DashboardScreen())

    def action_high_risk(self) -> None:
        if not self._user_may(Action.REVIEW):
            return
        from firstresponse.tui.screens.followup.high_risk import HighRiskQueueScreen

        self.app.push_screen(HighRiskQueueScreen())

    def action_contacts(self) -> None:
        from firstresponse.tui.screens.followup.contacts import ContactsScreen

        self.app.push_screen(ContactsScreen())

    def action_dvds(self) -> None:
        from firstresponse.tui.screens.followup.dvds import DvdsListScreen

        self.app.push_screen(DvdsListScreen())

    def action_week(self) -> None:
        from firstresponse.tui.screens.followup.orders import WeekAheadScreen

        self.app.push_screen(WeekAheadScreen())

    def action_leaders(self) -> None:
        if not self._user_may(Action.VIEW_COMPLIANCE):
            return
        from firstresponse.tui.screens.followup.figures import FiguresScreen

        self.app.push_screen(FiguresScreen())
