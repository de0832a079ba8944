"""The control-room call: intake, repeat-victim lookup, THRIVE grading, briefing. Headless.

A call opens an Incident (status "open") for a new or looked-up Person; THRIVE answers
are graded against the floor the answers and history set; grading writes the assessment,
every protection-reducing decision, the briefing and the assignment in one transaction
with their outbox envelopes.
"""

from firstresponse.calls.briefing import build_briefing
from firstresponse.calls.details import CallDetails, ChildDetails
from firstresponse.calls.facts import facts_from_history
from firstresponse.calls.grading import (
    Graded,
    GradeRefused,
    Override,
    grade_call,
    prepare,
    verify_supervisor,
)
from firstresponse.calls.intake import open_call, shift_calls
from firstresponse.calls.safety import record_safety_advice
from firstresponse.calls.sources import (
    Candidate,
    FallbackLookup,
    HubLookup,
    LocalLookup,
    LookupSource,
    Search,
)

__all__ = [
    "CallDetails",
    "Candidate",
    "ChildDetails",
    "FallbackLookup",
    "GradeRefused",
    "Graded",
    "HubLookup",
    "LocalLookup",
    "LookupSource",
    "Override",
    "Search",
    "build_briefing",
    "facts_from_history",
    "grade_call",
    "open_call",
    "prepare",
    "record_safety_advice",
    "shift_calls",
    "verify_supervisor",
]
