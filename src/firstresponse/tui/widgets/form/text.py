"""Text answers: a one-line box (text, number, date and time) and a long answer box."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import TextArea

from firstresponse.tui.widgets.single_layout import SingleLayout
from firstresponse.tui.widgets.type_ahead import TextBox, TypeAhead


class AnswerBox(SingleLayout, TextBox):
    """A one-line text box: a keystroke repaints the box alone (the text's width, its virtual
    size, moves nothing around it), with no layout of the screen. Enter, Tab and the arrows
    up and down move between questions, in the order typed (TypeAhead)."""

    MOVES = TextBox.QUESTION_MOVES

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, enter_moves_on=True, **kwargs)


class LongAnswerBox(TypeAhead, TextArea):
    """A long answer: Enter starts a new line, arrows move in the text, Tab moves on; every
    key in the order typed (TypeAhead)."""

    async def key_in(self, event: events.Key) -> bool:
        if event.key == "enter":  # a new line: the text area's own key, not a binding
            await self._on_key(event)
            return True
        return await super().key_in(event)
