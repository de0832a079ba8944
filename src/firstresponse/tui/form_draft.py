"""A form's unsaved typing kept as it is typed (`store.form_drafts`), so leaving the form
by Escape, ctrl+q, the idle lock or a crash loses none of it: the form opens again with it.

Each change is handed to a writer thread (`DraftSaver`): the screen never waits for the
disk. A form back as it opened keeps no draft; saving the form drops it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen
from textual.widgets import Input

from firstresponse.store.form_drafts import drop, keep, kept
from firstresponse.tui.autosave import DraftSaver
from firstresponse.tui.terminal import TerminalApp
from firstresponse.tui.widgets.picker import Picker


class FormDraftKeeper:
    """The draft of one form on one screen (its text boxes and pickers with an id)."""

    def __init__(self, screen: Screen[Any], form: str) -> None:
        self.screen = screen
        self.form = form
        app = screen.app
        assert isinstance(app, TerminalApp)
        self.store, self.author = app.context.store, app.context.collar
        self.opened_with = self.values()
        self.saver = DraftSaver(self._write, failed=self._failed)
        self.restored = False

    def values(self) -> dict[str, str]:
        """What each box and picker of the form holds now, by id."""
        return {
            str(w.id): w.value
            for w in self.screen.query("Input, Picker")
            if isinstance(w, Input | Picker) and w.id
        }

    @property
    def typed(self) -> bool:
        """Whether anything differs from how the form opened."""
        return self.values() != self.opened_with

    def restore(self, then: Callable[[], None]) -> None:
        """Read what was typed before and not saved on a thread (the screen opens without
        waiting for the disk), put it back unless the officer has typed meanwhile, then
        call `then()` if anything came back."""

        def read() -> None:
            fields = kept(self.store, self.author, self.form)
            if fields:
                self.screen.app.call_from_thread(put_back, fields)

        def put_back(fields: dict[str, str]) -> None:
            if self.typed or not self.screen.is_attached:
                return  # keys typed ahead win: nothing they typed is overwritten
            for widget in self.screen.query("Input, Picker"):
                if isinstance(widget, Input | Picker) and widget.id in fields:
                    widget.value = fields[str(widget.id)]
            self.restored = True
            then()

        self.screen.run_worker(read, thread=True, group="form-draft")

    def changed(self) -> None:
        """Keep what is typed now (on the writer thread)."""
        values = self.values()
        self.saver.put(values if values != self.opened_with else {})

    def saved(self) -> None:
        """The form was saved: its draft goes."""
        self.saver.close()
        drop(self.store, self.author, self.form)

    def close(self) -> None:
        """Leaving the form: what is pending reaches the store."""
        self.saver.close()

    def _write(self, values: dict[str, str]) -> None:
        keep(self.store, self.author, self.form, values)

    def _failed(self, exc: Exception) -> None:
        self.screen.app.call_from_thread(
            self.screen.notify, f"Typing not kept: {exc}", severity="error"
        )
