"""What has not reached the hub yet: high risk first, then children, then the rest."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from firstresponse.attendance import OutboxLine
from firstresponse.attendance.outbox_view import KIND_WORDS
from firstresponse.attendance.terminal import waiting_lines
from firstresponse.tui.screens.responder.base import ResponderScreen


def outbox_text(line: OutboxLine) -> str:
    """One record in words: why it is first, what it is, and any reason it is held."""
    tag = "NEEDS ATTENTION" if line.status == "quarantined" else line.tag
    what = KIND_WORDS.get(line.kind, line.kind.capitalize())
    text = f"{tag + ' · ' if tag else ''}{what}: {line.summary}"
    if line.last_error:
        text += f"\n   Held: {line.last_error}"
    return text


class OutboxScreen(ResponderScreen):
    """Waiting and quarantined records, most urgent first."""

    DEFAULT_CSS = """
    OutboxScreen #outbox { height: 1fr; padding: 0 1; }
    """
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("r", "reload", "Refresh")]

    def body(self) -> ComposeResult:
        yield Static("Waiting to sync (high risk and children first)", classes="title", id="ob-t")
        yield VerticalScroll(Static("", id="outbox-lines", markup=False), id="outbox")

    def on_mount(self) -> None:
        self.action_reload()
        self.query_one("#outbox").focus()

    def action_reload(self) -> None:
        lines = waiting_lines(self.store)
        text = "\n".join(f"• {outbox_text(line)}" for line in lines)
        self.query_one("#outbox-lines", Static).update(text or "Nothing waiting: all synced.")
        self.query_one("#ob-t", Static).update(
            f"Waiting to sync: {len(lines)} (high risk and children first)"
        )
