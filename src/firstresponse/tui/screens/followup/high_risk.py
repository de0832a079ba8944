"""The supervisor's same-shift review queue for high risk, and the review form."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Label, Static

from firstresponse.records import RiskLevel, utcnow
from firstresponse.supervision.high_risk import (
    DECISIONS,
    ESCALATIONS,
    ReviewRefused,
    Submission,
    record_high_risk_review,
)
from firstresponse.supervision.terminal import high_risk_queue, read_case
from firstresponse.tui.screens.followup.base import FollowupForm, FollowupList, when
from firstresponse.tui.screens.followup.forms import choice, read
from firstresponse.tui.widgets.marked_table import MarkedTable
from firstresponse.tui.widgets.picker import Picker
from firstresponse.tui.widgets.type_ahead import TextBox


class HighRiskQueueScreen(FollowupList):
    """High-risk submissions awaiting review this shift, overdue first; Enter reviews."""

    BINDINGS = [
        Binding("enter", "review", "Review", show=True),
        Binding("f5", "refresh", "Refresh"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[Submission] = []

    def body(self) -> ComposeResult:
        yield Label("High risk: same-shift review", classes="title")
        yield Label("", id="hr-hint", classes="hint", markup=False)
        yield MarkedTable(id="hr-queue")

    TABLE = "hr-queue"
    COLUMNS = ("Due", "Ref", "Officer", "Level", "Why")

    def action_refresh(self) -> None:
        now = utcnow()
        self.items = high_risk_queue(self.store, now)
        table = self.query_one("#hr-queue", DataTable)
        table.clear()
        for n, s in enumerate(self.items):
            due = ("OVERDUE " if s.overdue(now) else "") + when(s.due_by)
            table.add_row(due, s.reference, s.officer or "—", s.level, s.why, key=str(n))
        late = sum(s.overdue(now) for s in self.items)
        self.query_one("#hr-hint", Label).update(
            f"{len(self.items)} to review, {late} overdue · Enter review · F5 refresh · Esc back"
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_review()

    def action_review(self) -> None:
        if not self.items:
            self.status("Nothing waiting for review.")
            return
        row = self.query_one("#hr-queue", DataTable).cursor_row
        self.app.push_screen(HighRiskReviewScreen(self.items[row]))


LEVELS = [(level.value.title(), level.value) for level in RiskLevel]


class HighRiskReviewScreen(FollowupForm):
    """The case read-only above a short form: confirm or regrade, reason, actions, feedback,
    escalation. Ctrl+S saves and sends the feedback; Esc goes back, the typing kept."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save review", priority=True),
        Binding("escape", "back", "Back"),
    ]
    DEFAULT_CSS = """
    HighRiskReviewScreen #hr-case { height: 1fr; border: round $primary; }
    HighRiskReviewScreen #hr-form { height: auto; max-height: 12; }
    HighRiskReviewScreen .hr-row { height: 3; }
    HighRiskReviewScreen Picker, HighRiskReviewScreen Input { width: 1fr; }
    """

    def __init__(self, submission: Submission) -> None:
        super().__init__()
        self.submission = submission

    def body(self) -> ComposeResult:
        s = self.submission
        yield Label(
            f"{s.reference} · {s.why} · due {when(s.due_by)}", classes="title", markup=False
        )
        context = self.app.context
        sections = read_case(self.store, self.user.collar, s.incident_id, context.checklists)
        with VerticalScroll(id="hr-case"):
            for section in sections:
                yield Static(section.title, classes="title", markup=False)
                for line in section.lines:
                    yield Static(line, markup=False)
        with VerticalScroll(id="hr-form"):
            yield choice(DECISIONS, "Confirm or regrade?", "hr-decision")
            yield Picker(LEVELS, prompt="New risk level (for a regrade)", id="hr-level")
            yield TextBox(placeholder="Reason for the decision (required)", id="hr-reason")
            yield TextBox(placeholder="Actions, separated by ;", id="hr-actions")
            yield TextBox(placeholder="Feedback to the officer", id="hr-feedback")
            yield Picker(
                [(label, key) for key, label in ESCALATIONS.items()],
                allow_blank=False,
                id="hr-escalate",
            )

    def draft_name(self) -> str:
        return f"high_risk_review:{self.submission.incident_id}"

    def on_mount(self) -> None:
        self.query_one("#hr-decision", Picker).focus()

    def action_save(self) -> None:
        try:
            review = self.store.run(
                record_high_risk_review,
                self.user,
                self.submission,
                read(self, "#hr-decision"),
                read(self, "#hr-reason"),
                level_after=read(self, "#hr-level"),
                actions=read(self, "#hr-actions").split(";"),
                feedback=read(self, "#hr-feedback"),
                escalate_to=read(self, "#hr-escalate"),
            )
        except (ReviewRefused, PermissionError, ValueError) as exc:
            self.status(f"Not saved: {exc}")
            return
        sent = f"; escalated to {ESCALATIONS[review.escalate_to]}" if review.escalate_to else ""
        self.app.notify(f"Review saved: {review.level_after} risk{sent}.")
        self.saved()
