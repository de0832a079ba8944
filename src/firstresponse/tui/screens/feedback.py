"""Supervisors' feedback on the officer's cases: read at sign-in, and listed on demand.

After sign-in the app shows `feedback_screen_for(app)` (if not None) over the home screen:
the reviews not yet acknowledged, one at a time. `CaseFeedbackScreen` ("Feedback on my
cases", f on the responder's home) lists every review of the officer's cases, dip samples
and same-shift high-risk reviews, newest first. In both, `a` acknowledges the one shown.
"""

from __future__ import annotations

from textwrap import shorten

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label, Static

from firstresponse.supervision.feedback import KINDS, Feedback, local
from firstresponse.supervision.terminal import (
    acknowledge_feedback,
    feedback_count,
    feedback_waiting,
    my_feedback,
)
from firstresponse.tui.screens.followup.base import FollowupList
from firstresponse.tui.terminal import TerminalApp, TerminalScreen
from firstresponse.tui.widgets.marked_table import MarkedTable


class FeedbackScreen(TerminalScreen[None]):
    """Feedback waiting for the signed-in officer; `a` acknowledges the one shown."""

    BINDINGS = [
        Binding("a", "acknowledge", "Acknowledge"),
        Binding("escape", "later", "Later"),
    ]

    DEFAULT_CSS = """
    FeedbackScreen #fb-body { height: 1fr; padding: 0 1; }
    """

    def __init__(self, items: list[Feedback]) -> None:
        super().__init__()
        self.items = items

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="fb-title", classes="title")
        with VerticalScroll(id="fb-body"):
            yield Static("", id="fb-text", markup=False)
        yield Label("a acknowledge · Esc later (shown again at next sign-in)", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.show_current()
        self.query_one("#fb-body", VerticalScroll).focus()

    def show_current(self) -> None:
        count = len(self.items)
        self.query_one("#fb-title", Label).update(
            f"Feedback from your supervisor ({count} to read)"
        )
        self.query_one("#fb-text", Static).update("\n".join(self.items[0].lines))

    def action_acknowledge(self) -> None:
        context = self.app.context
        acknowledge_feedback(context.store, self.items[0], context.collar)
        self.items.pop(0)
        if self.items:
            self.show_current()
        else:
            self.app.notify("Feedback acknowledged.")
            self.dismiss()

    def action_later(self) -> None:
        self.dismiss()


def feedback_screen_for(app: TerminalApp) -> Screen[None] | None:
    """A FeedbackScreen if the signed-in user has unacknowledged feedback, else None."""
    context = app.context
    if context.officer is None or not feedback_count(context.store, context.collar):
        return None
    return FeedbackScreen(feedback_waiting(context.store, context.collar, context.checklists))


class CaseFeedbackScreen(FollowupList):
    """Every review of the officer's cases, newest first, the highlighted one in full below;
    `a` acknowledges it. Works offline: reviews are read from this terminal's store."""

    BINDINGS = [
        Binding("a", "acknowledge", "Acknowledge"),
        Binding("f5", "refresh", "Refresh"),
        Binding("escape", "back", "Back"),
    ]
    DEFAULT_CSS = """
    CaseFeedbackScreen #cf-list { height: auto; max-height: 7; }
    CaseFeedbackScreen #cf-body { height: 1fr; padding: 0 1; border-top: solid $primary; }
    """
    TABLE = "cf-list"
    COLUMNS = ("When", "Ref", "Review", "Result", "State")

    def __init__(self) -> None:
        super().__init__()
        self.items: list[Feedback] = []

    def body(self) -> ComposeResult:
        yield Label("Feedback on my cases", classes="title")
        yield Label("", id="cf-hint", classes="hint", markup=False)
        yield MarkedTable(id="cf-list")
        with VerticalScroll(id="cf-body"):
            yield Static("", id="cf-text", markup=False)

    def action_refresh(self) -> None:
        context = self.app.context
        table = self.query_one("#cf-list", MarkedTable)
        row = table.cursor_row
        self.items = my_feedback(context.store, context.collar, context.checklists)
        table.clear()
        for n, item in enumerate(self.items):
            state = "NEW" if item.waiting else "read"
            result = shorten(item.result, 26, placeholder="…")  # whole words
            table.add_row(
                local(item.at), item.reference, KINDS[item.kind], result, state, key=str(n)
            )
        table.keep_cursor(row)
        waiting = sum(item.waiting for item in self.items)
        self.query_one("#cf-hint", Label).update(
            f"{len(self.items)} reviewed, {waiting} NEW to acknowledge · a acknowledge · Esc back"
        )
        self._show()

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show()

    def _current(self) -> Feedback | None:
        if not self.items:
            return None
        row = self.query_one("#cf-list", MarkedTable).cursor_row
        return self.items[min(max(row, 0), len(self.items) - 1)]

    def _show(self) -> None:
        item = self._current()
        if item is None:
            text = "No reviews of your cases on this terminal yet."
        elif item.acknowledged_at is None:
            text = "\n".join((*item.lines, "", "NEW: press a once you have read it."))
        else:
            text = "\n".join((*item.lines, "", f"Acknowledged {local(item.acknowledged_at)}."))
        self.query_one("#cf-text", Static).update(text)

    def action_acknowledge(self) -> None:
        item = self._current()
        if item is None:
            self.status("Nothing to acknowledge.")
            return
        if not item.waiting:
            self.status(f"{item.reference}: already acknowledged.")
            return
        try:
            acknowledge_feedback(self.store, item, self.user.collar)
        except (LookupError, PermissionError) as exc:
            self.status(f"Not acknowledged: {exc}")
            return
        self.status("")
        self.app.notify(f"{item.reference}: feedback acknowledged.")
        self.action_refresh()
