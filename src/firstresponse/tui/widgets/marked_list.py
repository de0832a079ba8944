"""An option list whose highlighted option starts with the cursor mark, so the one Enter (or a key)
acts on is visible without colour."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from firstresponse.tui.widgets.marks import CURSOR

MARK, BLANK = CURSOR + " ", "  "


class MarkedList(OptionList):
    """`OptionList` that marks its highlighted option in the text itself."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._prompts: list[str] = []
        self._marked: int | None = None

    def set_options_text(self, items: list[tuple[str, str | None]]) -> None:
        """Replace the options with (text, id) pairs, keeping the highlight on the option the
        officer was on (by its id, wherever new rows put it; else at the same place)."""
        keep = self.highlighted
        was = (
            self.get_option_at_index(keep).id
            if keep is not None and keep < self.option_count
            else None
        )
        ids = [oid for _, oid in items]
        if was is not None and was in ids:
            keep = ids.index(was)
        self._prompts = [text for text, _ in items]
        self._marked = None
        self.clear_options()
        self.add_options(
            [Option(Text(BLANK + text.replace("\n", "\n" + BLANK)), id=oid) for text, oid in items]
        )
        if items:
            self.highlighted = min(keep or 0, len(items) - 1)
            self._mark(self.highlighted)

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        self._mark(highlighted)

    def _mark(self, index: int | None) -> None:
        if index == self._marked:
            return
        for n, prefix in ((self._marked, BLANK), (index, MARK)):
            if n is not None and 0 <= n < len(self._prompts):
                text = self._prompts[n].replace("\n", "\n" + BLANK)
                self.replace_option_prompt_at_index(n, Text(prefix + text))
        self._marked = index
