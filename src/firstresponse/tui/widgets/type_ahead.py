"""Keys typed ahead of a slow screen act in the order they were typed, where they were meant.

Textual hands each key to the focused widget's own queue and runs its binding (Tab,
Backspace, Enter where the screen moves on) only once the key has bubbled back up to the
app, by when the widget has taken the keys queued behind it. On a laptop that lags,
"ab", Backspace, "c" read "ab", and an officer typing "CH1001", Enter and the PIN without
waiting found the PIN in the collar box, in clear. Here the app hands a key for a
`TypeAhead` widget to that widget as it reads the key, in the app's own order, and the
widget acts on it there and then (its characters, its own bindings and the keys that
move the focus), so the next key already goes wherever the focus went. Any other key
goes up to its binding as usual, and the keys behind it wait until it has run.
"""

from __future__ import annotations

from functools import cache, partial
from time import monotonic
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App
from textual.binding import Binding, BindingsMap
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input

# Mixins, not subclasses: Textual follows a widget's first Widget base for its CSS.
if TYPE_CHECKING:
    _WidgetMixin = Widget
    _AppMixin = App[Any]
else:
    _WidgetMixin = _AppMixin = object


#: Seconds between two keys of one burst of typing. After a jump to an answer chosen from
#: options (F2 to the next missing answer, the screen moving on), characters typed closer
#: together than this are the rest of what was being typed for a text box, never a choice.
BURST_GAP = 0.4


class TypeAhead(_WidgetMixin):
    """Mix in before the widget class: `class TextBox(TypeAhead, Input)`."""

    #: When the focus jumped here (not moved by the officer's own Tab, Enter or arrow):
    #: the time of the last key of the burst then under way, until a pause or a key that
    #: is not a character ends it (`burst_refused`).
    _jumped_at: float | None = None

    #: Keys that move the focus from this widget: +1 to the next one, -1 to the previous.
    MOVES: ClassVar[dict[str, int]] = {"tab": 1, "shift+tab": -1}
    #: The same, and Down and Up, for the answers to a list of questions.
    QUESTION_MOVES: ClassVar[dict[str, int]] = {**MOVES, "down": 1, "up": -1}

    async def key_in(self, event: events.Key) -> bool:
        """Act on a key as the app reads it; False leaves it to Textual (Escape, F5...)."""
        step = self.MOVES.get(event.key)
        if step is not None:
            (self.screen.focus_next if step > 0 else self.screen.focus_previous)()
            return True
        for binding in _own_bindings(type(self)).get(event.key, ()):
            if not binding.priority and await self.app.run_action(binding.action, self):
                return True
        if event.is_printable:
            await self._on_key(event)  # the widget's own handling of a typed character
            return True
        return False

    def jump_here(self) -> None:
        """Take the focus by a jump: the characters of the burst under way are refused
        (`burst_refused`) where the widget chooses with them."""
        self._jumped_at = monotonic()
        self.focus()

    def burst_refused(self, event: events.Key) -> bool:
        """Whether `event` is a character of the burst that was being typed when the focus
        jumped here, and so not meant for this choice (it is dropped, and said so once)."""
        if self._jumped_at is None:
            return False
        if event.is_printable and event.time - self._jumped_at < BURST_GAP:
            if event.time > self._jumped_at:
                self._jumped_at = event.time
            if not self.has_class("-refusing"):
                self.add_class("-refusing")
                self.app.bell()
                self.notify(
                    "Typing not used: this answer is chosen with ←/→ and Space",
                    severity="warning",
                )
            return True
        self._jumped_at = None
        self.remove_class("-refusing")
        return False

    def on_blur(self) -> None:
        self._jumped_at = None
        self.remove_class("-refusing")


#: Seconds between checks that the widget a key was sent up from is still there: a key in
#: the queue of a widget removed on its way (the screen closing) never reaches the app, and
#: the keys held behind it go on once it is gone. Never a limit on how long keys wait.
HOLD_CHECK = 0.5

#: The most keys held at once (a terminal's paste at most): beyond it a key is refused with
#: the bell, never one already held.
HOLD_MOST = 4096


class KeysWaiting(Message):
    """Follows a key on its way up from the focused widget: when it reaches the app, the
    key's binding has run, and the keys read after it can go on (`TypeAheadApp`)."""

    def __init__(self, hold: int) -> None:
        super().__init__()
        self.hold = hold


class TypeAheadApp(_AppMixin):
    """Mix into the App: keys act in the order typed, on the screen they were typed for.

    A `TypeAhead` widget with the focus acts on each of its own keys as the app reads it.
    Any other key (F2 to the next missing answer, F5, Escape, `n` on a list) goes the
    usual way, up from the focused widget to its binding, behind what the widget has
    posted (its answer); the keys read after it wait until it has run, the focus it moved
    has moved (`focus()` is deferred) and a screen it opened has taken the focus, then go
    on in order.
    """

    _held: list[events.Key] | None = None
    _hold = 0
    _held_behind: Widget | None = None
    #: The screen whose focus has settled: mounted, and the focus its mount asked for given.
    _settled: Widget | None = None

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self._held is not None:
                self._hold_key(event)
                return
            if await self._typed(event):
                return
        await super().on_event(event)

    def _hold_key(self, event: events.Key) -> None:
        assert self._held is not None
        if len(self._held) < HOLD_MOST:
            self._held.append(event)
        else:
            self.bell()

    async def _typed(self, event: events.Key) -> bool:
        """Whether `event` was taken here: acted on by the focused widget, or sent up from
        it with the keys after it held (else Textual takes it as usual: a priority key)."""
        split = escape_then_key(event)
        if split is not None:
            return await self._escape_then(*split)
        if event.key in _priority_keys(type(self), type(self.screen)):
            return False
        focused = self.focused
        if isinstance(focused, TypeAhead) and await focused.key_in(event):
            return True
        await super().on_event(event)  # to the focused widget, and up to its binding
        self.hold_behind(focused or self.screen)
        return True

    async def _escape_then(self, escape: events.Key, key: events.Key) -> bool:
        """Escape, then `key` once what Escape did (leaving the form) has been done."""
        if not await self._typed(escape):
            await super().on_event(escape)
        if self._held is not None:
            self._hold_key(key)
        elif not await self._typed(key):
            await super().on_event(key)
        return True

    def hold_behind(self, widget: Widget) -> None:
        """Hold the keys read from now on until what `widget` has posted so far (a key on
        its way to its binding, an answer submitted) has reached the app, and the screen
        then shown is ready for them (`_release`), however long that takes."""
        self._held, self._hold, self._held_behind = [], self._hold + 1, widget
        self._settled = None
        widget.post_message(KeysWaiting(self._hold))
        self.set_timer(HOLD_CHECK, partial(self._check_behind, self._hold))

    def _check_behind(self, hold: int) -> None:
        """Go on if the widget the keys wait behind was removed (what it was sent never
        arrives); else look again later."""
        if hold != self._hold or self._held is None:
            return
        widget = self._held_behind
        if widget is None or not widget.is_attached:
            self.call_later(self._release, hold)
        else:
            self.set_timer(HOLD_CHECK, partial(self._check_behind, hold))

    def on_keys_waiting(self, message: KeysWaiting) -> None:
        if message.hold == self._hold:
            self._held_behind = None
        self.call_later(self._release, message.hold)  # after what the binding queued

    def _screen_ready(self) -> bool:
        """Whether the screen shown is ready for keys: mounted, the focus its mount asked
        for given (`focus()` waits its turn in the app's queue, after the first focusable
        widget took it at compose), and a widget focused if any can be."""
        screen = self.screen
        if not screen.is_mounted:
            return False
        if self._settled is not screen:
            self._settled = screen
            return False  # once more behind the focus the mount queued
        return self.focused is not None or not screen.focus_chain

    async def _release(self, hold: int) -> None:
        """Go on with the keys held behind a key sent up, in order (holding again behind
        another such key), once the screen shown is ready for them."""
        if hold != self._hold or self._held is None:
            return  # already gone on
        if not self._screen_ready():
            self.call_after_refresh(self._release, hold)  # a screen still opening
            return
        held, self._held, self._held_behind = self._held, None, None
        for index, event in enumerate(held):
            if self._held is not None:
                self._held.extend(held[index:])
                return
            if not await self._typed(event):
                await super().on_event(event)


def escape_then_key(event: events.Key) -> tuple[events.Key, events.Key] | None:
    """Escape and the key typed straight after it, if `event` is what a terminal sends for
    them: within its escape time (tmux waits half a second) they arrive as one Alt key,
    which a text box would take as the character (Escape lost). No screen binds Alt."""
    if not event.key.startswith("alt+") or event.character is None or not event.is_printable:
        return None
    key = event.key.removeprefix("alt+")
    return events.Key("escape", "\x1b"), events.Key(key, event.character)


@cache
def _priority_keys(app: type[App[Any]], screen: type[Widget]) -> frozenset[str]:
    """The keys of the app's and the screen's priority bindings: they come first."""
    bindings = [*app.BINDINGS, *screen.BINDINGS]
    return frozenset(b.key for b in Binding.make_bindings(bindings) if b.priority)


@cache
def _own_bindings(cls: type[Any]) -> dict[str, list[Binding]]:
    """The bindings a widget (screen, app) class declares and inherits, by key."""
    declared = (
        vars(base)["BINDINGS"] for base in reversed(cls.__mro__) if "BINDINGS" in vars(base)
    )
    return BindingsMap.merge(BindingsMap(bindings) for bindings in declared).key_to_bindings


class TextBox(TypeAhead, Input):
    """A one-line text box; with `enter_moves_on`, Enter submits and moves to the next box
    as Tab does, else Enter only submits (the screen acts on it, as on a PIN).

    Its text is not selected as it takes the focus: the box takes it after the keys typed
    ahead into it, so the next key would replace them (and one key would wipe an answer).
    A space typed into the empty box is dropped. Once left, it shows the start of its text.
    """

    def __init__(self, *args: Any, enter_moves_on: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, select_on_focus=False, **kwargs)
        self.enter_moves_on = enter_moves_on

    def on_blur(self) -> None:
        """Left, the box shows the start of its text again (not its end scrolled in)."""
        self.scroll_to(0, 0, animate=False, force=True, immediate=True)

    async def key_in(self, event: events.Key) -> bool:
        if event.key == "space" and not self.value:
            return True  # a blank would hide the box's hint (the question) and answer nothing
        if event.key == "enter":
            await self.action_submit()
            if self.enter_moves_on:
                self.screen.focus_next()
            elif isinstance(self.app, TypeAheadApp):  # the screen acts on it first
                self.app.hold_behind(self)
            return True
        return await super().key_in(event)
