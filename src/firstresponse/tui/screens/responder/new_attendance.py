"""Record attendance at an incident nobody sent you to (works with no network)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from firstresponse.records import limits
from firstresponse.tui.widgets.type_ahead import TextBox

FIELDS = (
    ("forename", "Victim's forename"),
    ("surname", "Victim's surname"),
    ("address", "Address of the incident"),
    ("postcode", "Postcode"),
    ("summary", "What happened, in a line"),
)


class NewAttendance(ModalScreen[dict[str, str] | None]):
    """Victim's name and the address; Enter moves on, Enter on the last field saves."""

    DEFAULT_CSS = """
    NewAttendance { align: center middle; }
    NewAttendance > Vertical { width: 70; height: auto; border: thick $accent;
        background: $surface; padding: 0 1; }
    NewAttendance Input { margin-bottom: 0; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Attend an incident not sent to you", classes="title")
            for key, label in FIELDS:
                last = key == FIELDS[-1][0]
                yield TextBox(
                    placeholder=label, id=f"new-{key}", compact=True, enter_moves_on=not last
                )
            yield Label(
                "Enter: next field · ctrl+s: save · Escape: cancel", id="new-error", markup=False
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == f"new-{FIELDS[-1][0]}":  # the others have moved on (TextBox)
            self.action_save()

    def action_save(self) -> None:
        details = {key: self.query_one(f"#new-{key}", Input).value.strip() for key, _ in FIELDS}
        if not (details["forename"] or details["surname"]) or not details["address"]:
            self.query_one("#new-error", Label).update("The victim's name and address are needed.")
            return
        for key, label in FIELDS[:2]:  # the one rule for names (records.validate)
            if problem := limits.text_problem(label, details[key], limits.NAME):
                self.query_one("#new-error", Label).update(problem)
                self.query_one(f"#new-{key}", Input).focus()
                return
        self.dismiss(details)

    def action_cancel(self) -> None:
        self.dismiss(None)
