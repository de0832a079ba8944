"""The follow-through screens' entry points: each opens, and commits, its own transaction.

Screens call these with the store rather than opening sessions or building queries.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from firstresponse.followup.contacts import DueContact, due_contacts, record_contact
from firstresponse.followup.dvds import (
    Application,
    Prompt,
    applications,
    record_application,
    right_to_know_prompts,
)
from firstresponse.followup.outcomes import record_outcome
from firstresponse.records import CaseOutcome, DvdsApplication, User, VictimContact
from firstresponse.store import Store


def contacts_due(
    store: Store, now: datetime, *, owner: str = "", team: str = "", overdue_only: bool = False
) -> list[DueContact]:
    """Contacts still owed to victims (see `due_contacts`)."""
    with store.session() as db:
        return due_contacts(db, now, owner=owner, team=team, overdue_only=overdue_only)


def save_contact(
    store: Store,
    user: User,
    due: DueContact,
    method: str,
    result: str,
    note: str = "",
    made_at: datetime | None = None,
) -> VictimContact:
    """Record a contact or attempt; raises `ContactRefused` (nothing stored) if incomplete."""
    with store.session() as db:
        return record_contact(db, user, due, method, result, note, made_at)


def save_outcome(
    store: Store,
    user: User,
    incident_id: str,
    outcome: str,
    reason: str,
    decided_at: datetime | None = None,
) -> CaseOutcome:
    """Record a case outcome; raises `OutcomeRefused` (nothing stored) if incomplete."""
    with store.session() as db:
        return record_outcome(db, user, incident_id, outcome, reason, decided_at)


def dvds_applications(
    store: Store, now: datetime, *, include_closed: bool, prompts_since: datetime
) -> tuple[list[Application], list[Prompt]]:
    """The applications (open ones first) and the Right to Know prompts since a time."""
    with store.session() as db:
        return applications(db, now, include_closed), right_to_know_prompts(db, prompts_since)


def log_application(store: Store, user: User, **details: Any) -> DvdsApplication:
    """Log a DVDS application (see `record_application`); raises `DvdsRefused` if incomplete."""
    with store.session() as db:
        return record_application(db, user, **details)
