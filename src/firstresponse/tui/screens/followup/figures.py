"""The leaders' figures on screen: overall, or one week, team or officer at a time."""

from __future__ import annotations

from datetime import timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Label

from firstresponse.records import utcnow
from firstresponse.supervision.figures import FIGURES, Figures
from firstresponse.supervision.terminal import figures
from firstresponse.tui.screens.followup.base import FollowupScreen

#: The window shown: the last four weeks.
DAYS = 28
SCOPES = ("overall", "by_week", "by_team", "by_officer")


def _text(key: str, value: float | None) -> str:
    """A figure's value: minutes to one decimal, counts and shares as they are, and a
    short "— none" where there was nothing to count (the column fits 80 columns)."""
    if value is None:
        return "— none"
    if key.startswith("attend_minutes:"):
        return f"{value:.1f}"
    return f"{value:g}"


class FiguresScreen(FollowupScreen):
    """g cycles overall / week / team / officer; , and . step through the groups."""

    DEFAULT_CSS = "FiguresScreen #fg-table { height: 1fr; }"

    BINDINGS = [
        Binding("g", "scope", "Overall/week/team/officer"),
        Binding("comma", "step(-1)", "Previous"),
        Binding("full_stop", "step(1)", "Next"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.scope = "overall"
        self.index = 0
        self.figures: Figures | None = None

    def body(self) -> ComposeResult:
        yield Label("", id="fg-title", classes="title", markup=False)
        yield Label("g overall/week/team/officer · , previous · . next · Esc back", classes="hint")
        yield DataTable(id="fg-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        now = utcnow()
        self.figures = figures(self.store, now - timedelta(days=DAYS), now, now)
        table = self.query_one("#fg-table", DataTable)
        table.add_columns("Figure", "Value")
        self._show()
        table.focus()

    def _show(self) -> None:
        assert self.figures is not None
        groups = self.figures.scopes()[self.scope]
        names = list(groups)
        table = self.query_one("#fg-table", DataTable)
        table.clear()
        name = names[self.index % len(names)] if names else ""
        block = groups.get(name, {})
        for key, label in FIGURES.items():
            table.add_row(label, _text(key, block.get(key)) if block else "—")
        where = self.scope.replace("by_", "").replace("overall", "all teams")
        self.query_one("#fg-title", Label).update(
            f"Leaders' figures, last {DAYS} days · {where}"
            + (f": {name}" if name else "")
            + (f" ({self.index % len(names) + 1}/{len(names)})" if len(names) > 1 else "")
            + ("" if names else ": nothing recorded")
        )

    def action_scope(self) -> None:
        self.scope = SCOPES[(SCOPES.index(self.scope) + 1) % len(SCOPES)]
        self.index = 0
        self._show()

    def action_step(self, delta: int) -> None:
        self.index += delta
        self._show()
