"""Shown instead of a half-drawn screen when the terminal is smaller than 80x24."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Static


class TooSmallScreen(ModalScreen[None]):
    """Covers everything until the terminal is made large enough again."""

    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; background: $surface; }
    TooSmallScreen Static { width: auto; height: auto; text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        yield Static(
            "firstresponse needs at least 80x24.\nMake the window larger: your work is kept.",
            markup=False,
        )
