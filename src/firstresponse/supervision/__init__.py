"""Supervision: dip-sample selection, reviews with feedback, compliance figures, export.

Headless: reads and writes records through a SQLModel session; no UI here.
"""

from firstresponse.supervision.compliance import METRICS, Figure, Observation, Report, compliance
from firstresponse.supervision.review import (
    ReviewIncomplete,
    acknowledge,
    pending_feedback,
    record_review,
)
from firstresponse.supervision.sampling import QueueItem, choose, draw, queue

__all__ = [
    "METRICS",
    "Figure",
    "Observation",
    "QueueItem",
    "Report",
    "ReviewIncomplete",
    "acknowledge",
    "choose",
    "compliance",
    "draw",
    "pending_feedback",
    "queue",
    "record_review",
]
