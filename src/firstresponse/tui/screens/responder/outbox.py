"""What has not reached the hub yet: high risk first, then children, then the rest."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from firstresponse.attendance import outbox_lines
from firstresponse.tui.screens.responder.base import ResponderScreen


class OutboxScreen(ResponderScreen):
    """Waiting and quarantined records, most urgent first."""

    DEFAULT_CSS = """
    OutboxScreen #outbox { height: 1fr; }
    """
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("r", "reload", "Refresh")]

    def body(self) -> ComposeResult:
        yield Static("Waiting to sync (high risk and children first)", classes="title", id="ob-t")
        yield DataTable(id="outbox", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#outbox", DataTable)
        table.add_columns("Priority", "Record", "Detail")
        self.action_reload()
        table.focus()

    def action_reload(self) -> None:
        table = self.query_one("#outbox", DataTable)
        table.clear()
        with self.store.session() as db:
            lines = outbox_lines(db)
        for line in lines:
            tag = "NEEDS ATTENTION" if line.status == "quarantined" else (line.tag or "-")
            detail = line.summary if not line.last_error else f"{line.summary} ({line.last_error})"
            table.add_row(tag, f"{line.kind} v{line.version}", detail[:48])
        self.query_one("#ob-t", Static).update(
            f"Waiting to sync: {len(lines)} (high risk and children first)"
        )
