"""The firstresponse Textual application: login, then the home screen for the user's role."""

from __future__ import annotations

import importlib

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from firstresponse.config import Settings
from firstresponse.records import Role, User
from firstresponse.store import Store

#: Home screen for each role, as "module:Class", imported when first needed.
HOME_SCREENS: dict[str, str] = {
    Role.CALL_HANDLER: "firstresponse.tui.screens.call_handler:CallHandlerHome",
    Role.RESPONDER: "firstresponse.tui.screens.responder:ResponderHome",
    Role.SUPERVISOR: "firstresponse.tui.screens.supervisor:SupervisorHome",
    Role.ADMIN: "firstresponse.tui.screens.supervisor:SupervisorHome",
}


def load_screen(target: str) -> type[Screen]:
    module_name, _, class_name = target.partition(":")
    return getattr(importlib.import_module(module_name), class_name)  # type: ignore[no-any-return]


class FirstResponseApp(App[None]):
    """One terminal: a call handler's, a responder's or a supervisor's."""

    TITLE = "firstresponse"
    CSS_PATH = "app.tcss"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]

    def __init__(self, settings: Settings, store: Store, *, demo: bool = False) -> None:
        super().__init__()
        self.settings = settings
        self.store = store
        self.demo = demo
        self.user: User | None = None

    def on_mount(self) -> None:
        from firstresponse.tui.screens.login import LoginScreen

        self.sub_title = "demo" if self.demo else ""
        self.push_screen(LoginScreen())

    def signed_in(self, user: User) -> None:
        """Called by the login screen: open the home screen for the user's role."""
        self.user = user
        self.sub_title = f"{user.collar} {user.name} · {user.role.replace('_', ' ')}"
        self.switch_screen(load_screen(HOME_SCREENS[user.role])())
