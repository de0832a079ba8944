"""A checklist for one incident, saved on every answer (a crash loses nothing)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from firstresponse.attendance import RecordImmutable, save_answers
from firstresponse.attendance.terminal import open_checklist
from firstresponse.checklist import Evaluation
from firstresponse.records import utcnow
from firstresponse.tui.autosave import DraftSaver
from firstresponse.tui.screens.responder.base import ResponderScreen
from firstresponse.tui.widgets.checklist_form import ChecklistForm
from firstresponse.tui.widgets.form.view import set_text

KEYS = "F2: next missing · Esc then s: submit"


class ChecklistScreen(ResponderScreen):
    """The shared checklist form over the officer's draft (read-only once submitted)."""

    DEFAULT_CSS = """
    ChecklistScreen #saved { height: auto; max-height: 2; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "app.pop_screen", "Back (s there submits)")]

    def __init__(self, incident_id: str, checklist_id: str, jump: bool = False) -> None:
        super().__init__()
        self.jump = jump
        self.incident_id = incident_id
        self.checklist_id = checklist_id
        self.draft_id: str | None = None
        self.saver: DraftSaver | None = None
        self.saved_line: Static | None = None

    def body(self) -> ComposeResult:
        checklist = self.checklists[self.checklist_id]
        facts = self.facts(self.incident_id)
        self.fact_values = facts
        opened = open_checklist(self.store, self.incident_id, checklist, self.collar, facts)
        if opened.draft is not None:
            draft = opened.draft
            self.draft_id = draft.id
            note = "Every answer is saved as you go · " + KEYS
            if draft.replaces_id:
                note = f"Amendment v{draft.version}: {draft.amendment_reason} · " + note
            self.saved_line = Static(note, id="saved", markup=False)
            yield self.saved_line
            yield ChecklistForm(checklist, draft.answers, facts, id="form")
        else:
            done = opened.submitted
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
        if self.draft_id is not None:
            self.saver = DraftSaver(self._save, self._saved, self._failed)
            if self.jump:
                self.call_after_refresh(form.focus_missing, True)

    def on_unmount(self) -> None:
        if self.saver is not None:
            self.saver.close()

    def on_checklist_form_changed(self, event: ChecklistForm.Changed) -> None:
        if self.saver is not None:
            self.saver.put((event.answers, event.evaluation))

    # -- the writer thread -----------------------------------------------------------------
    def _save(self, payload: tuple[dict[str, Any], Evaluation]) -> None:
        answers, evaluation = payload
        assert self.draft_id is not None
        checklist = self.checklists[self.checklist_id]
        save_answers(self.store, self.draft_id, answers, checklist, self.fact_values, evaluation)

    def _saved(self) -> None:
        self.app.call_from_thread(self._show_saved)

    def _failed(self, exc: Exception) -> None:
        message = str(exc) if isinstance(exc, RecordImmutable) else f"Not saved: {exc}"
        self.app.call_from_thread(self.notify, message, severity="error")

    def _show_saved(self) -> None:
        if self.saved_line is not None and self.saved_line.is_attached:  # screen still open
            set_text(self.saved_line, f"Saved {utcnow():%H:%M:%S} · " + KEYS)
