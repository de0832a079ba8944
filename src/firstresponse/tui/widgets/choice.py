"""One question whose answer is chosen from options, drawn as text: `(•) Yes  ( ) No`.

The chosen answer differs in the characters themselves (`(•)`/`( )`, or `[x]`/`[ ]` when
several may be chosen), so it reads the same in sunlight, on a monochrome screen and to
a colour-blind officer. The option under the cursor carries the cursor mark while the
field has focus. One widget draws the label, guidance, options and any issue, so a checklist of
forty questions costs forty widgets, not two hundred.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from typing import Any

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget

from firstresponse.checklist import Item
from firstresponse.checklist.item_types import Control, control_of
from firstresponse.tui.widgets.marks import CURSOR
from firstresponse.tui.widgets.single_layout import SingleLayout
from firstresponse.tui.widgets.type_ahead import TypeAhead

GAP = "  "


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    lines: list[str] = []
    for para in text.splitlines() or [""]:
        lines += textwrap.wrap(
            para, max(8, width), initial_indent=indent, subsequent_indent=indent or "  "
        ) or [indent]
    return lines


class ChoiceField(SingleLayout, TypeAhead, Widget, can_focus=True):
    """Left/right move between options; Space or Enter chooses (toggles when several);
    Tab and up/down move between questions, every key in the order typed (TypeAhead)."""

    MOVES = TypeAhead.QUESTION_MOVES

    DEFAULT_CSS = """
    ChoiceField { height: auto; width: 1fr; }
    """
    BINDINGS = [
        Binding("left", "move(-1)", "Previous option", show=False),
        Binding("right", "move(1)", "Next option", show=False),
        Binding("space,enter", "choose", "Choose", show=False),
    ]

    class Chosen(Message):
        """The officer chose (or, for several, toggled) an option."""

        def __init__(self, field: ChoiceField, value: Any) -> None:
            super().__init__()
            self.field = field
            self.value = value

        @property
        def control(self) -> ChoiceField:
            return self.field

    def __init__(self, item: Item, value: Any, *, show_help: bool = True, id: str) -> None:
        super().__init__(id=id)
        self.item = item
        self.multi = control_of(item) is Control.CHOICES
        values = [v for v, _ in item.options]
        if self.multi:
            self.chosen = {v for v in value if v in values} if isinstance(value, list) else set()
        else:
            self.chosen = {value} if isinstance(value, str) and value in values else set()
        first = next((n for n, v in enumerate(values) if v in self.chosen), 0)
        self.cursor = first
        self.show_help = show_help
        self.mark = "*" if item.required else " "
        self.issue = ""
        self._drawn: tuple[tuple[Any, ...], list[Text]] | None = None

    # -- state set by the form -----------------------------------------------------------
    def show(self, mark: str, issue: str) -> None:
        """Show the item's mark (`*`, `!` or blank) and issue text (a new layout only when the
        issue, and so perhaps the height, changes)."""
        if (mark, issue) != (self.mark, self.issue):
            layout = issue != self.issue
            self.mark, self.issue = mark, issue
            self.refresh(layout=layout)

    @property
    def value(self) -> Any:
        if self.multi:
            return [v for v, _ in self.item.options if v in self.chosen]
        return next(iter(self.chosen), None)

    # -- keys ----------------------------------------------------------------------------
    async def key_in(self, event: events.Key) -> bool:
        if self.burst_refused(event):
            return True
        return await super().key_in(event)

    def action_move(self, step: int) -> None:
        self.cursor = (self.cursor + step) % max(1, len(self.item.options))
        self.refresh()

    def action_choose(self) -> None:
        if not self.item.options:
            return
        option = self.item.options[self.cursor][0]
        if self.multi:
            self.chosen ^= {option}
        elif option in self.chosen:
            return
        else:
            self.chosen = {option}
        self.refresh()
        self.post_message(self.Chosen(self, self.value))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # -- drawing -------------------------------------------------------------------------
    def _options(self) -> Iterator[tuple[int, str]]:
        for n, (value, label) in enumerate(self.item.options):
            if self.multi:
                box = "[x]" if value in self.chosen else "[ ]"
            else:
                box = "(•)" if value in self.chosen else "( )"
            yield n, f"{box} {label}"

    def _lines(self, width: int) -> list[Text]:
        """The field's lines at `width`, drawn again only when something shown changed."""
        key = (width, self.mark, self.issue, frozenset(self.chosen), self.cursor, self.has_focus)
        if self._drawn is None or self._drawn[0] != key:
            self._drawn = (key, self._draw(width))
        return self._drawn[1]

    def _draw(self, width: int) -> list[Text]:
        lines = [Text(line) for line in _wrap(f"{self.mark} {self.item.label}", width)]
        if self.show_help and self.item.help:
            lines += [Text(line) for line in _wrap(self.item.help, width, "  ")]
        row = Text("  ")
        for n, option in self._options():
            focused = self.has_focus and n == self.cursor
            token = Text((CURSOR if focused else " ") + option)
            if token.cell_len > width - 2:  # a long option: its own lines, counted in height
                if row.cell_len > 2:
                    lines.append(row)
                wrapped = textwrap.wrap(token.plain, width - 2, subsequent_indent=" " * 5)
                lines += [Text("  " + line) for line in wrapped]
                row = Text("  ")
                continue
            if row.cell_len > 2 and row.cell_len + len(GAP) + token.cell_len > width:
                lines.append(row)
                row = Text("  ")
            elif row.cell_len > 2:
                row.append(GAP)
            row.append_text(token)
        if row.cell_len > 2:
            lines.append(row)
        if self.issue:
            lines += [Text(line) for line in _wrap(self.issue, width, "  ")]
        return lines

    def height_at(self, width: int) -> int:
        """Rows the field takes at `width` (drawn once, and kept for when it is shown)."""
        return len(self._lines(width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.height_at(width)

    def render(self) -> Text:
        return Text("\n").join(self._lines(self.size.width or 80))
