"""Review one sampled case: the whole record read-only, then the dip-sample review form."""

from __future__ import annotations

from typing import Any

from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Static, TabbedContent, TabPane

from firstresponse.supervision import QueueItem, ReviewIncomplete
from firstresponse.supervision.casefile import Section
from firstresponse.supervision.terminal import read_case, save_review
from firstresponse.tui.terminal import TerminalApp
from firstresponse.tui.widgets.checklist_form import ChecklistForm


def record_text(sections: list[Section]) -> Content:
    """The whole record as one text (one widget to mount, not one per line): each section's
    heading, bold in the accent colour after a blank line, then its lines as they are."""
    parts: list[str | tuple[str, str]] = []
    for section in sections:
        parts += ["\n\n" if parts else "\n", (section.title, "bold $accent")]
        parts += [f"\n{line}" for line in section.lines]
    return Content.assemble(*parts)


class ReviewScreen(Screen[None]):
    """F3 the record, F4 the review form, Ctrl+S save and send the feedback, Esc back."""

    app = getters.app(TerminalApp)

    BINDINGS = [
        Binding("f3", "show('record')", "Record"),
        Binding("f4", "show('form')", "Review form"),
        Binding("ctrl+s", "save", "Save review", priority=True),
        Binding("escape", "back", "Back"),
    ]

    DEFAULT_CSS = """
    ReviewScreen #rv-text { padding: 0 1; }
    ReviewScreen #rv-tabs { height: 1fr; }
    ReviewScreen #rv-tabs ContentSwitcher { height: 1fr; }
    ReviewScreen TabPane { padding: 0; height: 1fr; }
    ReviewScreen #rv-record { height: 1fr; }
    ReviewScreen #rv-status { height: auto; }
    """

    def __init__(self, item: QueueItem) -> None:
        super().__init__()
        self.item = item
        self.answers: dict[str, Any] = {}
        self.sections: list[Section] = []

    def compose(self) -> ComposeResult:
        context = self.app.context
        self.checklists = context.checklists
        self.sections = read_case(
            context.store, context.collar, self.item.incident_id, self.checklists
        )
        yield Header()
        why = "; ".join(self.item.item["why"])
        yield Label(f"{self.item.item['reference']} · {why}", classes="title", markup=False)
        with TabbedContent(initial="record", id="rv-tabs"):
            with TabPane("Record (F3)", id="record"), VerticalScroll(id="rv-record"):
                yield Static(record_text(self.sections), id="rv-text")
            with TabPane("Review (F4)", id="form"):
                yield ChecklistForm(self.checklists["dip_sample_review"], id="rv-form")
        yield Label("", id="rv-status", classes="error", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#rv-record", VerticalScroll).focus()

    @on(ChecklistForm.Changed)
    def _changed(self, event: ChecklistForm.Changed) -> None:
        self.answers = event.answers
        self.query_one("#rv-status", Label).update("")

    def action_show(self, tab: str) -> None:
        self.query_one("#rv-tabs", TabbedContent).active = tab
        if tab == "record":
            self.query_one("#rv-record", VerticalScroll).focus()
        else:
            self.query_one("#rv-form", ChecklistForm).action_next_missing()

    def action_save(self) -> None:
        context = self.app.context
        status = self.query_one("#rv-status", Label)
        try:
            save_review(
                context.store,
                self.checklists["dip_sample_review"],
                context.collar,
                self.item.incident_id,
                str(self.item.item.get("officer", "")),
                self.answers,
                self.item.sample_id,
            )
        except ReviewIncomplete as exc:
            self.action_show("form")
            status.update(f"Not saved: {exc}")
            return
        self.app.notify(f"Review saved; feedback sent to {self.item.item.get('officer') or '—'}.")
        self.dismiss()

    def action_back(self) -> None:
        self.dismiss()
