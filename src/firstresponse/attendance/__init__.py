"""The responding officer's offline workflow: assignments, drafts saved on every answer,
children, decisions with reasons, risk, referrals, submission and amendments.

Headless: no UI imports. Every write goes through `Store.session()` so it commits on
its own; submission writes records and their outbox envelopes in one transaction.
"""

from firstresponse.attendance.assignments import (
    AssignmentView,
    assignments_for,
    attend_unassigned,
    briefing_sections,
)
from firstresponse.attendance.drafts import (
    FIRST_RESPONSE,
    RISK,
    RecordImmutable,
    draft_for,
    drafts_for,
    history,
    open_draft,
    save_answers,
    submitted_for,
)
from firstresponse.attendance.facts import facts_for
from firstresponse.attendance.outbox_view import OutboxLine, outbox_lines
from firstresponse.attendance.referrals import (
    ReferralChoice,
    referral_choices,
    set_referral,
)
from firstresponse.attendance.risk import RiskSummary, risk_summary
from firstresponse.attendance.submit import (
    SubmissionRefused,
    start_amendment,
    submission_problems,
    submit,
    submit_in,
)

__all__ = [
    "FIRST_RESPONSE",
    "RISK",
    "AssignmentView",
    "OutboxLine",
    "RecordImmutable",
    "ReferralChoice",
    "RiskSummary",
    "SubmissionRefused",
    "assignments_for",
    "attend_unassigned",
    "briefing_sections",
    "draft_for",
    "drafts_for",
    "facts_for",
    "history",
    "open_draft",
    "outbox_lines",
    "referral_choices",
    "risk_summary",
    "save_answers",
    "set_referral",
    "start_amendment",
    "submission_problems",
    "submit",
    "submit_in",
    "submitted_for",
]
