"""What a refused sign-in or unlock means for the next attempt, said in words: the
attempts left before a wait, or the wait counted down to "try again now"."""

from __future__ import annotations

from textual.timer import Timer
from textual.widgets import Label

from firstresponse.wording import plural


def sentence(text: str) -> str:
    """Capitalised, one full stop."""
    text = text.strip().rstrip(".")
    return (text[:1].upper() + text[1:] + ".") if text else ""


def spoken(seconds: int) -> str:
    """A wait as the refusal says it: seconds up to 90, then whole minutes."""
    return plural(seconds, "second") if seconds < 90 else plural((seconds + 59) // 60, "minute")


class SignInNotice(Label):
    """Shows a refusal (a `SignInError`'s message, attempts left and wait), and while the
    officer must wait, the seconds left each second, then that they may try again."""

    def __init__(self, *, id: str) -> None:
        super().__init__("", id=id, classes="error", markup=False)
        self._timer: Timer | None = None
        self._left = 0

    def refused(self, message: str, attempts_left: int | None, wait_seconds: int) -> None:
        self._stop()
        if wait_seconds > 0:
            self._left = wait_seconds
            self._timer = self.set_interval(1.0, self._tick)
            self.update(sentence(message))
            return
        text = sentence(message)
        if attempts_left is not None and "left" not in text:
            text += f" {plural(attempts_left, 'attempt', 'attempts')} left before a wait."
        self.update(text)

    def say(self, text: str) -> None:
        self._stop()
        self.update(text)

    def _tick(self) -> None:
        self._left -= 1
        if self._left > 0:
            self.update(f"Wait {spoken(self._left)}, then try again with your own PIN.")
            return
        self._stop()
        self.update("Try again now with your own PIN.")

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
