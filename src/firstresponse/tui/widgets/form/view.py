"""What the form's fields read and how they are mounted: one evaluation indexed by path
(`View`), children mounted the first time they show (`Lazy`), and the ids and text helpers
every field kind shares."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from textual.widget import Widget
from textual.widgets import Static

from firstresponse.checklist import Evaluation, Issue, Item
from firstresponse.checklist.paths import parse_path


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
