"""What every follow-through screen shares: header, footer, the store and signed-in user."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from textwrap import shorten
from typing import Any

from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import DataTable, Input, Label

from firstresponse.records import User
from firstresponse.tui.form_draft import FormDraftKeeper
from firstresponse.tui.terminal import TerminalScreen
from firstresponse.tui.widgets.type_ahead import TextBox


class FollowupScreen(TerminalScreen[None]):
    """A screen whose body comes from `body()`, with a status line above the footer."""

    def foot(self) -> Iterable[Widget]:
        yield Label("", id="fu-status", classes="error", markup=False)

    @property
    def user(self) -> User:
        if self.context.officer is None:
            raise PermissionError("sign in first")
        return self.context.officer

    def status(self, text: str) -> None:
        self.query_one("#fu-status", Label).update(text[:200])

    def action_back(self) -> None:
        self.dismiss()


class FollowupList(FollowupScreen):
    """A table of `COLUMNS` (id `TABLE`), filled by `action_refresh` when first shown and
    each time the screen is shown again. The table scrolls within the room left, so the
    title and hint above it stay on screen however many rows there are."""

    DEFAULT_CSS = "FollowupList DataTable { height: 1fr; }"

    TABLE = ""
    COLUMNS: tuple[str, ...] = ()

    def on_mount(self) -> None:
        table = self.query_one(f"#{self.TABLE}", DataTable)
        table.add_columns(*self.COLUMNS)
        self.action_refresh()
        table.focus()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        raise NotImplementedError

    def fill(self, rows: Sequence[tuple[str, ...]]) -> None:
        """Put `rows` (one cell per column) in the table, the last column cut at a word to
        the room the others leave at 80 columns, so no header or cell is cut mid-word."""
        table = self.query_one(f"#{self.TABLE}", DataTable)
        table.clear()
        room = last_column_room(self.COLUMNS, rows)
        for n, row in enumerate(rows):
            last = shorten(row[-1], room, placeholder="…") if row[-1] else ""
            table.add_row(*row[:-1], last, key=str(n))


class FollowupForm(FollowupScreen):
    """A follow-through form: Ctrl+S saves; Enter or Tab moves to the next box; what is
    typed is kept as a draft (`FormDraftKeeper`) until saved, so Escape goes back and the
    form opens again with it."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "back", "Back"),
    ]
    #: The draft of this form (`draft_name`), once mounted.
    draft: FormDraftKeeper | None = None

    def draft_name(self) -> str:
        """Which form, and for which record: one draft each."""
        raise NotImplementedError

    def on_mount(self) -> None:
        for box in self.query(TextBox):
            box.enter_moves_on = True
        self.draft = FormDraftKeeper(self, self.draft_name())
        self.draft.restore(lambda: self.status("What you typed before is back: Ctrl+S saves it"))

    def on_input_changed(self) -> None:
        if self.draft is not None:
            self.draft.changed()

    def on_picker_changed(self) -> None:
        self.on_input_changed()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()  # Enter has moved on to the next box (TextBox)

    def on_unmount(self) -> None:
        if self.draft is not None:
            self.draft.close()

    def saved(self) -> None:
        """Call once the form is saved: its draft goes, and so does the screen."""
        if self.draft is not None:
            self.draft.saved()
        self.dismiss()

    def action_back(self) -> None:
        if self.draft is not None and self.draft.typed:
            self.app.notify("Draft kept: open the form again to go on", timeout=4)
        self.dismiss()


#: Columns a list's table has at 80 columns: less the scrollbar and the cursor mark.
TABLE_WIDTH = 74


def last_column_room(headers: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> int:
    """Characters left for the last column once the others (each padded one a side) fit."""
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers[:-1])]
    return max(len(headers[-1]), 8, TABLE_WIDTH - sum(w + 2 for w in widths) - 2)


def day_time(at: Any) -> str:
    """As `when`, without the weekday ("12 Jan 15:00"): for a column at 80 columns."""
    return when(at)[4:] if at else "—"


def when(at: Any) -> str:
    """A UTC time shown as the UK clock reads it, e.g. "Mon 12 Jan 15:00"."""
    from firstresponse.supervision.shifts import UK, _aware

    return _aware(at).astimezone(UK).strftime("%a %d %b %H:%M") if at else "—"
