"""Small form helpers shared by the follow-through screens."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.dom import DOMNode
from textual.widgets import Input

from firstresponse.supervision.shifts import UK
from firstresponse.tui.widgets.picker import Picker


def choice(options: dict[str, str], prompt: str, widget_id: str) -> Picker:
    return Picker([(label, key) for key, label in options.items()], prompt=prompt, id=widget_id)


def read(node: DOMNode, selector: str) -> str:
    """The value of the input or choice `selector` under `node` ("" for no choice)."""
    widget = node.query_one(selector)
    if not isinstance(widget, Input | Picker):
        raise TypeError(f"{selector} is neither an input nor a choice")
    return widget.value


def parse_local(text: str) -> datetime | None:
    """ "YYYY-MM-DD HH:MM" on the UK clock as UTC; blank means now (None)."""
    text = text.strip()
    if not text:
        return None
    try:
        parsed = datetime.strptime(text, "%Y-%m-%d %H:%M")
    except ValueError as exc:
        raise ValueError("write the time as YYYY-MM-DD HH:MM, or leave it blank for now") from exc
    return parsed.replace(tzinfo=UK).astimezone(UTC)
