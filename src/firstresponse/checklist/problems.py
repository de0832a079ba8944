"""Problems found in a checklist file: where (file, line) and why, in plain English."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from firstresponse.checklist.source import SourceMap


class ChecklistError(ValueError):
    """A checklist file that cannot be used, with where and why."""

    def __init__(self, path: Path | str, line: int, reason: str) -> None:
        self.path = Path(path)
        self.line = line
        self.reason = reason
        super().__init__(f"{self.path}:{line}: {reason}" if line else f"{self.path}: {reason}")


@dataclass
class Ctx:
    """What the loader knows about the file being read, and the problems found so far."""

    path: Path
    src: SourceMap
    facts: set[str] | None = None
    choices: dict[str, Any] = field(default_factory=dict)
    errors: list[ChecklistError] = field(default_factory=list)

    def fail(self, line: int, reason: str) -> None:
        self.errors.append(ChecklistError(self.path, line, reason))


def dupes(pairs: list[tuple[str, int]], ctx: Ctx, what: str) -> None:
    """Report every (name, line) whose name appeared earlier."""
    seen: dict[str, int] = {}
    for name, line in pairs:
        if name in seen:
            ctx.fail(line, f"{what} '{name}' is used twice (first on line {seen[name]})")
        else:
            seen[name] = line
