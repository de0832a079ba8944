"""Review feedback the officer sees at sign-in, one review at a time, with acknowledge.

The app shows `feedback_screen_for(app)` (if not None) over the home screen after sign-in.
"""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Static

from firstresponse.checklist import load_checklist
from firstresponse.records import Incident, Review
from firstresponse.supervision import acknowledge, pending_feedback
from firstresponse.supervision.review import OUTCOMES


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
        app: Any = self.app
        review = self.reviews[0]
        checklist = load_checklist(app.settings.checklists_dir / "dip_sample_review.toml")
        labels = {item.id: item.label for item in checklist.items}
        with app.store.session() as db:
            incident = db.get(Incident, review.subject_id)
        reference = incident.reference if incident else review.subject_id[:8]
        count = len(self.reviews)
        self.query_one("#fb-title", Label).update(
            f"Feedback from your supervisor ({count} to read)"
        )
        text = "\n".join(feedback_lines(review, reference, labels))
        self.query_one("#fb-text", Static).update(text)

    def action_acknowledge(self) -> None:
        app: Any = self.app
        with app.store.session() as db:
            acknowledge(db, self.reviews[0].id, app.user.collar)
        self.reviews.pop(0)
        if self.reviews:
            self.show_current()
        else:
            self.app.notify("Feedback acknowledged.")
            self.dismiss()

    def action_later(self) -> None:
        self.dismiss()


def feedback_screen_for(app: App[Any]) -> Screen[None] | None:
    """A FeedbackScreen if the signed-in user has unacknowledged feedback, else None."""
    user = getattr(app, "user", None)
    if user is None:
        return None
    with app.store.session() as db:  # type: ignore[attr-defined]
        reviews = pending_feedback(db, user.collar)
    return FeedbackScreen(reviews) if reviews else None
