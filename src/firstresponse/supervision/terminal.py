"""The supervisor terminal's entry points: each opens, and commits, its own transaction.

Screens call these with the store rather than opening sessions or building queries.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from firstresponse.checklist import Checklist
from firstresponse.records import Review
from firstresponse.store import Store
from firstresponse.supervision import high_risk
from firstresponse.supervision.casefile import Section, open_casefile
from firstresponse.supervision.compliance import Report, compliance
from firstresponse.supervision.feedback import (
    Feedback,
    acknowledge,
    feedback_for,
    labels_of,
    waiting_count,
)
from firstresponse.supervision.figures import Figures, leaders_figures
from firstresponse.supervision.high_risk import Submission
from firstresponse.supervision.review import record_review
from firstresponse.supervision.sampling import DipSample, QueueItem, draw, queue


def review_queue(store: Store) -> list[QueueItem]:
    with store.session() as db:
        return queue(db)


def draw_sample(
    store: Store, start: datetime, end: datetime, rate: float, collar: str
) -> DipSample:
    with store.session() as db:
        return draw(db, start, end, rate, created_by=collar)


def read_case(
    store: Store, collar: str, incident_id: str, checklists: Mapping[str, Checklist]
) -> list[Section]:
    """The sampled case read-only (audited; a restricted case also notifies PSD)."""
    with store.session() as db:
        return open_casefile(db, collar, incident_id, dict(checklists)) or []


def save_review(
    store: Store,
    checklist: Checklist,
    reviewer: str,
    incident_id: str,
    officer: str,
    answers: dict[str, Any],
    sample_id: str | None,
) -> Review:
    """Store a complete review; raises `ReviewIncomplete` (nothing stored) otherwise."""
    with store.session() as db:
        return record_review(
            db, checklist, reviewer, incident_id, officer, answers, sample_id=sample_id
        )


def compliance_report(store: Store, start: datetime, end: datetime) -> Report:
    with store.session() as db:
        return compliance(db, start, end)


def my_feedback(store: Store, collar: str, checklists: Mapping[str, Checklist]) -> list[Feedback]:
    """Every review of the officer's cases held here (dip sample and high risk), newest first."""
    with store.session() as db:
        return feedback_for(db, collar, labels_of(checklists))


def feedback_waiting(
    store: Store, collar: str, checklists: Mapping[str, Checklist]
) -> list[Feedback]:
    """The reviews the officer has not yet acknowledged, oldest first (read at sign-in)."""
    return [item for item in reversed(my_feedback(store, collar, checklists)) if item.waiting]


def feedback_count(store: Store, collar: str) -> int:
    """How many reviews of the officer's cases wait for them to acknowledge."""
    with store.session() as db:
        return waiting_count(db, collar)


def acknowledge_feedback(store: Store, item: Feedback, collar: str) -> None:
    """The officer has read the review; raises `PermissionError` if it is not theirs."""
    with store.session() as db:
        acknowledge(db, item, collar)


def high_risk_queue(store: Store, now: datetime) -> list[Submission]:
    """High-risk submissions waiting for their same-shift review, overdue first."""
    with store.session() as db:
        return high_risk.review_queue(db, now)


def figures(store: Store, start: datetime, end: datetime, now: datetime) -> Figures:
    """The leaders' figures for cases from `start` to `end`."""
    with store.session() as db:
        return leaders_figures(db, start, end, now)
