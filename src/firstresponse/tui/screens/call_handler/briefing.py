"""Preview the briefing for attending officers, choose who gets it, and send (grades the call)."""

from __future__ import annotations

import re
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, Static

from firstresponse.calls import GradeRefused, Override
from firstresponse.calls.grading import WORKFORCE
from firstresponse.calls.terminal import grade, preview_briefing
from firstresponse.checklist import Evaluation
from firstresponse.records import Grade
from firstresponse.tui.screens.call_handler.state import CallState
from firstresponse.tui.terminal import TerminalScreen
from firstresponse.tui.widgets.type_ahead import TextBox

#: A call graded to send someone with nobody named yet (`a` on the call list sends it).
NOT_ASSIGNED = "NOT ASSIGNED"


def briefing_text(briefing: dict[str, Any]) -> str:
    """The briefing as the responder will read it: summary, then titled bullet lists."""
    out = [briefing.get("summary", "")]
    for section in briefing.get("sections", []):
        out.append("")
        out.append(section.get("title", "").upper())
        out += [f"• {line}" for line in section.get("lines", [])]
    return "\n".join(out)


def normalise_assignee(text: str) -> str:
    """Collar numbers in capitals (pc2001 -> PC2001); team names as typed."""
    text = text.strip()
    return text.upper() if re.fullmatch(r"[A-Za-z]{2}\d{3,6}", text) else text


class BriefingScreen(TerminalScreen[bool]):
    """F5 records the grade and sends the briefing with the assignment; Escape goes back."""

    DEFAULT_CSS = """
    BriefingScreen #briefing { height: 1fr; padding: 0 1; }
    BriefingScreen .row { height: 1; }
    BriefingScreen .row Label { width: 22; padding: 0 1; }
    BriefingScreen .row Input { width: 1fr; }
    """

    BINDINGS = [
        Binding("f5", "send", "Send"),
        Binding("escape", "back", "Back to THRIVE"),
    ]

    def __init__(
        self, state: CallState, answers: dict[str, Any], ev: Evaluation, override: Override | None
    ) -> None:
        super().__init__()
        self.state = state
        self.answers = answers
        self.evaluation = ev
        self.override = override
        self.grade = Grade(answers["grade"])
        context = self.app.context
        self.preview = preview_briefing(
            context.store,
            state.incident_id,
            answers,
            ev,
            state.history,
            state.suspect_markers,
            restricted=WORKFORCE in ev.flags,
            checklist=context.checklists["thrive"],
        )

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="briefing"):
            yield Static(briefing_text(self.preview), id="briefing-text", markup=False)
        if self.grade.deploys:
            yield Horizontal(
                Label("Assign to (optional)"),
                TextBox(
                    placeholder="collar or team, e.g. PC2001 or Alpha", id="assignee", compact=True
                ),
                classes="row",
            )
        else:
            yield Label("No deployment: recorded for supervisor review", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Briefing · {self.state.reference} · F5 to send"
        if self.grade.deploys:
            self.query_one("#assignee", Input).focus()
        else:
            self.query_one("#briefing").focus()

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.action_send()

    def action_send(self) -> None:
        context = self.app.context
        assignee = self.query_one("#assignee", Input).value.strip() if self.grade.deploys else ""
        try:
            graded = grade(
                context.store,
                context.signed_in,
                self.state.incident_id,
                context.checklists["thrive"],
                self.answers,
                self.state.facts,
                override=self.override,
                history=self.state.history,
                suspect_markers=self.state.suspect_markers,
                assignee=normalise_assignee(assignee),
            )
        except GradeRefused as refused:
            detail = "; ".join(refused.problems[:2])
            self.notify(f"{refused} {detail}".strip(), title="Not graded", severity="error")
            return
        sent = (
            f" to {graded.assignment.assignee}"
            if graded.assignment and graded.assignment.assignee
            else ""
        )
        count = len(graded.decisions)
        decisions = (
            f", {count} decision{'s' if count != 1 else ''} for a supervisor" if count else ""
        )
        self.notify(
            f"{self.state.reference} graded {self.grade.value.replace('_', ' ')}{sent}{decisions}"
        )
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)


class BriefingView(Screen[None]):
    """A sent briefing, read only."""

    BINDINGS = [Binding("escape", "back", "Back")]

    def __init__(self, reference: str, briefing: dict[str, Any], assignee: str) -> None:
        super().__init__()
        self.reference = reference
        self.briefing = briefing
        self.assignee = assignee

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="briefing"):
            yield Static(briefing_text(self.briefing), id="briefing-text", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        sent = f"sent to {self.assignee}" if self.assignee else NOT_ASSIGNED
        self.sub_title = f"Briefing · {self.reference} · {sent}"
        self.query_one("#briefing").focus()

    def action_back(self) -> None:
        self.app.pop_screen()
