"""One answer from a list, on one line, with no drop-down to open.

A drop-down takes the focus for itself once it has opened, after the keys typed behind
the Enter that opened it: on a terminal that lags, Enter, Down, Enter and the next
detail typed went into its search and were lost. Here the chosen answer is the text of
the line (`◀ partner ▶`), Left and Right (or a letter, to the next answer starting with
it) change it as each key is read (TypeAhead), and Enter moves on to the next box.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

from firstresponse.tui.widgets.type_ahead import TypeAhead

UNCHOSEN = "Choose…"


class Picker(TypeAhead, Widget, can_focus=True):
    """A choice among `options` ((label, value) pairs); `value` is "" until one is chosen."""

    DEFAULT_CSS = """
    Picker { height: 1; width: 1fr; }
    Picker:focus { text-style: reverse; }
    """
    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = [
        Binding("left", "step(-1)", "Previous answer", show=False),
        Binding("right", "step(1)", "Next answer", show=False),
    ]

    class Changed(Message):
        """The answer shown changed (to "" when back at "Choose…")."""

        def __init__(self, picker: Picker, value: str) -> None:
            super().__init__()
            self.picker = picker
            self.value = value

        @property
        def control(self) -> Picker:
            return self.picker

    def __init__(
        self,
        options: list[tuple[str, str]],
        *,
        id: str,
        prompt: str = UNCHOSEN,
        value: str = "",
        allow_blank: bool = True,
    ) -> None:
        """`prompt` shows until an answer is chosen; without `allow_blank` one always is
        (`value`, else the first), and Left/Right go round the answers alone."""
        super().__init__(id=id)
        self.options = options
        self.prompt = prompt
        self.allow_blank = allow_blank
        values = [v for _, v in options]
        self.index = values.index(value) if value in values else (-1 if allow_blank else 0)

    @property
    def value(self) -> str:
        return self.options[self.index][1] if self.index >= 0 else ""

    @value.setter
    def value(self, value: str) -> None:
        values = [v for _, v in self.options]
        if value in values or self.allow_blank:
            self._show(values.index(value) if value in values else -1)

    def render(self) -> Text:
        label = self.options[self.index][0] if self.index >= 0 else self.prompt
        hint = "  ←/→ or a letter" if self.has_focus else ""
        return Text.assemble(f"◀ {label} ▶", (hint, "dim"))

    def action_step(self, step: int) -> None:
        """The previous or next answer, round through the prompt where it may be blank."""
        if self.allow_blank:
            self._show((self.index + 1 + step) % (len(self.options) + 1) - 1)
        else:
            self._show((self.index + step) % len(self.options))

    async def key_in(self, event: events.Key) -> bool:
        if self.burst_refused(event):
            return True
        if event.key == "enter":
            self.screen.focus_next()
            return True
        if event.is_printable and event.character and event.character.strip():
            self._jump(event.character)
            return True
        return await super().key_in(event)

    def _jump(self, letter: str) -> None:
        """To the next answer, after the one shown, whose label starts with `letter`."""
        count = len(self.options)
        for offset in range(1, count + 1):
            index = (self.index + offset) % count
            if self.options[index][0][:1].lower() == letter.lower():
                self._show(index)
                return

    def _show(self, index: int) -> None:
        if index != self.index:
            self.index = index
            self.refresh()
            self.post_message(self.Changed(self, self.value))

    def on_focus(self) -> None:
        self.refresh()  # the hint shows while it has the focus

    def on_blur(self) -> None:
        self.refresh()
