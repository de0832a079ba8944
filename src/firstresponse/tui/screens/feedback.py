"""Review feedback the officer sees at sign-in, one review at a time, with acknowledge.

The app shows `feedback_screen_for(app)` (if not None) over the home screen after sign-in.
"""

from __future__ import annotations

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Static

from firstresponse.records import Review
from firstresponse.supervision.review import OUTCOMES
from firstresponse.supervision.terminal import (
    acknowledge_feedback,
    case_reference,
    feedback_waiting,
)
from firstresponse.tui.app import FirstResponseApp


def feedback_lines(review: Review, reference: str, labels: dict[str, str]) -> list[str]:
    """The review as the officer reads it: outcome, points not met with comments, feedback."""
    lines = [
        f"Case {reference} · reviewed by {review.reviewer} on {review.created_at:%Y-%m-%d}",
        f"Outcome: {OUTCOMES.get(review.outcome, review.outcome)}",
    ]
    if review.answers.get("action_by"):
        lines.append(f"Action to complete by {review.answers['action_by']}")
    missed = [k for k, v in review.answers.items() if v == "not_met"]
    if missed:
        lines.append("Not met:")
        for key in missed:
            lines.append(f"  - {labels.get(key, key)}")
            comment = review.answers.get(f"{key}.reason")
            if comment:
                lines.append(f"    {comment}")
    lines += ["Feedback:", review.feedback]
    return lines


class FeedbackScreen(Screen[None]):
    """Feedback waiting for the signed-in officer; `a` acknowledges the one shown."""

    app = getters.app(FirstResponseApp)

    BINDINGS = [
        Binding("a", "acknowledge", "Acknowledge"),
        Binding("escape", "later", "Later"),
    ]

    DEFAULT_CSS = """
    FeedbackScreen #fb-body { height: 1fr; padding: 0 1; }
    """

    def __init__(self, reviews: list[Review]) -> None:
        super().__init__()
        self.reviews = reviews

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="fb-title", classes="title")
        with VerticalScroll(id="fb-body"):
            yield Static("", id="fb-text", markup=False)
        yield Label("a acknowledge · Esc later (shown again at next sign-in)", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.show_current()
        self.query_one("#fb-body", VerticalScroll).focus()

    def show_current(self) -> None:
        context = self.app.context
        review = self.reviews[0]
        checklist = context.checklists["dip_sample_review"]
        labels = {item.id: item.label for item in checklist.items}
        reference = case_reference(context.store, review.subject_id)
        count = len(self.reviews)
        self.query_one("#fb-title", Label).update(
            f"Feedback from your supervisor ({count} to read)"
        )
        text = "\n".join(feedback_lines(review, reference, labels))
        self.query_one("#fb-text", Static).update(text)

    def action_acknowledge(self) -> None:
        context = self.app.context
        acknowledge_feedback(context.store, self.reviews[0].id, context.collar)
        self.reviews.pop(0)
        if self.reviews:
            self.show_current()
        else:
            self.app.notify("Feedback acknowledged.")
            self.dismiss()

    def action_later(self) -> None:
        self.dismiss()


def feedback_screen_for(app: FirstResponseApp) -> Screen[None] | None:
    """A FeedbackScreen if the signed-in user has unacknowledged feedback, else None."""
    officer = app.context.officer
    if officer is None:
        return None
    reviews = feedback_waiting(app.context.store, officer.collar)
    return FeedbackScreen(reviews) if reviews else None
