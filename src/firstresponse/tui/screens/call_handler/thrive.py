"""THRIVE for the call in hand, with the grade floor shown and enforced."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from firstresponse.attendance import RecordImmutable, save_answers
from firstresponse.attendance.terminal import open_checklist
from firstresponse.calls import Override, prepare
from firstresponse.calls.briefing import routine_reasons
from firstresponse.calls.grading import BELOW_FLOOR, OVERRIDE_REASON, OVERRIDE_SUPERVISOR
from firstresponse.checklist import Evaluation
from firstresponse.tui.autosave import DraftSaver
from firstresponse.tui.screens.call_handler.state import CallState
from firstresponse.tui.terminal import TerminalScreen
from firstresponse.tui.widgets.checklist_form import ChecklistForm


def floor_text(ev: Evaluation, routine: set[str] | frozenset[str] = frozenset()) -> str:
    """The floor and why (leaving out reasons true of every call once there are others),
    and whether the chosen grade is below it."""
    if ev.grade_floor is None:
        return "No grade floor yet"
    floor = ev.grade_floor.value.replace("_", " ").upper()
    reasons = [r for r in ev.grade_floor_reasons if r not in routine] or ev.grade_floor_reasons
    text = f"Floor: {floor} — " + "; ".join(reasons)
    if BELOW_FLOOR in ev.flags:
        text = "BELOW FLOOR: supervisor override needed (F5). " + text
    return text


class ThriveScreen(TerminalScreen[None]):
    """The THRIVE checklist; F5 grades (asking a supervisor when below the floor)."""

    DEFAULT_CSS = """
    ThriveScreen #floor { height: auto; padding: 0 1; background: $warning 20%; }
    ThriveScreen #floor.-below { background: $error 40%; text-style: bold; }
    """

    BINDINGS = [
        Binding("f5", "grade", "Grade"),
        Binding("escape", "leave", "Later"),
    ]

    def __init__(self, state: CallState) -> None:
        super().__init__()
        self.state = state
        self.checklist = self.app.context.checklists["thrive"]
        self.override: Override | None = None
        self.draft_id = self._open_draft()
        self.saver: DraftSaver | None = None

    def _open_draft(self) -> str | None:
        """The call handler's THRIVE draft, started now if there is none, holding what the
        call form filled in (an answer saved since wins over it)."""
        context = self.app.context
        opened = open_checklist(
            context.store, self.state.incident_id, self.checklist, context.collar, self.state.facts
        )
        if opened.draft is None:
            return None
        saved = dict(opened.draft.answers or {})
        answers = {**self.state.answers, **saved}
        if answers != saved:
            save_answers(context.store, opened.draft.id, answers, self.checklist, self.state.facts)
        self.state.answers = answers
        return opened.draft.id

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="floor", markup=False)
        yield ChecklistForm(self.checklist, self.state.answers, self.state.facts, id="thrive")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"THRIVE · {self.state.reference} · {self.state.victim_name}"
        self._show_floor(self.query_one(ChecklistForm).evaluation)
        if self.draft_id is not None:
            self.saver = DraftSaver(self._save, failed=self._failed)

    def on_unmount(self) -> None:
        if self.saver is not None:
            self.saver.close()

    def _save(self, payload: tuple[dict[str, Any], Evaluation]) -> None:
        """On the writer thread: every answer as it is given."""
        answers, evaluation = payload
        assert self.draft_id is not None
        context = self.app.context
        try:
            save_answers(
                context.store, self.draft_id, answers, self.checklist, self.state.facts, evaluation
            )
        except RecordImmutable:  # graded meanwhile: the submitted answers are the record
            return

    def _failed(self, exc: Exception) -> None:
        self.app.call_from_thread(self.notify, f"Not saved: {exc}", severity="error")

    def _show_floor(self, ev: Evaluation) -> None:
        banner = self.query_one("#floor", Static)
        banner.update(floor_text(ev, routine_reasons(self.checklist)))
        banner.set_class(BELOW_FLOOR in ev.flags, "-below")

    def on_checklist_form_changed(self, event: ChecklistForm.Changed) -> None:
        self.state.answers = event.answers
        self._show_floor(event.evaluation)
        if self.saver is not None:
            self.saver.put((event.answers, event.evaluation))

    def action_grade(self) -> None:
        form = self.query_one(ChecklistForm)
        ev = form.evaluation
        if BELOW_FLOOR in ev.flags:
            from firstresponse.tui.screens.call_handler.override import OverrideDialog

            floor = ev.grade_floor.value.replace("_", " ") if ev.grade_floor else ""
            dialog = OverrideDialog(
                floor,
                list(ev.grade_floor_reasons),
                str(form.answers.get(OVERRIDE_SUPERVISOR, "")),
                str(form.answers.get(OVERRIDE_REASON, "")),
            )
            self.app.push_screen(dialog, self._overridden)
            return
        self._preview(None)

    def _overridden(self, override: Override | None) -> None:
        if override is not None:
            self._preview(override)

    def _preview(self, override: Override | None) -> None:
        from firstresponse.tui.screens.call_handler.briefing import BriefingScreen

        answers, ev = prepare(self.checklist, self.state.answers, self.state.facts, override)
        if not ev.complete:
            problems = [i.message for i in (*ev.missing_required, *ev.missing_reasons, *ev.errors)]
            self.notify(
                f"{len(problems)} to do: " + problems[0],
                title="THRIVE not complete",
                severity="error",
            )
            self.query_one(ChecklistForm).action_next_missing()
            return
        self.override = override
        self.app.push_screen(BriefingScreen(self.state, answers, ev, override), self._sent)

    def _sent(self, sent: bool | None) -> None:
        if sent:
            from firstresponse.tui.screens.call_handler.safety import SafetyAdviceScreen

            self.app.switch_screen(SafetyAdviceScreen(self.state))

    def action_leave(self) -> None:
        self.notify(f"{self.state.reference} stays open until graded; its answers are saved")
        self.app.pop_screen()
