"""A checklist for one incident, saved on every answer (a crash loses nothing)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from firstresponse.attendance import (
    RecordImmutable,
    draft_for,
    open_draft,
    save_answers,
    submitted_for,
)
from firstresponse.records import utcnow
from firstresponse.tui.screens.responder.base import ResponderScreen
from firstresponse.tui.widgets.checklist_form import ChecklistForm


class ChecklistScreen(ResponderScreen):
    """The shared checklist form over the officer's draft (read-only once submitted)."""

    DEFAULT_CSS = """
    ChecklistScreen #saved { height: 1; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, incident_id: str, checklist_id: str, jump: bool = False) -> None:
        super().__init__()
        self.jump = jump
        self.incident_id = incident_id
        self.checklist_id = checklist_id
        self.draft_id: str | None = None

    def body(self) -> ComposeResult:
        checklist = self.checklists[self.checklist_id]
        facts = self.facts(self.incident_id)
        self.fact_values = facts
        with self.store.session() as db:
            draft = draft_for(db, self.incident_id, self.checklist_id, self.collar)
            done = submitted_for(db, self.incident_id).get(self.checklist_id)
            if draft is None and done is None:
                draft = open_draft(db, self.incident_id, checklist, self.collar, facts)
        if draft is not None:
            self.draft_id = draft.id
            note = "Every answer is saved as you go · F2: next missing · Esc: back"
            if draft.replaces_id:
                note = f"Amendment v{draft.version}: {draft.amendment_reason} · " + note
            yield Static(note, id="saved", markup=False)
            yield ChecklistForm(checklist, draft.answers, facts, id="form")
        else:
            assert done is not None
            yield Static(
                f"Submitted v{done.version}: read only. Amend it from the incident (a).",
                id="saved",
                markup=False,
            )
            yield ChecklistForm(checklist, done.answers, facts, read_only=True, id="form")

    def on_mount(self) -> None:
        form = self.query_one(ChecklistForm)
        first = next((w for w in form.query("*") if w.focusable), None)
        if first is not None:
            first.focus()
        if self.jump and self.draft_id is not None:
            self.call_after_refresh(form.action_next_missing)

    def on_checklist_form_changed(self, event: ChecklistForm.Changed) -> None:
        if self.draft_id is None:
            return
        try:
            save_answers(
                self.store,
                self.draft_id,
                event.answers,
                self.checklists[self.checklist_id],
                self.fact_values,
            )
        except RecordImmutable as exc:
            self.notify(str(exc), severity="error")
            return
        self.query_one("#saved", Static).update(
            f"Saved {utcnow():%H:%M:%S} · F2: next missing · Esc: back"
        )
