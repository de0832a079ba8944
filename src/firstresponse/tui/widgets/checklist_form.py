"""One form widget that renders any checklist: keyboard only, fits 80x24.

`ChecklistForm(checklist, answers=None, facts=None, read_only=False)` shows the items
section by section, hides items whose conditions do not hold, marks missing answers and
missing reasons, asks for a reason exactly when the checklist says one is needed, and
handles repeating groups (one entry per child, witness ...) with add/remove buttons.
Every change re-evaluates the answers and posts `ChecklistForm.Changed`.
"""

from __future__ import annotations

import copy
import re
from datetime import datetime
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import (
    Button,
    Input,
    RadioButton,
    RadioSet,
    Select,
    SelectionList,
    Static,
    TextArea,
)

from firstresponse.checklist import Checklist, Evaluation, Item, evaluate, reason_key

PLACEHOLDERS = {
    "date": "YYYY-MM-DD",
    "datetime": "YYYY-MM-DD HH:MM  (ctrl+t: now)",
    "time": "HH:MM",
    "number": "number",
    "text": "type here",
}
NOW_FORMATS = {"date": "%Y-%m-%d", "datetime": "%Y-%m-%d %H:%M", "time": "%H:%M"}


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


def reason_items(checklist: Checklist) -> set[str]:
    """Ids of items that can ever need a written reason stored as `<id>.reason`."""
    ids = {d.item for d in checklist.decisions}
    if checklist.risk and checklist.risk.judgement_item:
        ids.add(checklist.risk.judgement_item)
    for item in checklist.items:
        if item.reason_if is not None:
            ids.add(item.id)
        ids |= {c.id for c in item.items if c.reason_if is not None}
    return ids


class ItemField(Vertical):
    """One question: label, guidance, the control, a reason box and its issues."""

    def __init__(
        self, item: Item, path: str, value: Any, reason: str, needs_reason: bool, read_only: bool
    ) -> None:
        super().__init__(id=widget_id("f", path), classes="cl-item")
        self.item = item
        self.path = path
        self.value = value
        self.reason = reason
        self.needs_reason = needs_reason
        self.read_only = read_only
        self._state: tuple[Any, ...] = ()
        #: What each control showed when built. A control's first event that merely reports
        #: this (Textual posts some on mount) is not an answer: rendering never rewrites data.
        self.pending: dict[str, Any] = {"reason": reason}

    def compose(self) -> ComposeResult:
        item = self.item
        yield Static(self._label(False), classes="cl-label", markup=False)
        if item.help and not self.read_only:
            yield Static(item.help, classes="cl-help", markup=False)
        if self.read_only:
            yield Static(show_value(item, self.value), classes="cl-value", markup=False)
        elif item.answerable:
            yield self._control()
        if self.needs_reason:
            if self.read_only:
                yield Static(
                    f"Reason: {self.reason or '—'}", classes="cl-reason-text", markup=False
                )
            else:
                yield Input(
                    self.reason,
                    placeholder=item.reason_label or "Reason (required)",
                    id=widget_id("r", self.path),
                    classes="cl-reason",
                    compact=True,
                )
        yield Static("", classes="cl-issue", markup=False)

    def _label(self, missing: bool) -> str:
        mark = "!" if missing else ("*" if self.item.required else " ")
        return f"{mark} {self.item.label}" if self.item.answerable else self.item.label

    def _control(self) -> Widget:
        item, value, wid = self.item, self.value, widget_id("c", self.path)
        if item.type == "yesno":
            values = [v for v, _ in item.options]
            self.pending["control"] = values.index(value) if value in values else -1
            return RadioSet(
                *(RadioButton(label, value == v) for v, label in item.options),
                id=wid,
                classes="cl-yesno",
                compact=True,
            )
        if item.type == "single":
            valid = {v for v, _ in item.options}
            shown = value if isinstance(value, str) and value in valid else Select.NULL
            self.pending["control"] = shown
            return Select(
                [(label, v) for v, label in item.options],
                value=shown,
                prompt="Choose…",
                id=wid,
                compact=True,
            )
        if item.type == "multi":
            chosen = value if isinstance(value, list) else []
            self.pending["control"] = sorted(v for v, _ in item.options if v in chosen)
            return SelectionList[str](
                *((label, v, v in chosen) for v, label in item.options), id=wid, compact=True
            )
        text = "" if value is None else str(value)
        self.pending["control"] = text
        if item.type == "text" and item.long:
            return TextArea(text, id=wid, classes="cl-long", soft_wrap=True, compact=True)
        return Input(
            text,
            placeholder=PLACEHOLDERS.get(item.type, ""),
            type="number" if item.type == "number" else "text",
            id=wid,
            compact=True,
        )

    def show_state(self, ev: Evaluation) -> None:
        """Update visibility, markers, the reason box and issue text from an evaluation."""
        visible = self.path in ev.visible
        issues = ev.issues_for(self.path)
        missing = any(i in ev.missing_required for i in issues)
        reason_needed = self.path in ev.reasons_required
        state = (visible, tuple(issues), missing, reason_needed)
        if state == self._state:
            return
        self._state = state
        self.display = visible
        self.query_one(".cl-label", Static).update(self._label(missing or bool(issues)))
        self.set_class(bool(issues), "-issue")
        errors = [i for i in issues if i in ev.errors]
        issue = self.query_one(".cl-issue", Static)
        issue.update("\n".join(i.message.removeprefix(self.item.label + ": ") for i in errors))
        issue.display = bool(errors)
        for box in self.query(".cl-reason, .cl-reason-text"):
            box.display = reason_needed or bool(self.reason)
            box.set_class(any(i in ev.missing_reasons for i in issues), "-missing")


class GroupField(Vertical):
    """A repeating group: one box per entry, each with the group's child items."""

    def __init__(self, item: Item, read_only: bool) -> None:
        super().__init__(id=widget_id("f", item.id), classes="cl-group")
        self.item = item
        self.path = item.id
        self.read_only = read_only
        self._state: tuple[Any, ...] = ()

    def compose(self) -> ComposeResult:
        mark = "*" if self.item.required else " "
        yield Static(f"{mark} {self.item.label}", classes="cl-label", markup=False)
        if self.item.help and not self.read_only:
            yield Static(self.item.help, classes="cl-help", markup=False)
        yield Vertical(classes="cl-entries")
        if not self.read_only:
            yield Button(
                f"Add {self.item.entry_label.lower()}",
                id=widget_id("add", self.path),
                classes="cl-add",
                compact=True,
            )
        yield Static("", classes="cl-issue", markup=False)

    def entry_widgets(self, form: ChecklistForm) -> list[Widget]:
        """Fresh widgets for every entry in the form's answers."""
        entries = form.answers.get(self.item.id)
        boxes: list[Widget] = []
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            if not isinstance(entry, dict):
                continue
            title = f"{self.item.entry_label} {index + 1}"
            children: list[Widget] = [Static(title, classes="cl-entry-title", markup=False)]
            if not self.read_only:
                children = [
                    Horizontal(
                        Static(title, classes="cl-entry-title", markup=False),
                        Button(
                            f"Remove {title.lower()}",
                            classes="cl-remove",
                            compact=True,
                            id=widget_id("rm", f"{self.item.id}-{index}"),
                        ),
                        classes="cl-entry-head",
                    )
                ]
            for child in self.item.items:
                path = f"{self.item.id}[{index}].{child.id}"
                children.append(
                    ItemField(
                        child,
                        path,
                        entry.get(child.id),
                        _text(entry.get(reason_key(child.id))),
                        child.reason_if is not None,
                        self.read_only,
                    )
                )
            boxes.append(Vertical(*children, classes="cl-entry"))
        return boxes

    def show_state(self, ev: Evaluation) -> None:
        issues = ev.issues_for(self.path)
        state = (self.path in ev.visible, tuple(issues))
        if state == self._state:
            return
        self._state = state
        self.display = state[0]
        mark = "!" if issues else ("*" if self.item.required else " ")
        self.query_one(".cl-label", Static).update(f"{mark} {self.item.label}")
        self.set_class(bool(issues), "-issue")
        errors = [i for i in issues if i in ev.errors]
        issue = self.query_one(".cl-issue", Static)
        issue.update("\n".join(i.message.removeprefix(self.item.label + ": ") for i in errors))
        issue.display = bool(errors)


_UNSET = object()


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _number(text: str) -> int | float | str | None:
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text  # kept as typed: the engine reports it


class ChecklistForm(Widget):
    """Render, edit and evaluate one checklist's answers."""

    DEFAULT_CSS = """
    ChecklistForm { height: 1fr; }
    ChecklistForm #cl-summary { height: auto; max-height: 3; padding: 0 1;
        background: $boost; color: $text; }
    ChecklistForm #cl-summary.-complete { color: $success; }
    ChecklistForm #cl-body { height: 1fr; }
    ChecklistForm .cl-section { text-style: bold; color: $accent; padding: 1 1 0 1; }
    ChecklistForm .cl-item, ChecklistForm .cl-group { height: auto; padding: 0 1; }
    ChecklistForm .cl-label { text-style: bold; }
    ChecklistForm .-issue > .cl-label { color: $error; }
    ChecklistForm .cl-help { color: $text-muted; }
    ChecklistForm .cl-issue { color: $error; display: none; }
    ChecklistForm .cl-value, ChecklistForm .cl-reason-text { padding-left: 2; }
    ChecklistForm RadioSet.cl-yesno { layout: horizontal; height: auto; width: auto;
        border: none; padding: 0; }
    ChecklistForm RadioSet.cl-yesno:focus { border: none; background: $boost; }
    ChecklistForm RadioSet.cl-yesno RadioButton { width: auto; margin-right: 2; }
    ChecklistForm SelectionList { height: auto; max-height: 8; }
    ChecklistForm TextArea.cl-long { height: 4; }
    ChecklistForm Input, ChecklistForm Select, ChecklistForm TextArea { margin-left: 2; }
    ChecklistForm Input.cl-reason { background: $warning 15%; }
    ChecklistForm Input.cl-reason.-missing { background: $error 25%; }
    ChecklistForm .cl-add { margin-left: 2; }
    ChecklistForm .cl-reason, ChecklistForm .cl-reason-text { display: none; }
    ChecklistForm .cl-entries { height: auto; }
    ChecklistForm .cl-entry { height: auto; border-left: thick $primary; margin: 1 0 0 1; }
    ChecklistForm .cl-entry-head { height: auto; }
    ChecklistForm .cl-entry-title { width: 1fr; text-style: bold; padding-left: 1; }
    ChecklistForm Button { min-width: 10; }
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
        self._reasons = reason_items(checklist)

    # -- building ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="cl-summary", markup=False)
        with VerticalScroll(id="cl-body"):
            section: str | None = None
            for item in self.checklist.items:
                if item.section != section:
                    section = item.section
                    if section:
                        yield Static(section, classes="cl-section", markup=False)
                if item.is_group:
                    yield GroupField(item, self.read_only)
                else:
                    yield ItemField(
                        item,
                        item.id,
                        self.answers.get(item.id),
                        _text(self.answers.get(reason_key(item.id))),
                        item.id in self._reasons,
                        self.read_only,
                    )

    async def on_mount(self) -> None:
        for group in self.query(GroupField):
            await self._rebuild(group)
        self._show(self.evaluation)

    async def _rebuild(self, group: GroupField) -> None:
        box = group.query_one(".cl-entries", Vertical)
        await box.remove_children()
        await box.mount_all(group.entry_widgets(self))

    # -- state ---------------------------------------------------------------------------
    def set_facts(self, facts: dict[str, Any]) -> None:
        """Replace the context facts (e.g. after a lookup) and re-evaluate."""
        self.facts = dict(facts)
        self._changed()

    def _changed(self) -> None:
        self.evaluation = evaluate(self.checklist, self.answers, self.facts)
        self._show(self.evaluation)
        self.post_message(self.Changed(self, copy.deepcopy(self.answers), self.evaluation))

    def _show(self, ev: Evaluation) -> None:
        for field in self.query(ItemField):
            field.show_state(ev)
        for group in self.query(GroupField):
            group.show_state(ev)
        self._show_sections(ev)
        self._show_summary(ev)

    def _show_sections(self, ev: Evaluation) -> None:
        heading: Static | None = None
        any_visible = False
        for child in self.query_one("#cl-body").children:
            if child.has_class("cl-section"):
                if heading is not None:
                    heading.display = any_visible
                heading, any_visible = child, False  # type: ignore[assignment]
            elif getattr(child, "path", None) in ev.visible:
                any_visible = True
        if heading is not None:
            heading.display = any_visible

    def _show_summary(self, ev: Evaluation) -> None:
        parts = []
        if ev.missing_required:
            parts.append(f"{len(ev.missing_required)} answers needed")
        if ev.missing_reasons:
            parts.append(f"{len(ev.missing_reasons)} reasons needed")
        if ev.errors:
            parts.append(f"{len(ev.errors)} to correct")
        if ev.decisions:
            parts.append(f"{len(ev.decisions)} for a supervisor")
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
        summary = self.query_one("#cl-summary", Static)
        summary.update("\n".join(lines))
        summary.set_class(ev.complete, "-complete")

    # -- answers -------------------------------------------------------------------------
    def _store(self, path: str, value: Any) -> bool:
        """Write one answer (or `<path>.reason`); return whether anything changed."""
        match = re.match(r"^(\w+)\[(\d+)\]\.(.+)$", path)
        if match:
            entries = self.answers.get(match.group(1))
            index = int(match.group(2))
            if not isinstance(entries, list) or index >= len(entries):
                return False
            target, key = entries[index], match.group(3)
        else:
            target, key = self.answers, path
        if not isinstance(target, dict) or target.get(key) == value:
            return False
        if value is None or value == "" or value == []:
            if key not in target:
                return False
            target.pop(key)
        else:
            target[key] = value
        return True

    def _field_of(self, widget: Widget) -> ItemField | None:
        node: Any = widget
        while node is not None and not isinstance(node, ItemField):
            node = node.parent
        return node

    def _answer(self, widget: Widget, value: Any, shown: Any) -> None:
        """Store what the user chose in `widget`; `shown` is the control's raw state."""
        field = self._field_of(widget)
        if field is None or self.read_only:
            return
        is_reason = widget.has_class("cl-reason")
        if field.pending.pop("reason" if is_reason else "control", _UNSET) == shown:
            return
        if is_reason:
            field.reason = _text(value)
        path = reason_key(field.path) if is_reason else field.path
        if self._store(path, value):
            self._changed()

    @on(RadioSet.Changed)
    def _radio(self, event: RadioSet.Changed) -> None:
        event.stop()
        field = self._field_of(event.radio_set)
        if field is not None and 0 <= event.index < len(field.item.options):
            value = field.item.options[event.index][0]
            self._answer(event.radio_set, value, event.index)

    @on(Select.Changed)
    def _select(self, event: Select.Changed) -> None:
        event.stop()
        value = None if event.value is Select.NULL else event.value
        self._answer(event.select, value, event.value)

    @on(SelectionList.SelectedChanged)
    def _multi(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        field = self._field_of(event.selection_list)
        if field is not None:
            chosen = set(event.selection_list.selected)
            value = [v for v, _ in field.item.options if v in chosen]
            self._answer(event.selection_list, value, sorted(chosen))

    @on(Input.Changed)
    def _input(self, event: Input.Changed) -> None:
        event.stop()
        field = self._field_of(event.input)
        if field is None:
            return
        is_number = field.item.type == "number" and not event.input.has_class("cl-reason")
        value = _number(event.value) if is_number else event.value
        self._answer(event.input, value, event.value)

    @on(TextArea.Changed)
    def _textarea(self, event: TextArea.Changed) -> None:
        event.stop()
        self._answer(event.text_area, event.text_area.text, event.text_area.text)

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
        await self._rebuild(group)
        self._changed()
        new_boxes = group.query(".cl-entry")
        if new_boxes:
            focusable = [w for w in new_boxes.last().query(".cl-item *") if w.focusable]
            if focusable:
                focusable[0].focus()

    @on(Button.Pressed, ".cl-remove")
    async def _remove(self, event: Button.Pressed) -> None:
        event.stop()
        group = next((a for a in event.button.ancestors if isinstance(a, GroupField)), None)
        if group is None or self.read_only or not event.button.id:
            return
        index = int(event.button.id.rsplit("-", 1)[1])
        entries = self.answers.get(group.item.id)
        if isinstance(entries, list) and index < len(entries):
            entries.pop(index)
            if not entries:
                self.answers.pop(group.item.id)
            await self._rebuild(group)
            self._changed()
            group.query_one(".cl-add", Button).focus()

    # -- actions -------------------------------------------------------------------------
    def action_next_missing(self) -> None:
        """Focus the next item that needs an answer or a reason."""
        ev = self.evaluation
        wanted = [i.item for i in (*ev.missing_required, *ev.missing_reasons, *ev.errors)]
        if not wanted:
            self.app.bell()
            return
        fields = [f for f in self.query(ItemField) if f.path in wanted]
        fields += [g for g in self.query(GroupField) if g.path in wanted]  # type: ignore[misc]
        order = {id(w): n for n, w in enumerate(self.query("*"))}
        fields.sort(key=lambda w: order.get(id(w), 0))
        focused = self.app.focused
        after = order.get(id(focused), -1) if focused else -1
        target = next((f for f in fields if order.get(id(f), 0) > after), fields[0])
        missing_reason = any(i.item == target.path for i in ev.missing_reasons)
        preferred = list(target.query(".cl-reason")) if missing_reason else []
        candidates = preferred + [w for w in target.query("*") if w.focusable]
        if candidates:
            candidates[0].focus()
        target.scroll_visible(top=True)

    def action_now(self) -> None:
        """Put the current date/time into the focused date or time box."""
        focused = self.app.focused
        field = self._field_of(focused) if isinstance(focused, Input) else None
        if field is not None and field.item.type in NOW_FORMATS and isinstance(focused, Input):
            focused.value = datetime.now().strftime(NOW_FORMATS[field.item.type])
