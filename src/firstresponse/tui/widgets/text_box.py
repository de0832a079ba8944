"""One-line text boxes that keep keys typed ahead in the box they were meant for.

Textual runs a key's binding (Tab, or Enter where the screen moves on) only once the key
has bubbled up from the box, by when the box has already taken the keys queued behind
it: an officer typing "CH1001", Enter and the PIN without waiting found the PIN in the
collar box, in clear. Here the keys that move the focus act as they reach the box, and a
key that reaches it after the focus has left is passed on to wherever the focus went.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import events
from textual.widgets import Input


class TextBox(Input):
    """A text box whose focus-moving keys act in the order they were typed.

    `enter_moves_on`: Enter submits and moves to the next box, as Tab does; without it
    Enter only submits (the screen acts on it, as on a PIN).
    """

    #: Keys that move the focus from this box: +1 to the next box, -1 to the previous.
    MOVES: ClassVar[dict[str, int]] = {"tab": 1, "shift+tab": -1}

    def __init__(self, *args: Any, enter_moves_on: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enter_moves_on = enter_moves_on

    async def _on_key(self, event: events.Key) -> None:
        if self.app.focused is not self:  # typed before the focus moved on: pass it on
            event.stop()
            event.prevent_default()
            self.app.post_message(events.Key(event.key, event.character))
            return
        step = self.MOVES.get(event.key)
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            await self.action_submit()
            step = 1 if self.enter_moves_on else None
        if step is None:
            await super()._on_key(event)
            return
        event.stop()
        event.prevent_default()
        if step > 0:
            self.screen.focus_next()
        else:
            self.screen.focus_previous()
