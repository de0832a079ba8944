"""Safety advice while officers travel: the shared checklist form, saved as an Assessment."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header

from firstresponse.calls import GradeRefused
from firstresponse.calls.terminal import save_safety_advice
from firstresponse.tui.screens.call_handler.state import CallState
from firstresponse.tui.terminal import TerminalScreen
from firstresponse.tui.widgets.checklist_form import ChecklistForm


class SafetyAdviceScreen(TerminalScreen[None]):
    """F5 saves the advice given; Escape returns to this shift's calls without it."""

    BINDINGS = [
        Binding("f5", "save", "Save advice"),
        Binding("escape", "done", "Skip"),
    ]

    def __init__(self, state: CallState) -> None:
        super().__init__()
        self.state = state
        self.checklist = self.app.context.checklists["safety_advice"]

    def compose(self) -> ComposeResult:
        yield Header()
        yield ChecklistForm(self.checklist, id="safety")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Safety advice · {self.state.reference}"

    def action_save(self) -> None:
        context = self.app.context
        form = self.query_one(ChecklistForm)
        try:
            save_safety_advice(
                context.store,
                context.signed_in,
                self.state.incident_id,
                self.checklist,
                form.answers,
            )
        except GradeRefused as refused:
            self.notify(str(refused), severity="error")
            form.action_next_missing()
            return
        self.notify("Safety advice recorded")
        self.app.pop_screen()

    def action_done(self) -> None:
        self.app.pop_screen()
