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

The fields are in `widgets.form` by kind: one question (`form.item`, its text boxes in
`form.text`, a choice in `widgets.choice`), a repeating group (`form.group`), and what they
share (`form.view`).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widget import AwaitMount, Widget
from textual.widgets import Button, Input, Static, TextArea

from firstresponse.checklist import Checklist, Evaluation, evaluate, reason_key
from firstresponse.checklist.item_types import coerce
from firstresponse.checklist.paths import parse_path
from firstresponse.tui.widgets.choice import ChoiceField
from firstresponse.tui.widgets.form.group import EntryBox, GroupField
from firstresponse.tui.widgets.form.item import ItemField
from firstresponse.tui.widgets.form.view import (
    Lazy,
    View,
    set_text,
    top_slot,
)
from firstresponse.tui.widgets.single_layout import SingleLayout
from firstresponse.tui.widgets.type_ahead import TypeAhead
from firstresponse.wording import plural

#: Columns of the body a question cannot use: its left border and the scrollbar.
BODY_MARGIN = 3
LEGEND = "* required  ! still needed · ←→ Space: choose · Tab: next · F2: next missing"

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
