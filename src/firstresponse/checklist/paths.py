"""Answer paths: `arrested` for a top-level item, `children[0].seen` for an entry's item.

The engine names issues and visibility by these paths; `entry_path` builds one and
`parse_path` reads one back, so no other module needs to know the format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ENTRY = re.compile(r"^(?P<group>\w+)\[(?P<index>\d+)\]\.(?P<key>.+)$")


@dataclass(frozen=True)
class AnswerPath:
    """Where one answer lives: `key` at the top level, or in entry `index` of `group`."""

    key: str
    group: str | None = None
    index: int | None = None

    @property
    def in_entry(self) -> bool:
        return self.group is not None


def entry_path(group: str, index: int, key: str) -> str:
    """The path of `key` in entry `index` of repeating group `group`."""
    return f"{group}[{index}].{key}"


def parse_path(path: str) -> AnswerPath:
    """Split a path into group, entry index and key (`key` may be `seen.reason`)."""
    match = _ENTRY.match(path)
    if match is None:
        return AnswerPath(path)
    return AnswerPath(match["key"], match["group"], int(match["index"]))
