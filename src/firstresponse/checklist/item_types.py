"""Question types, one typed table: each `ItemType` with its check, coercion, placeholder and
the kind of control that answers it.

A new question type is one `ItemType` member and one `TypeSpec` row here; the loader, the
engine and the rule checks read the row, and the form maps its `Control` to a widget (the
engine names the control's kind only: it imports no UI).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from firstresponse.checklist.model import Item


class ItemType(StrEnum):
    """The `type` of a checklist item, as written in the checklist file."""

    YESNO = "yesno"
    SINGLE = "single"
    MULTI = "multi"
    TEXT = "text"
    NUMBER = "number"
    DATETIME = "datetime"
    DATE = "date"
    TIME = "time"
    GROUP = "group"
    NOTE = "note"


class Control(StrEnum):
    """The kind of control that answers an item; the form maps each to its widget."""

    CHOICE = "choice"  # one of the options
    CHOICES = "choices"  # any of the options
    TEXT = "text"  # a line of text
    LONG_TEXT = "long_text"  # several lines (a text item with `long = true`)
    NUMBER = "number"  # a number typed as text
    MOMENT = "moment"  # a date, time or date-time typed as text; can be filled with now
    ENTRIES = "entries"  # a repeating group: entries, each its own child items
    NONE = "none"  # a note: shown, never answered


YESNO_OPTIONS: tuple[tuple[str, str], ...] = (
    ("yes", "Yes"),
    ("no", "No"),
    ("unknown", "Not known"),
)


def _keep(text: str) -> Any:
    return text


def _number(text: str) -> Any:
    """A number typed as text: an int, a float, None when blank, else the text as typed (the
    engine reports it)."""
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def _check_choice(item: Item, value: Any) -> str:
    valid = [v for v, _ in item.options]
    if isinstance(value, str) and value in valid:
        return ""
    return f"{value!r} is not one of the choices ({', '.join(valid)})"


def _check_choices(item: Item, value: Any) -> str:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return "expected a list of choices"
    valid = {v for v, _ in item.options}
    bad = [v for v in value if v not in valid]
    return f"not among the choices: {', '.join(bad)}" if bad else ""


def _check_number(item: Item, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "expected a number"
    if item.minimum is not None and value < item.minimum:
        return f"must be at least {item.minimum:g}"
    if item.maximum is not None and value > item.maximum:
        return f"must be at most {item.maximum:g}"
    return ""


def _check_text(item: Item, value: Any) -> str:
    if not isinstance(value, str):
        return "expected text"
    if item.pattern and not re.fullmatch(item.pattern, value.strip()):
        return item.constraint_message or "is not in the expected format"
    return ""


def _check_moment(
    parse: Callable[[str], object], name: str, example: str
) -> Callable[[Item, Any], str]:
    def check(item: Item, value: Any) -> str:
        try:
            if not isinstance(value, str):
                raise ValueError
            parse(value.strip())
        except ValueError:
            return f"expected a {name} like {example}"
        return ""

    return check


def _check_entries(item: Item, value: Any) -> str:
    ok = isinstance(value, list) and all(isinstance(e, dict) for e in value)
    return "" if ok else "expected a list of entries"


def _check_nothing(item: Item, value: Any) -> str:
    return ""


@dataclass(frozen=True)
class TypeSpec:
    """What one question type is: how its answer is checked and read from typed text,
    what an empty box shows, and which control answers it."""

    type: ItemType
    control: Control
    #: Problem with an answer's type or limits for this item, in plain English, or ''.
    check: Callable[[Item, Any], str]
    #: The answer a control's typed text stands for (a number for a number box).
    coerce: Callable[[str], Any] = _keep
    #: What an empty box shows (the format expected).
    placeholder: str = ""
    #: `strftime` format of "now" for a type that can be filled with the current time.
    now_format: str = ""
    #: Options every item of this type has (yes / no / not known), whatever the file says.
    fixed_options: tuple[tuple[str, str], ...] = ()
    #: The file must list the options.
    needs_options: bool = False
    #: A `count` condition can count its answer (entries of a group, choices of a multi).
    countable: bool = False

    @property
    def answerable(self) -> bool:
        return self.control is not Control.NONE

    @property
    def repeats(self) -> bool:
        """A repeating group, whose answer is a list of entries of child items."""
        return self.control is Control.ENTRIES

    @property
    def choice(self) -> bool:
        """Answered by choosing among options (one or several)."""
        return self.control in (Control.CHOICE, Control.CHOICES)


TYPES: dict[ItemType, TypeSpec] = {
    spec.type: spec
    for spec in (
        TypeSpec(ItemType.YESNO, Control.CHOICE, _check_choice, fixed_options=YESNO_OPTIONS),
        TypeSpec(ItemType.SINGLE, Control.CHOICE, _check_choice, needs_options=True),
        TypeSpec(
            ItemType.MULTI, Control.CHOICES, _check_choices, needs_options=True, countable=True
        ),
        TypeSpec(ItemType.TEXT, Control.TEXT, _check_text, placeholder="type here"),
        TypeSpec(
            ItemType.NUMBER, Control.NUMBER, _check_number, coerce=_number, placeholder="number"
        ),
        TypeSpec(
            ItemType.DATETIME,
            Control.MOMENT,
            _check_moment(datetime.fromisoformat, "datetime", "2025-03-01 21:40"),
            placeholder="YYYY-MM-DD HH:MM",
            now_format="%Y-%m-%d %H:%M",
        ),
        TypeSpec(
            ItemType.DATE,
            Control.MOMENT,
            _check_moment(date.fromisoformat, "date", "2025-03-01"),
            placeholder="YYYY-MM-DD",
            now_format="%Y-%m-%d",
        ),
        TypeSpec(
            ItemType.TIME,
            Control.MOMENT,
            _check_moment(time.fromisoformat, "time", "21:40"),
            placeholder="HH:MM",
            now_format="%H:%M",
        ),
        TypeSpec(ItemType.GROUP, Control.ENTRIES, _check_entries, countable=True),
        TypeSpec(ItemType.NOTE, Control.NONE, _check_nothing),
    )
}


def spec_of(item_type: ItemType) -> TypeSpec:
    """The table's row for a type."""
    return TYPES[item_type]


def parse_type(raw: object) -> ItemType | None:
    """The type a checklist file names, or None when it names none of them."""
    if not isinstance(raw, str):
        return None
    try:
        return ItemType(raw)
    except ValueError:
        return None


def type_names() -> str:
    """Every type's name, for a message: "date, datetime, group, ..."."""
    return ", ".join(sorted(t.value for t in ItemType))


def control_of(item: Item) -> Control:
    """The control that answers this item (a long text item gets several lines)."""
    control = TYPES[item.type].control
    return Control.LONG_TEXT if control is Control.TEXT and item.long else control


def placeholder_of(item: Item) -> str:
    """What this item's empty box shows."""
    return TYPES[item.type].placeholder


def coerce(item: Item, text: str) -> Any:
    """The answer the text typed into this item's box stands for."""
    return TYPES[item.type].coerce(text)


def check_value(item: Item, value: Any) -> str:
    """Plain-English problem with an answer's type or limits, or ''."""
    return TYPES[item.type].check(item, value)
