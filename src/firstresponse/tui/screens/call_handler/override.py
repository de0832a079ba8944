"""A supervisor agrees a grade below the floor: collar number, PIN and rationale."""

from __future__ import annotations

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from firstresponse.calls import GradeRefused, Override
from firstresponse.calls.terminal import check_supervisor
from firstresponse.tui.terminal import TerminalApp
from firstresponse.tui.widgets.type_ahead import TextBox


class OverrideDialog(ModalScreen[Override | None]):
    """Enter moves on; Enter on the rationale verifies; Escape cancels."""

    app = getters.app(TerminalApp)

    DEFAULT_CSS = """
    OverrideDialog { align: center middle; }
    OverrideDialog #override { width: 70; height: auto; border: thick $error;
        background: $surface; padding: 0 1; }
    OverrideDialog Input { margin-bottom: 1; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, floor: str, reasons: list[str], collar: str = "", rationale: str = ""
    ) -> None:
        super().__init__()
        self.floor = floor
        self.reasons = reasons
        self.collar = collar
        self.rationale = rationale

    def compose(self) -> ComposeResult:
        with Vertical(id="override"):
            yield Label("Supervisor override: grade below the floor", classes="title")
            yield Static(
                f"Lowest grade allowed: {self.floor}. " + "; ".join(self.reasons),
                classes="hint",
                markup=False,
            )
            yield TextBox(
                self.collar,
                placeholder="Supervisor collar, e.g. SG3001",
                id="ov-collar",
                enter_moves_on=True,
            )
            yield TextBox(
                placeholder="Supervisor PIN", password=True, id="ov-pin", enter_moves_on=True
            )
            yield TextBox(self.rationale, placeholder="Rationale for the lower grade", id="ov-why")
            yield Label("", id="ov-error", classes="error")
            # One line inside the dialog (64 columns): a longer one lost "Esc: cancel".
            yield Label("Enter: next box, then check and agree · Esc: cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#ov-pin" if self.collar else "#ov-collar", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        order = ["ov-collar", "ov-pin", "ov-why"]
        empty = next((w for w in order if not self.query_one(f"#{w}", Input).value.strip()), None)
        if empty is not None:
            self.query_one(f"#{empty}", Input).focus()
            return
        override = Override(
            supervisor=self.query_one("#ov-collar", Input).value.strip().upper(),
            pin=self.query_one("#ov-pin", Input).value,
            rationale=self.query_one("#ov-why", Input).value.strip(),
        )
        try:
            check_supervisor(self.app.context.store, override)
        except GradeRefused as refused:
            self.query_one("#ov-error", Label).update(str(refused))
            pin = self.query_one("#ov-pin", Input)
            pin.value = ""
            pin.focus()
            return
        self.dismiss(override)

    def action_cancel(self) -> None:
        self.dismiss(None)
