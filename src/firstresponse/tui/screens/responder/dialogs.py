"""Small keyboard dialogs: ask for a reason, list what stops a submission."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from firstresponse.tui.widgets.marked_list import MarkedList
from firstresponse.tui.widgets.marks import CURSOR
from firstresponse.tui.widgets.type_ahead import TextBox

DIALOG_CSS = """
ReasonDialog, ProblemsDialog, AmendDialog { align: center middle; }
ReasonDialog > Vertical, ProblemsDialog > Vertical, AmendDialog > Vertical {
    width: 76; height: auto; max-height: 22; border: thick $accent; background: $surface;
    padding: 0 1; }
ProblemsDialog VerticalScroll { height: auto; max-height: 16; }
.dialog-title { text-style: bold; }
.dialog-error { color: $error; }
AmendDialog MarkedList { height: auto; max-height: 6; border: none; }
"""


class ReasonDialog(ModalScreen[str | None]):
    """Ask for a written reason; empty is refused; Escape cancels."""

    DEFAULT_CSS = DIALOG_CSS
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        title: str,
        placeholder: str = "Reason (required)",
        missing: str = "A reason is required.",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.placeholder = placeholder
        self.missing = missing

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield TextBox(placeholder=self.placeholder, id="reason")
            yield Label("Enter to save · Escape to cancel", id="reason-error", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.query_one("#reason-error", Label).update(self.missing)
            return
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class AmendDialog(ModalScreen[tuple[str, str] | None]):
    """Choose which submitted checklist to amend and say why."""

    DEFAULT_CSS = DIALOG_CSS
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.choices = choices  # (assessment id, label)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Amend a submitted record", classes="dialog-title")
            yield Static("The original stays as it was; the amendment is a new version.")
            yield Static(f"Record to amend (the one marked {CURSOR}; Tab, then ↑↓ to change):")
            yield MarkedList(id="amend-which")
            yield TextBox(placeholder="Why is it being amended? (required)", id="amend-reason")
            yield Label("Enter to start the amendment · Escape to cancel", id="amend-error")

    def on_mount(self) -> None:
        self.query_one(MarkedList).set_options_text([(label, None) for _, label in self.choices])
        self.query_one("#amend-reason", Input).focus()

    def on_option_list_option_selected(self) -> None:
        self.query_one("#amend-reason", Input).focus()  # chosen: back to the reason

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.query_one("#amend-error", Label).update("A reason is required.")
            return
        index = self.query_one(MarkedList).highlighted or 0
        self.dismiss((self.choices[index][0], event.value.strip()))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ProblemsDialog(ModalScreen[str | None]):
    """Why a submission was refused: one line per missing answer or reason.

    `c` or `r` closes it and opens that checklist at its first missing item.
    """

    DEFAULT_CSS = DIALOG_CSS
    BINDINGS = [
        Binding("escape,enter", "close", "Close"),
        Binding("c", "open('first_response')", "Open checklist"),
        Binding("r", "open('risk')", "Open risk checklist"),
    ]

    def __init__(self, problems: list[str]) -> None:
        super().__init__()
        self.problems = problems

    def compose(self) -> ComposeResult:
        with Vertical(id="problems"):
            yield Static(
                f"Not submitted: {len(self.problems)} "
                f"thing{'s' if len(self.problems) != 1 else ''} missing",
                classes="dialog-title dialog-error",
            )
            with VerticalScroll():
                for problem in self.problems:
                    yield Static(f"• {problem}", markup=False, classes="problem")
            yield Label(
                "c: go to the first missing item · r: risk checklist · Esc: back", classes="hint"
            )

    def action_close(self) -> None:
        self.dismiss(None)

    def action_open(self, checklist_id: str) -> None:
        self.dismiss(checklist_id)
