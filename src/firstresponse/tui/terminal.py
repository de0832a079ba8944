"""What a screen may ask of the terminal it runs in, without importing the app.

`TerminalApp` is the app as screens and widgets see it: the terminal context (store,
officer, checklists, lookup, sync link), the settings, and signing in. `FirstResponseApp`
(tui.app) is the one terminal app; it imports the screens, never the other way round
(an import-linter contract in pyproject.toml holds this).

`TerminalScreen` gives a screen the running app typed as a `TerminalApp`, read the way
Textual reads it (`getters.app(TerminalApp)`: the `active_app` context variable), and from
it the terminal context: the store, the officer and the checklists; and the frame every
screen of a signed-in officer shares: the header, the body, a line above the footer, the
footer. A screen or widget that needs only the app declares `app = getters.app(TerminalApp)`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, TypeVar

from textual import getters
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header

from firstresponse.tui.context import TerminalContext
from firstresponse.tui.widgets.type_ahead import TypeAheadApp

if TYPE_CHECKING:
    from firstresponse.checklist import Checklist
    from firstresponse.config import Settings
    from firstresponse.records import User
    from firstresponse.session.signin import SignedIn
    from firstresponse.store import Store

ResultType = TypeVar("ResultType")


class TerminalApp(TypeAheadApp, App[None]):
    """The terminal app as its screens see it (made by `FirstResponseApp`)."""

    #: The terminal's settings, its context, and whether it runs on demo data.
    settings: Settings
    context: TerminalContext
    demo: bool

    @property
    def store(self) -> Store:
        return self.context.store

    @property
    def user(self) -> User | None:
        return self.context.officer

    @user.setter
    def user(self, officer: User | None) -> None:
        self.context.officer = officer
        if officer is None:
            self.context.sign_out()

    def signed_in(self, user: User, signed: SignedIn | None = None) -> None:
        """The login screen's answer: `user` has signed in (the app opens their home)."""
        raise NotImplementedError(f"{type(self).__name__} does not say what follows sign-in")


class TerminalScreen(Screen[ResultType]):
    """A signed-in officer's screen: the terminal it runs in (its context, store, officer
    and checklists) and the frame: the header, `body()`, `foot()` (a status line), the
    footer."""

    app = getters.app(TerminalApp)

    @property
    def context(self) -> TerminalContext:
        return self.app.context

    @property
    def store(self) -> Store:
        return self.app.context.store

    @property
    def officer(self) -> User:
        """The signed-in officer (screens behind the login screen only)."""
        return self.app.context.signed_in

    @property
    def collar(self) -> str:
        return self.app.context.collar

    @property
    def team(self) -> str:
        return self.app.context.team

    @property
    def checklists(self) -> Mapping[str, Checklist]:
        return self.app.context.checklists

    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.body()
        yield from self.foot()
        yield Footer()

    def body(self) -> ComposeResult:
        yield from ()

    def foot(self) -> Iterable[Widget]:
        """The line above the footer (none unless a kind of screen says)."""
        yield from ()
