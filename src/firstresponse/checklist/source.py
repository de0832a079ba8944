"""Find the line of a name in a checklist's TOML text, for error messages.

`tomllib` reports lines only for syntax errors, so semantic errors are placed by finding
the id, table header or quoted name in the source text.
"""

from __future__ import annotations

import re


class SourceMap:
    """Line lookups over one file's text (lines count from 1)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def _search(self, pattern: re.Pattern[str], after: int = 0) -> int:
        for number, line in enumerate(self.lines[after:], start=after + 1):
            if pattern.search(line):
                return number
        return 0

    def id_line(self, key: str, value: str, after: int = 0) -> int:
        """Line of `key = "value"` at or after line `after + 1`; 0 when not found."""
        quoted = re.escape(value)
        pattern = re.compile(rf"(^|[\s{{,]){re.escape(key)}\s*=\s*(\"{quoted}\"|'{quoted}')")
        return self._search(pattern, after)

    def key_line(self, key: str, after: int = 0) -> int:
        """Line of `key = ...` at or after line `after`; 0 when not found."""
        pattern = re.compile(rf"(^|[\s{{,]){re.escape(key)}\s*=")
        return self._search(pattern, max(after - 1, 0))

    def header_line(self, header: str, index: int = 0) -> int:
        """Line of the index-th `[[header]]` (or `[header]`) table; 0 when not found."""
        pattern = re.compile(rf"^\s*\[\[?\s*{re.escape(header)}\s*\]\]?\s*(#.*)?$")
        seen = -1
        for number, line in enumerate(self.lines, start=1):
            if pattern.match(line):
                seen += 1
                if seen == index:
                    return number
        return 0

    def token_line(self, name: str, after: int = 0) -> int:
        """Line of the quoted `name` at or after line `after`; 0 when not found."""
        quoted = re.escape(name)
        pattern = re.compile(rf"(\"{quoted}\"|'{quoted}')")
        return self._search(pattern, max(after - 1, 0))
