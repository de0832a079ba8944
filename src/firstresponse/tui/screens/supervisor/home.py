"""The supervisor's home: the dip-sample queue, with keys to review, draw and see figures."""

from __future__ import annotations

from datetime import timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label

from firstresponse.records import utcnow
from firstresponse.security.permissions import Action, allowed
from firstresponse.supervision import QueueItem, draw, queue

#: Window and share used when a sample is drawn from the screen.
DRAW_DAYS = 28
DRAW_RATE = 0.1


class SupervisorHome(Screen[None]):
    """Cases drawn for review, must-check cases first; Enter opens one."""

    BINDINGS = [
        Binding("enter", "review", "Review", show=True),
        Binding("n", "draw", "Draw sample"),
        Binding("d", "dashboard", "Compliance"),
        Binding("h", "high_risk", "High risk"),
        Binding("v", "contacts", "Victim contacts"),
        Binding("c", "dvds", "Clare's Law"),
        Binding("l", "leaders", "Leaders' figures"),
        Binding("f5", "refresh", "Refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[QueueItem] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Dip-sample queue", classes="title")
        yield Label("", id="queue-hint", classes="hint")
        yield DataTable(id="queue", cursor_type="row", zebra_stripes=True)
        yield Label("", id="queue-status", classes="error")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#queue", DataTable)
        table.add_columns("Ref", "Date", "Officer", "Risk", "Why drawn")
        self.action_refresh()
        table.focus()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        with self.app.store.session() as db:  # type: ignore[attr-defined]
            self.items = queue(db)
        table = self.query_one("#queue", DataTable)
        table.clear()
        for n, q in enumerate(self.items):
            item = q.item
            table.add_row(
                item["reference"],
                str(item["occurred_at"])[:10],
                item["officer"] or "—",
                item["risk_level"] or "—",
                ", ".join(r.replace("_", " ") for r in item["reasons"]),
                key=str(n),
            )
        count = len(self.items)
        self.query_one("#queue-hint", Label).update(
            f"{count} case{'s' if count != 1 else ''} to review · Enter review · "
            "n draw · d compliance · h high risk · v contacts · c DVDS · l figures"
        )

    def _user_may(self, action: Action) -> bool:
        if allowed(self.app.user, action):  # type: ignore[attr-defined]
            return True
        self.query_one("#queue-status", Label).update(
            f"Your role may not {action.value.replace('_', ' ')}."
        )
        return False

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_review()

    def action_review(self) -> None:
        table = self.query_one("#queue", DataTable)
        if not self.items or not self._user_may(Action.REVIEW):
            return
        from firstresponse.tui.screens.supervisor.review import ReviewScreen

        self.app.push_screen(ReviewScreen(self.items[table.cursor_row]))

    def action_draw(self) -> None:
        if not self._user_may(Action.DIP_SAMPLE):
            return
        now = utcnow()
        collar = self.app.user.collar  # type: ignore[attr-defined]
        with self.app.store.session() as db:  # type: ignore[attr-defined]
            sample = draw(db, now - timedelta(days=DRAW_DAYS), now, DRAW_RATE, created_by=collar)
        self.query_one("#queue-status", Label).update(
            f"Drew {len(sample.items)} cases (seed {sample.seed}, last {DRAW_DAYS} days)."
        )
        self.action_refresh()

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

    def action_leaders(self) -> None:
        if not self._user_may(Action.VIEW_COMPLIANCE):
            return
        from firstresponse.tui.screens.followup.figures import FiguresScreen

        self.app.push_screen(FiguresScreen())
