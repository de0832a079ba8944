"""One question's field: its control (a choice, a text box, or its answer read only) and,
when the checklist asks for one, its reason box."""

from __future__ import annotations

import textwrap
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from firstresponse.checklist import Item
from firstresponse.checklist.item_types import Control, control_of, placeholder_of
from firstresponse.tui.widgets.choice import ChoiceField
from firstresponse.tui.widgets.form.text import AnswerBox, LongAnswerBox
from firstresponse.tui.widgets.form.view import (
    View,
    show_value,
    widget_id,
)
from firstresponse.tui.widgets.single_layout import SingleLayout

#: Said in an empty date or time box: ctrl+t fills it with now (`ChecklistForm.action_now`).
NOW_HINT = "  (ctrl+t: now)"


#: Characters a reason's question may have to be the box's own hint: a longer one is
#: written above the box, wrapped, so "(required)" is never cut off at 80 columns.
REASON_FITS = 60

#: Up/down move between questions (inside a long text box they move its cursor instead).
STEP_KEYS: list[Binding | tuple[str, str] | tuple[str, str, str]] = [
    Binding("down", "app.focus_next", "Next question", show=False),
    Binding("up", "app.focus_previous", "Previous question", show=False),
]


class ItemField(SingleLayout, Vertical):
    """One question: its control (or its answer, read only) and, when needed, a reason box."""

    BINDINGS = STEP_KEYS

    def __init__(self, item: Item, path: str, value: Any, reason: str, read_only: bool) -> None:
        super().__init__(id=widget_id("f", path), classes="cl-item")
        self.item = item
        self.path = path
        self.value = value
        self.reason = reason
        self.read_only = read_only
        self.control: ChoiceField | Input | TextArea | None = None
        self.header: Static | None = None
        self.reason_box: Input | None = None
        #: A reason's question too long for its box, wrapped above it ("(required)" seen).
        self.reason_prompt: Static | None = None
        self._composed = False
        self._state: tuple[Any, ...] = ()
        #: What each text box showed when built: an event that merely reports this (Textual
        #: posts one on mount) is not an answer, so rendering never rewrites stored data.
        self.shown: dict[str, str] = {}
        # Built now, so the form can set their state before they are mounted.
        if not read_only and control_of(item) in (Control.CHOICE, Control.CHOICES):
            self.control = ChoiceField(item, value, id=widget_id("c", path))
        else:
            self.header = Static(self._header(self._mark(False), ""), classes="cl-header")
            if not read_only and item.answerable:
                self.control = self._text_control()
        if reason and not read_only:
            self._reason_box()

    def compose(self) -> ComposeResult:
        self._composed = True
        parts = (self.header, self.control, self.reason_prompt, self.reason_box)
        yield from (w for w in parts if w is not None)

    def _mark(self, flagged: bool) -> str:
        return "!" if flagged else ("*" if self.item.required else " ")

    def _header(self, mark: str, issue: str, reason_shown: bool = False) -> Text | Table:
        """The question beside its mark, and below it its help (or, read only, its answer
        and reason) and any issue, every wrapped line indented under the question."""
        item = self.item
        if not item.answerable:  # a note: no mark, no answer
            text = Text(item.label, "bold")
            if item.help and not self.read_only:
                text.append("\n" + item.help, "dim")
            return text
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=1, no_wrap=True)
        grid.add_column()
        grid.add_row(mark, Text(item.label, "bold"))
        if self.read_only:
            grid.add_row("", show_value(item, self.value))
            if reason_shown:
                grid.add_row("", f"Reason: {self.reason or '— (not given)'}")
        elif item.help:
            grid.add_row("", Text(item.help, "dim"))
        if issue:
            grid.add_row("", Text(issue, "bold"))
        return grid

    def _text_control(self) -> Input | TextArea:
        item, value, wid = self.item, self.value, widget_id("c", self.path)
        text = "" if value is None else str(value)
        self.shown["control"] = text
        control = control_of(item)
        if control is Control.LONG_TEXT:
            return LongAnswerBox(
                text,
                id=wid,
                classes="cl-long",
                soft_wrap=True,
                compact=True,
                placeholder="type here (Tab: next question)",
            )
        return AnswerBox(
            text,
            placeholder=placeholder_of(item) + (NOW_HINT if item.spec.now_format else ""),
            type="number" if control is Control.NUMBER else "text",
            id=wid,
            compact=True,
        )

    def _reason_box(self) -> Input:
        self.shown["reason"] = self.reason
        label = self.item.reason_label or "Reason"
        if len(label) + len(" (required)") > REASON_FITS:
            self.reason_prompt = Static(label, classes="cl-reason-prompt", markup=False)
        self.reason_box = AnswerBox(
            self.reason,
            placeholder=self._reason_placeholder(True),
            id=widget_id("r", self.path),
            classes="cl-reason",
            compact=True,
        )
        return self.reason_box

    def _reason_placeholder(self, missing: bool) -> str:
        """The box's hint: the question when it fits, else "the reason" (it is above)."""
        label = "Type the reason" if self.reason_prompt else self.item.reason_label or "Reason"
        return f"{label} (required)" if missing else label

    def show_state(self, view: View) -> None:
        """Markers, issue text and the reason box, from an evaluation (redrawn on change)."""
        issues = view.issues[self.path]
        reason_shown = self.path in view.ev.reasons_required or bool(self.reason)
        reason_missing = self.path in view.missing_reason
        errors = view.errors_text(self.path, self.item.label)
        state = (bool(issues), errors, reason_shown, reason_missing)
        if state == self._state:
            return
        self._state = state
        mark = self._mark(bool(issues))
        if isinstance(self.control, ChoiceField):
            self.control.show(mark, errors)
        elif self.header is not None:
            self.header.update(self._header(mark, errors, reason_shown))
        if self.read_only:
            return
        if reason_shown and self.reason_box is None:
            box = self._reason_box()
            if self._composed:  # else compose yields them
                if self.reason_prompt is not None:
                    self.mount(self.reason_prompt)
                self.mount(box)
        if self.reason_prompt is not None:
            self.reason_prompt.display = reason_shown
            prompt = self.item.reason_label + (" (required)" if reason_missing else "")
            self.reason_prompt.update(prompt)
        if self.reason_box is not None:
            self.reason_box.display = reason_shown
            self.reason_box.set_class(reason_missing, "-missing")
            self.reason_box.placeholder = self._reason_placeholder(reason_missing)
            if reason_shown and self.has_focus_within:  # just asked for: bring it into view
                self.call_after_refresh(self.reason_box.scroll_visible, animate=False)

    def reason_prompt_lines(self, width: int) -> int:
        """Rows the reason's question written above its box takes at `width` (0 if none)."""
        if self.reason_prompt is None:
            return 0
        label = f"{self.item.reason_label} (required)"
        return len(textwrap.wrap(label, max(1, width - 2))) or 1

    def focus_target(self, reason_first: bool) -> Widget | None:
        if reason_first and self.reason_box is not None and self.reason_box.display:
            return self.reason_box
        return self.control or self.reason_box
