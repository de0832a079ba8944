"""The in-memory shape of a checklist: items, computed fields, flags, rules.

Everything here is immutable and built by `loader`; `evaluate` reads it.
Conditions are kept as parsed `Condition` trees (see `conditions`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from firstresponse.checklist.item_types import TYPES, ItemType, TypeSpec

if TYPE_CHECKING:
    from firstresponse.checklist.conditions import Condition

REASON_SUFFIX = ".reason"


def reason_key(item_id: str) -> str:
    """Answer key holding the reason text given for an item (`arrested` -> `arrested.reason`)."""
    return item_id + REASON_SUFFIX


@dataclass(frozen=True)
class Item:
    """One question (or note, or repeating group) of a checklist."""

    id: str
    type: ItemType
    label: str
    help: str = ""
    section: str = ""
    required: bool = False
    options: tuple[tuple[str, str], ...] = ()
    items: tuple[Item, ...] = ()
    when: Condition | None = None
    reason_if: Condition | None = None
    reason_label: str = ""
    decision: str = ""
    constraint: Condition | None = None
    constraint_message: str = ""
    checks: tuple[tuple[Condition, str], ...] = ()  # further constraints, each its message
    minimum: float | None = None
    maximum: float | None = None
    pattern: str = ""
    long: bool = False
    tags: tuple[str, ...] = ()
    entry_label: str = ""
    min_entries: int = 0
    max_entries: int | None = None
    entries_from: str = ""  # group: a fact listing entries that must each be answered
    line: int = 0

    @property
    def spec(self) -> TypeSpec:
        """Its type's row of the type table (check, coercion, placeholder, control)."""
        return TYPES[self.type]

    @property
    def answerable(self) -> bool:
        return self.spec.answerable

    @property
    def is_group(self) -> bool:
        return self.spec.repeats

    def child(self, child_id: str) -> Item | None:
        return next((c for c in self.items if c.id == child_id), None)

    def option_label(self, value: object) -> str:
        for opt_value, opt_label in self.options:
            if opt_value == value:
                return opt_label
        return str(value)


@dataclass(frozen=True)
class Computed:
    """A value derived from answers: `count` of answers equal to one of `values`, `sum`,
    `entries`, or `hours_between` the first and second of two date-times."""

    id: str
    label: str
    kind: str
    items: tuple[str, ...] = ()
    values: tuple[str, ...] = ("yes",)
    line: int = 0


@dataclass(frozen=True)
class Rule:
    """A condition with a consequence: flag, referral, grade floor, risk rule or decision."""

    id: str
    label: str
    when: Condition
    why: str = ""
    level: str = ""
    item: str = ""
    reason_item: str = ""
    line: int = 0


@dataclass(frozen=True)
class Grading:
    """Which item holds the call grade, and the floors that set the least urgent allowed."""

    item: str
    floors: tuple[Rule, ...] = ()


@dataclass(frozen=True)
class RiskModel:
    """How the risk level is reached: rules give a computed level, an item may set another."""

    rules: tuple[Rule, ...] = ()
    judgement_item: str = ""
    default: str = "standard"


@dataclass(frozen=True)
class Checklist:
    """A loaded, validated checklist file."""

    id: str
    version: str
    hash: str
    title: str
    items: tuple[Item, ...]
    description: str = ""
    computed: tuple[Computed, ...] = ()
    flags: tuple[Rule, ...] = ()
    referrals: tuple[Rule, ...] = ()
    decisions: tuple[Rule, ...] = ()
    grading: Grading | None = None
    risk: RiskModel | None = None
    path: Path | None = None
    _index: dict[str, Item] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._index.update({item.id: item for item in self.items})

    def item(self, item_id: str) -> Item | None:
        """The top-level item with this id, or None."""
        return self._index.get(item_id)

    @property
    def sections(self) -> list[str]:
        """Section names in first-appearance order."""
        seen: list[str] = []
        for item in self.items:
            if item.section not in seen:
                seen.append(item.section)
        return seen
