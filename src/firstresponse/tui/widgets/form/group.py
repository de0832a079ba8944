"""A repeating group (one entry per child, witness ...): its entries, each a box of the
group's own questions, with add and remove buttons."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Static

from firstresponse.checklist import Item, reason_key
from firstresponse.checklist.paths import entry_path
from firstresponse.tui.widgets.form.item import STEP_KEYS, ItemField
from firstresponse.tui.widgets.form.view import (
    Lazy,
    View,
    widget_id,
)
from firstresponse.tui.widgets.single_layout import SingleLayout

if TYPE_CHECKING:
    from firstresponse.tui.widgets.checklist_form import ChecklistForm


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
