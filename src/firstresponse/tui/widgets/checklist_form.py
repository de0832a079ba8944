"""One form widget that renders any checklist: keyboard only, fits 80x24.

`ChecklistForm(checklist, answers=None, facts=None, read_only=False)` shows the items
section by section, marks missing answers and missing reasons, asks for a reason exactly
when the checklist says one is needed, and handles repeating groups (one entry per child,
witness ...) with add/remove buttons.

The form opens on its first page: only the questions that fill the screen are built
before the first frame; the rest are mounted a page at a time straight after it, in
checklist order, so the officer can start answering at once (`built` tells when all are).

The form is updated, never rebuilt: an item is mounted the first time it becomes visible
and afterwards only shown or hidden; a reason box is mounted the first time one is needed.
Each change is evaluated once, the fields whose state changed are redrawn (asking for a new
layout only when a height may change), and `ChecklistForm.Changed` is posted with the
answers and that evaluation.
"""

from __future__ import annotations

import copy
import re
import textwrap
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import AwaitMount, Widget
from textual.widgets import Button, Input, Static, TextArea

from firstresponse.checklist import Checklist, Evaluation, Issue, Item, evaluate, reason_key
from firstresponse.checklist.item_types import Control, coerce, control_of, placeholder_of
from firstresponse.checklist.paths import entry_path, parse_path
from firstresponse.tui.widgets.choice import ChoiceField
from firstresponse.tui.widgets.single_layout import SingleLayout
from firstresponse.tui.widgets.type_ahead import TextBox, TypeAhead
from firstresponse.wording import plural

#: Said in an empty date or time box: ctrl+t fills it with now (`ChecklistForm.action_now`).
NOW_HINT = "  (ctrl+t: now)"
#: Columns of the body a question cannot use: its left border and the scrollbar.
BODY_MARGIN = 3
LEGEND = "* required  ! still needed · ←→ Space: choose · Tab: next · F2: next missing"


def widget_id(prefix: str, path: str) -> str:
    """A valid widget id for an item path (`children[0].name` -> `f-children-0-name`)."""
    return prefix + "-" + re.sub(r"[^A-Za-z0-9_]+", "-", path).strip("-")


def show_value(item: Item, value: Any) -> str:
    """An answer as text, for read-only display."""
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return ", ".join(item.option_label(v) for v in value)
    if item.options:
        return item.option_label(value)
    return str(value)


def set_text(line: Static, text: str) -> None:
    """Show `text` in `line`, laying the screen out again only if its height changes
    (a layout costs far more than a repaint)."""
    if str(line.content) == text:
        return
    line.update(text, layout=False)
    size = line.content_size
    if not size or line.get_content_height(size, line.app.size, size.width) != size.height:
        line.refresh(layout=True)


def top_slot(path: str) -> str:
    """The form slot a path is drawn in: its group for an entry's item, else itself."""
    return parse_path(path).group or path


@dataclass
class View:
    """One evaluation, indexed by path for the fields to read."""

    ev: Evaluation
    issues: dict[str, list[Issue]] = field(default_factory=lambda: defaultdict(list))
    missing_reason: set[str] = field(default_factory=set)
    error: set[Issue] = field(default_factory=set)

    @classmethod
    def of(cls, ev: Evaluation) -> View:
        view = cls(ev)
        for issue in (*ev.missing_required, *ev.missing_reasons, *ev.errors):
            view.issues[issue.item].append(issue)
        view.missing_reason = {i.item for i in ev.missing_reasons}
        view.error = set(ev.errors)
        return view

    def flagged(self) -> set[str]:
        """Paths with an issue (missing, reason missing or an error)."""
        return {path for path, found in self.issues.items() if found}

    def marks(self, path: str) -> tuple[Any, ...]:
        """What a field shows of its issues: each issue, whether it is an error, and
        whether its reason is missing."""
        found = self.issues.get(path, [])
        return tuple(found), tuple(i in self.error for i in found), path in self.missing_reason

    def changed_slots(self, before: View) -> set[str]:
        """Top-level slots (an item, or the group holding an entry's item) whose fields may
        draw differently than under `before`: shown or hidden, marked differently, or
        asking for a reason. Every other field's state is the same: it is not looked at."""
        ev, old = self.ev, before.ev
        marked = {
            path
            for path in self.flagged() | before.flagged()
            if self.marks(path) != before.marks(path)
        }
        paths = (ev.visible ^ old.visible) | marked | (ev.reasons_required ^ old.reasons_required)
        return {top_slot(path) for path in paths}

    def errors_text(self, path: str, label: str) -> str:
        return "\n".join(
            i.message.removeprefix(label + ": ") for i in self.issues[path] if i in self.error
        )


class Lazy:
    """A container's children in a fixed order, each mounted the first time it is shown."""

    def __init__(
        self, container: Widget, keys: list[str], make: Callable[[str], Widget], anchor: int = 0
    ) -> None:
        self.container = container
        self.keys = keys
        self.make = make
        self.anchor = anchor  # children before the first key (e.g. an entry's heading)
        self.mounted: dict[str, Widget] = {}

    def initial(self, visible: Callable[[str], bool]) -> Iterator[Widget]:
        """The widgets to compose now: those visible at the start."""
        for key in self.keys:
            if visible(key):
                yield self.take(key)

    def take(self, key: str) -> Widget:
        """Build the widget for `key`, for the caller to mount after those before it."""
        widget = self.mounted[key] = self.make(key)
        return widget

    def show(self, key: str, visible: bool) -> Widget | None:
        widget = self.mounted.get(key)
        if widget is None:
            if not visible:
                return None
            widget = self.make(key)
            before = self.keys.index(key)
            after = next(
                (self.mounted[k] for k in reversed(self.keys[:before]) if k in self.mounted),
                None,
            )
            if after is not None:
                self.container.mount(widget, after=after)
            elif len(self.container.children) > self.anchor:
                self.container.mount(widget, before=self.anchor)
            else:
                self.container.mount(widget)
            self.mounted[key] = widget
        elif widget.display != visible:
            widget.display = visible
        return widget


class AnswerBox(SingleLayout, TextBox):
    """A one-line text box: a keystroke repaints the box alone (the text's width, its virtual
    size, moves nothing around it), with no layout of the screen. Enter, Tab and the arrows
    up and down move between questions, in the order typed (TypeAhead)."""

    MOVES = TextBox.QUESTION_MOVES

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, enter_moves_on=True, **kwargs)


class LongAnswerBox(TypeAhead, TextArea):
    """A long answer: Enter starts a new line, arrows move in the text, Tab moves on; every
    key in the order typed (TypeAhead)."""

    async def key_in(self, event: events.Key) -> bool:
        if event.key == "enter":  # a new line: the text area's own key, not a binding
            await self._on_key(event)
            return True
        return await super().key_in(event)


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


class EntryBox(SingleLayout, Vertical):
    """One entry of a repeating group: a heading (with Remove) and the group's items."""

    def __init__(self, group: GroupField, index: int) -> None:
        super().__init__(classes="cl-entry")
        self.group = group
        self.index = index
        entry = group.entry(index)
        item = group.item
        paths = [entry_path(item.id, index, child.id) for child in item.items]
        children = {p: c for p, c in zip(paths, item.items, strict=True)}

        def make(path: str) -> Widget:
            child = children[path]
            reason = entry.get(reason_key(child.id))
            return ItemField(
                child,
                path,
                entry.get(child.id),
                reason if isinstance(reason, str) else "",
                group.read_only,
            )

        self.lazy = Lazy(self, paths, make, anchor=1)

    def compose(self) -> ComposeResult:
        item = self.group.item
        title = f"{item.entry_label} {self.index + 1}"
        if self.group.read_only:
            yield Static(title, classes="cl-entry-title", markup=False)
        else:
            with Horizontal(classes="cl-entry-head"):
                yield Static(title, classes="cl-entry-title", markup=False)
                yield Button(
                    f"Remove {title.lower()} (Enter)",
                    classes="cl-remove",
                    compact=True,
                    id=widget_id("rm", f"{item.id}-{self.index}"),
                )
        yield from self.lazy.initial(lambda path: path in self.group.view.ev.visible)

    def on_mount(self) -> None:
        self.show_state(self.group.view)

    def show_state(self, view: View) -> None:
        for path in self.lazy.keys:
            widget = self.lazy.show(path, path in view.ev.visible)
            if isinstance(widget, ItemField):
                widget.show_state(view)

    def fields(self) -> Iterator[ItemField]:
        for path in self.lazy.keys:
            widget = self.lazy.mounted.get(path)
            if isinstance(widget, ItemField) and widget.display:
                yield widget


class GroupField(SingleLayout, Vertical):
    """A repeating group: one box per entry, each with the group's child items."""

    BINDINGS = STEP_KEYS

    def __init__(self, form: ChecklistForm, item: Item, view: View) -> None:
        super().__init__(id=widget_id("f", item.id), classes="cl-group")
        self.form = form
        self.item = item
        self.path = item.id
        self.read_only = form.read_only
        self._state: tuple[Any, ...] = ()
        self.view = view
        self.header = Static("", classes="cl-header")
        self.entries = Vertical(classes="cl-entries")

    def entry(self, index: int) -> dict[str, Any]:
        entries = self.form.answers.get(self.item.id)
        if isinstance(entries, list) and index < len(entries):
            entry = entries[index]
            return entry if isinstance(entry, dict) else {}
        return {}

    def entry_count(self) -> int:
        entries = self.form.answers.get(self.item.id)
        return len(entries) if isinstance(entries, list) else 0

    def compose(self) -> ComposeResult:
        yield self.header
        with self.entries:
            for index in range(self.entry_count()):
                if isinstance(self.form.answers[self.item.id][index], dict):
                    yield EntryBox(self, index)
        if not self.read_only:
            yield Button(
                f"Add {self.item.entry_label.lower()} (Enter)",
                id=widget_id("add", self.path),
                classes="cl-add",
                compact=True,
            )

    def boxes(self) -> list[EntryBox]:
        return [box for box in self.entries.children if isinstance(box, EntryBox)]

    def show_state(self, view: View) -> None:
        self.view = view
        issues = view.issues[self.path]
        state = (bool(issues), view.errors_text(self.path, self.item.label))
        if state != self._state:
            self._state = state
            mark = "!" if issues else ("*" if self.item.required else " ")
            text = Text(f"{mark} {self.item.label}", "bold")
            if self.item.help and not self.read_only:
                text.append("\n  " + self.item.help, "dim")
            if state[1]:
                text.append("\n  " + state[1], "bold")
            self.header.update(text)
        for box in self.boxes():
            box.show_state(view)

    async def add_entry(self, view: View) -> EntryBox:
        self.view = view
        box = EntryBox(self, self.entry_count() - 1)
        await self.entries.mount(box)
        return box

    async def renumber_from(self, index: int, view: View) -> None:
        """Entries from `index` on are drawn again (their paths moved down by one)."""
        self.view = view
        stale = [box for box in self.boxes() if box.index >= index]
        await self.entries.remove_children(stale)
        fresh = [
            EntryBox(self, n)
            for n in range(index, self.entry_count())
            if isinstance(self.form.answers[self.item.id][n], dict)
        ]
        if fresh:
            await self.entries.mount_all(fresh)

    def fields(self) -> Iterator[ItemField]:
        for box in self.boxes():
            yield from box.fields()


_UNSET = object()


class FormBody(SingleLayout, VerticalScroll):
    """The scrolling body of the form: section headings and questions."""


class ChecklistForm(Widget):
    """Render, edit and evaluate one checklist's answers."""

    DEFAULT_CSS = """
    ChecklistForm { height: 1fr; }
    ChecklistForm #cl-summary { height: auto; max-height: 4; padding: 0 1; background: $boost; }
    ChecklistForm #cl-legend { height: 1; padding: 0 1; color: $text-muted; }
    ChecklistForm #cl-body { height: 1fr; scrollbar-gutter: stable; }
    ChecklistForm .cl-section { text-style: bold underline; padding: 1 1 0 1; }
    ChecklistForm .cl-item, ChecklistForm .cl-group { height: auto; border-left: blank; }
    ChecklistForm .cl-item:focus-within { border-left: thick $accent; background: $boost; }
    ChecklistForm .cl-header { padding: 0; }
    ChecklistForm Input, ChecklistForm TextArea { margin-left: 2; width: 1fr; }
    ChecklistForm Input { height: 1; }
    ChecklistForm Input.cl-reason { background: $warning 15%; }
    ChecklistForm .cl-reason-prompt { margin-left: 2; height: auto; color: $text; }
    ChecklistForm Input.cl-reason.-missing { background: $error 25%; }
    ChecklistForm TextArea.cl-long { height: 4; }
    ChecklistForm .cl-entries { height: auto; }
    ChecklistForm .cl-entry { height: auto; border-left: outer $primary; margin: 1 0 0 1; }
    ChecklistForm .cl-entry-head { height: 1; }
    ChecklistForm .cl-entry-title { width: 1fr; text-style: bold; }
    ChecklistForm .cl-add { margin-left: 2; }
    ChecklistForm Button { min-width: 10; }
    ChecklistForm Button:focus { text-style: bold reverse; }
    """

    BINDINGS = [
        Binding("f2", "next_missing", "Next missing"),
        Binding("ctrl+t", "now", "Now", show=False),
    ]

    class Changed(Message):
        """Posted after every change, with the new answers and their evaluation."""

        def __init__(self, form: ChecklistForm, answers: dict[str, Any], evaluation: Evaluation):
            super().__init__()
            self.form = form
            self.answers = answers
            self.evaluation = evaluation

        @property
        def control(self) -> ChecklistForm:
            return self.form

    def __init__(
        self,
        checklist: Checklist,
        answers: dict[str, Any] | None = None,
        facts: dict[str, Any] | None = None,
        read_only: bool = False,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.checklist = checklist
        self.answers: dict[str, Any] = copy.deepcopy(answers) if isinstance(answers, dict) else {}
        self.facts: dict[str, Any] = dict(facts or {})
        self.read_only = read_only
        self.evaluation = evaluate(checklist, self.answers, self.facts)
        #: Editable: the questions take the focus (and scroll into view); read only: the body.
        self.body = FormBody(id="cl-body", can_focus=read_only)
        self.summary = Static("", id="cl-summary", markup=False)
        #: Body order: a section heading ("§name") before its first item, then item ids.
        self.slots: list[str] = []
        for item in checklist.items:
            heading = "§" + item.section
            if item.section and heading not in self.slots:
                self.slots.append(heading)
            self.slots.append(item.id)
        self.lazy = Lazy(self.body, self.slots, self._make)
        #: Slots before this index are laid out (mounted if visible); the rest wait for
        #: `_grow`, a page at a time after the first frame.
        self.reach = 0
        self._mounting: AwaitMount | None = None

    @property
    def built(self) -> bool:
        """Whether the whole form is there: every slot laid out, and what is shown mounted."""
        return self._laid_out and all(w.is_mounted for w in self.lazy.mounted.values())

    @property
    def _laid_out(self) -> bool:
        """Whether every slot has been reached (the last pages may still be mounting)."""
        return self.reach >= len(self.slots)

    def _make(self, key: str) -> Widget:
        if key.startswith("§"):
            return Static(key[1:], classes="cl-section", markup=False)
        item = self.checklist.item(key)
        assert item is not None
        if item.is_group:
            return GroupField(self, item, self._view)
        reason = self.answers.get(reason_key(item.id))
        return ItemField(
            item,
            item.id,
            self.answers.get(item.id),
            reason if isinstance(reason, str) else "",
            self.read_only,
        )

    # -- building ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        self._view = View.of(self.evaluation)
        yield self.summary
        if not self.read_only:
            yield Static(LEGEND, id="cl-legend", markup=False)
        with self.body:
            yield from self._next_page()

    def on_mount(self) -> None:
        self._show(self._view)
        if not self._laid_out:
            self.call_after_refresh(self._grow)

    def _page_rows(self) -> tuple[int, int]:
        """Rows to fill per page (the terminal's height less this form's own two lines:
        at least what the body shows) and the width questions wrap at."""
        width, height = self.app.size
        return max(10, height - 2), max(20, width - BODY_MARGIN)

    @staticmethod
    def _rows(widget: Widget, width: int) -> int:
        """How many rows a slot's widget will take, never more than it does (so a page
        built to fill the screen does): exact for a choice, at least for the rest."""
        if isinstance(widget, GroupField):
            return 2  # its heading and its Add button, at least
        if not isinstance(widget, ItemField):
            return 2  # a section heading and the blank line above it
        reason = 1 + widget.reason_prompt_lines(width) if widget.reason_box is not None else 0
        if isinstance(widget.control, ChoiceField):
            return widget.control.height_at(width) + reason
        item = widget.item
        text = len(item.label) + 2 + (len(item.help) + 2 if item.help else 0)
        control = 4 if isinstance(widget.control, TextArea) else 1 if widget.control else 0
        return max(1, -(-text // width)) + control + reason

    def _next_page(self) -> list[Widget]:
        """Build the visible slots after `reach`, about a page of them, and move past them."""
        rows, width = self._page_rows()
        sections = self._visible_sections(self._view.ev)
        widgets: list[Widget] = []
        while not self._laid_out and rows > 0:
            key = self.slots[self.reach]
            self.reach += 1
            if key[1:] in sections if key.startswith("§") else key in self._view.ev.visible:
                widgets.append(self.lazy.take(key))
                rows -= self._rows(widgets[-1], width)
        return widgets

    async def _grow(self) -> None:
        """Mount the next page at the end of the body, then ask for the one after it."""
        widgets = self._next_page()
        for widget in widgets:
            if isinstance(widget, ItemField | GroupField):
                widget.show_state(self._view)
        if widgets:
            mounting = self._mounting = self.body.mount_all(widgets)
            await mounting
            if self._mounting is mounting:
                self._mounting = None
        if not self._laid_out:
            self.call_later(self._grow)

    async def build_all(self) -> None:
        """Mount every slot not yet mounted, now (before moving the focus past them)."""
        while not self._laid_out:
            await self._grow()
        if self._mounting is not None:
            await self._mounting  # the last page, if another call is still mounting it

    # -- state ---------------------------------------------------------------------------
    def set_facts(self, facts: dict[str, Any]) -> None:
        """Replace the context facts (e.g. after a lookup) and re-evaluate."""
        self.facts = dict(facts)
        self._changed()

    def _changed(self, path: str | None = None) -> None:
        """Evaluate once, redraw what that changed (and the field at `path`, just answered),
        and post `Changed`."""
        before = self._view
        self.evaluation = evaluate(self.checklist, self.answers, self.facts)
        self._view = View.of(self.evaluation)
        changed = self._view.changed_slots(before)
        if path is not None:
            changed.add(top_slot(path))
        self._show(self._view, changed)
        self.post_message(self.Changed(self, copy.deepcopy(self.answers), self.evaluation))

    def _visible_sections(self, ev: Evaluation) -> set[str]:
        return {i.section for i in self.checklist.items if i.id in ev.visible}

    def _show(self, view: View, changed: set[str] | None = None) -> None:
        """Draw `view` on the slots laid out so far (later ones are drawn when reached):
        all of them, or only section headings and the `changed` slots."""
        sections = self._visible_sections(view.ev)
        for key in self.slots[: self.reach]:
            if key.startswith("§"):
                self.lazy.show(key, key[1:] in sections)
                continue
            if changed is not None and key not in changed:
                continue
            widget = self.lazy.show(key, key in view.ev.visible)
            if isinstance(widget, ItemField | GroupField):
                widget.show_state(view)
        self._show_summary(view.ev)

    def _show_summary(self, ev: Evaluation) -> None:
        parts = []
        if ev.missing_required:
            parts.append(plural(len(ev.missing_required), "answer needed", "answers needed"))
        if ev.missing_reasons:
            parts.append(plural(len(ev.missing_reasons), "reason needed", "reasons needed"))
        if ev.errors:
            parts.append(plural(len(ev.errors), "answer to correct", "answers to correct"))
        if ev.decisions:
            parts.append(plural(len(ev.decisions), "decision", "decisions") + " for a supervisor")
        status = " · ".join(parts) if parts else "Complete"
        lines = [f"{self.checklist.title} v{self.checklist.version}: {status}"]
        extra = []
        if ev.grade_floor:
            extra.append(f"Lowest grade allowed: {ev.grade_floor.value.replace('_', ' ')}")
        if ev.risk_level:
            extra.append(f"Risk: {ev.risk_level.value}")
        if ev.referrals:
            extra.append("Refer: " + ", ".join(r.label for r in ev.referrals))
        if extra:
            lines.append(" · ".join(extra))
        set_text(self.summary, "\n".join(lines))
        self.summary.set_class(ev.complete, "-complete")

    def fields(self) -> Iterator[ItemField | GroupField]:
        """Visible fields in checklist order (a group, then its entries' fields)."""
        for key in self.slots:
            widget = self.lazy.mounted.get(key)
            if isinstance(widget, ItemField | GroupField) and widget.display:
                yield widget
                if isinstance(widget, GroupField):
                    yield from widget.fields()

    def field(self, path: str) -> ItemField | GroupField | None:
        return next((f for f in self.fields() if f.path == path), None)

    # -- answers -------------------------------------------------------------------------
    def _store(self, path: str, value: Any) -> bool:
        """Write one answer (or `<path>.reason`); return whether anything changed."""
        where = parse_path(path)
        if where.group is not None and where.index is not None:
            entries = self.answers.get(where.group)
            if not isinstance(entries, list) or where.index >= len(entries):
                return False
            target = entries[where.index]
        else:
            target = self.answers
        key = where.key
        if not isinstance(target, dict) or target.get(key) == value:
            return False
        if value is None or value == "" or value == []:
            if key not in target:
                return False
            target.pop(key)
        else:
            target[key] = value
        return True

    @staticmethod
    def _field_of(widget: Widget | None) -> ItemField | None:
        node: Any = widget
        while node is not None and not isinstance(node, ItemField):
            node = node.parent
        return node

    def _answer(self, field: ItemField, value: Any, is_reason: bool = False) -> None:
        if self.read_only:
            return
        if is_reason:
            field.reason = value if isinstance(value, str) else ""
        path = reason_key(field.path) if is_reason else field.path
        if self._store(path, value):
            self._changed(field.path)

    @on(ChoiceField.Chosen)
    def _chosen(self, event: ChoiceField.Chosen) -> None:
        event.stop()
        field = self._field_of(event.field)
        if field is not None:
            self._answer(field, event.value)

    def _typed(self, widget: Widget, text: str) -> ItemField | None:
        """The field a text box belongs to, unless the event only echoes what was drawn."""
        field = self._field_of(widget)
        if field is None:
            return None
        which = "reason" if widget.has_class("cl-reason") else "control"
        if field.shown.pop(which, _UNSET) == text:
            return None
        return field

    @on(Input.Changed)
    def _input(self, event: Input.Changed) -> None:
        event.stop()
        field = self._typed(event.input, event.value)
        if field is None:
            return
        if event.input.has_class("cl-reason"):
            self._answer(field, event.value, is_reason=True)
        else:
            self._answer(field, coerce(field.item, event.value))

    @on(TextArea.Changed)
    def _textarea(self, event: TextArea.Changed) -> None:
        event.stop()
        field = self._typed(event.text_area, event.text_area.text)
        if field is not None:
            self._answer(field, event.text_area.text)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter in a box has moved on to the next question (AnswerBox): not the screen's."""
        event.stop()

    @on(Button.Pressed, ".cl-add")
    async def _add(self, event: Button.Pressed) -> None:
        event.stop()
        group = event.button.parent
        if not isinstance(group, GroupField) or self.read_only:
            return
        entries = self.answers.get(group.item.id)
        entries = entries if isinstance(entries, list) else []
        entries.append({})
        self.answers[group.item.id] = entries
        self.evaluation = evaluate(self.checklist, self.answers, self.facts)
        self._view = View.of(self.evaluation)
        box = await group.add_entry(self._view)
        self._show(self._view)
        self.post_message(self.Changed(self, copy.deepcopy(self.answers), self.evaluation))
        first = next(box.fields(), None)
        target = first.focus_target(False) if first is not None else None
        if target is not None:
            target.focus()

    @on(Button.Pressed, ".cl-remove")
    async def _remove(self, event: Button.Pressed) -> None:
        event.stop()
        box = next((a for a in event.button.ancestors if isinstance(a, EntryBox)), None)
        if box is None or self.read_only:
            return
        group = box.group
        entries = self.answers.get(group.item.id)
        if not isinstance(entries, list) or box.index >= len(entries):
            return
        entries.pop(box.index)
        if not entries:
            self.answers.pop(group.item.id)
        self.evaluation = evaluate(self.checklist, self.answers, self.facts)
        self._view = View.of(self.evaluation)
        await group.renumber_from(box.index, self._view)
        self._show(self._view)
        self.post_message(self.Changed(self, copy.deepcopy(self.answers), self.evaluation))
        group.query_one(".cl-add", Button).focus()

    # -- actions -------------------------------------------------------------------------
    def action_next_missing(self) -> None:
        """Focus the next item that needs an answer or a reason."""
        self.focus_missing()

    def focus_missing(self, from_top: bool = False) -> None:
        """Focus the next item after the focused one (or the first) that needs something."""
        if self.built:
            self._focus_missing(from_top)
        else:  # it may be further down: mount the rest first
            self.call_next(self._focus_missing_built, from_top)

    async def _focus_missing_built(self, from_top: bool) -> None:
        await self.build_all()
        self._focus_missing(from_top)

    def _focus_missing(self, from_top: bool) -> None:
        ev = self.evaluation
        wanted = {i.item for i in (*ev.missing_required, *ev.missing_reasons, *ev.errors)}
        ordered = [f for f in self.fields() if f.path in wanted]
        if not ordered:
            self.app.bell()
            return
        current = None if from_top else self._field_of(self.app.focused)
        if self._own_reason_first(current):
            return
        everything = list(self.fields())
        after = everything.index(current) if current in everything else -1
        target = next((f for f in ordered if everything.index(f) > after), ordered[0])
        if isinstance(target, ItemField):
            widget = target.focus_target(target.path in self._view.missing_reason)
        else:
            widget = target.query_one(".cl-add") if not self.read_only else None
        if isinstance(widget, TypeAhead) and widget.focusable:
            widget.jump_here()  # what is still being typed does not choose there
        elif widget is not None and widget.focusable:
            widget.focus()
        target.scroll_visible(top=True, animate=False)

    def _own_reason_first(self, current: Any) -> bool:
        """F2 on an answer that needs a reason goes to that reason before anything else."""
        if not isinstance(current, ItemField) or current.path not in self._view.missing_reason:
            return False
        box = current.reason_box
        if box is None or not box.display or self.app.focused is box:
            return False
        box.focus()
        box.scroll_visible(animate=False)
        return True

    def action_now(self) -> None:
        """Put the current date/time into the focused date or time box."""
        focused = self.app.focused
        field = self._field_of(focused) if isinstance(focused, Input) else None
        now_format = field.item.spec.now_format if field is not None else ""
        if now_format and isinstance(focused, Input):
            focused.value = datetime.now().strftime(now_format)
