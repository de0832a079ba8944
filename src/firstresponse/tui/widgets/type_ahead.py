"""Keys typed ahead of a slow screen act in the order they were typed.

Textual takes a printable key in the focused widget at once but runs a key's binding
(Tab, Backspace, Enter where the screen moves on) only after the key has bubbled up to
the app, by when the widget has taken the keys queued behind it. On a laptop that lags,
"ab", Backspace, "c" read "ab", and an officer typing "CH1001", Enter and the PIN without
waiting found the PIN in the collar box, in clear. Here a widget runs its own bindings and
the keys that move the focus as each key reaches it, and passes a key that reaches it
after the focus has left to wherever the focus went.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.binding import BindingsMap
from textual.widget import Widget
from textual.widgets import Input

# A mixin, not a Widget subclass: Textual follows a widget's first Widget base for its CSS.
if TYPE_CHECKING:
    _Mixin = Widget
else:
    _Mixin = object


class TypeAhead(_Mixin):
    """Mix in before the widget class: `class TextBox(TypeAhead, Input)`."""

    #: Keys that move the focus from this widget: +1 to the next one, -1 to the previous.
    MOVES: ClassVar[dict[str, int]] = {"tab": 1, "shift+tab": -1}

    async def _on_key(self, event: events.Key) -> None:
        if self.app.focused is not self:  # typed before the focus moved on: pass it on
            self._handled(event)
            self.app.post_message(events.Key(event.key, event.character))
            return
        if await self.key_now(event.key):
            self._handled(event)
            return
        await super()._on_key(event)

    async def key_now(self, key: str) -> bool:
        """Act on `key` if it moves the focus or is one of this widget's own bindings."""
        step = self.MOVES.get(key)
        if step is not None:
            (self.screen.focus_next if step > 0 else self.screen.focus_previous)()
            return True
        for binding in _own_bindings(type(self)).get(key, ()):
            if not binding.priority and await self.app.run_action(binding.action, self):
                return True
        return False

    @staticmethod
    def _handled(event: events.Key) -> None:
        event.stop()
        event.prevent_default()


def _own_bindings(cls: type[Widget]) -> dict[str, list[Any]]:
    """The bindings a widget class declares itself and inherits, by key (built once)."""
    cached = _BINDINGS.get(cls)
    if cached is None:
        merged = BindingsMap()
        for base in reversed(cls.__mro__):
            if isinstance(base, type) and issubclass(base, Widget) and "BINDINGS" in vars(base):
                merged = BindingsMap.merge([merged, BindingsMap(base.BINDINGS)])
        cached = _BINDINGS[cls] = dict(merged.key_to_bindings)
    return cached


_BINDINGS: dict[type[Widget], dict[str, list[Any]]] = {}


class TextBox(TypeAhead, Input):
    """A one-line text box; with `enter_moves_on`, Enter submits and moves to the next box
    as Tab does, else Enter only submits (the screen acts on it, as on a PIN)."""

    def __init__(self, *args: Any, enter_moves_on: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enter_moves_on = enter_moves_on

    async def key_now(self, key: str) -> bool:
        if key == "enter":
            await self.action_submit()
            if self.enter_moves_on:
                self.screen.focus_next()
            return True
        return await super().key_now(key)
