"""What happens after the submit key: supervisors' same-shift reviews of high risk, case
outcomes, contacts with the victim, and DVDS (Clare's Law) applications and their steps.

Every row here is written once and never changed: a later event is a new row (a contact
made, a DVDS step, a newer outcome), so terminals never edit each other's records and
nothing can conflict in sync. The one exception is the officer's acknowledgement of a
same-shift review, set once on the review as on a dip-sample `Review`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, DateTime, Text
from sqlmodel import Field, SQLModel

from firstresponse.records.base import new_id, utcnow


def _at(nullable: bool = False) -> Column:
    return Column(DateTime(timezone=True), nullable=nullable)


class HighRiskReview(SQLModel, table=True):
    """A supervisor's same-shift review of a high-risk submission.

    `decision` is "confirm" or "regrade" (to `level_after`), always with a `reason`;
    `escalate_to` ("duty_inspector" or "da_team", or empty) records an escalation;
    `acknowledged_at` is set once, by the officer it is about, when they have read it.
    """

    id: str = Field(default_factory=new_id, primary_key=True)
    incident_id: str = Field(foreign_key="incident.id", index=True)
    assessment_id: str | None = Field(default=None, index=True)
    officer: str = Field(default="", index=True)
    reviewer: str
    submitted_at: datetime = Field(sa_column=_at())
    due_by: datetime = Field(sa_column=_at())
    level_before: str
    decision: str
    level_after: str
    reason: str = Field(sa_column=Column(Text, nullable=False))
    actions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    feedback: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    escalate_to: str = ""
    created_at: datetime = Field(default_factory=utcnow, sa_column=_at())
    acknowledged_at: datetime | None = Field(default=None, sa_column=_at(nullable=True))


class CaseOutcome(SQLModel, table=True):
    """A key decision in the case (charge, caution, no further action ...), with its reason.

    The newest row for an incident is its current outcome.
    """

    id: str = Field(default_factory=new_id, primary_key=True)
    incident_id: str = Field(foreign_key="incident.id", index=True)
    outcome: str = Field(index=True)
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    decided_by: str = ""
    decided_at: datetime = Field(sa_column=_at())
    created_at: datetime = Field(default_factory=utcnow, sa_column=_at())


class VictimContact(SQLModel, table=True):
    """One contact with (or attempt to reach) the victim, against a due contact of the plan.

    `due_key` names the planned contact it answers ("initial", "outcome:<id>", ...).
    """

    id: str = Field(default_factory=new_id, primary_key=True)
    incident_id: str = Field(foreign_key="incident.id", index=True)
    due_key: str = Field(index=True)
    made_at: datetime = Field(sa_column=_at())
    method: str
    outcome: str
    made_by: str = Field(index=True)
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_at())


class DvdsApplication(SQLModel, table=True):
    """A Domestic Violence Disclosure Scheme application: Right to Ask or Right to Know.

    `received_at` is the first contact (Right to Ask) or the receipt of the information
    (Right to Know); every deadline runs from it or from a later step.
    """

    id: str = Field(default_factory=new_id, primary_key=True)
    reference: str = Field(unique=True)
    route: str = Field(index=True)
    received_at: datetime = Field(sa_column=_at())
    applicant_name: str = ""
    applicant_is_victim: bool = False
    victim_name: str
    victim_id: str | None = Field(default=None, foreign_key="person.id", index=True)
    subject_name: str
    subject_id: str | None = Field(default=None, foreign_key="person.id", index=True)
    relationship: str = ""
    concerns: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    safe_contact: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    imminent_risk: bool = False
    incident_id: str | None = Field(default=None, foreign_key="incident.id", index=True)
    created_by: str = ""
    team: str = Field(default="", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_at())


class DvdsStep(SQLModel, table=True):
    """One step of a DVDS application done: safeguarding, checks, meeting, risk assessment,
    categorisation (concern / no concern) or the decision (disclosed / not, and why)."""

    id: str = Field(default_factory=new_id, primary_key=True)
    application_id: str = Field(foreign_key="dvdsapplication.id", index=True)
    step: str
    done_at: datetime = Field(sa_column=_at())
    done_by: str = ""
    outcome: str = ""
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_at())


class OrderOutcome(SQLModel, table=True):
    """What became of an order made at a scene, recorded by whoever learns it.

    A notice (DVPN, DAPN) goes to a hearing: `granted` makes the order (DVPO, DAPO) from
    `outcome_on` to `ends_on`, `refused` ends the notice on `outcome_on`, `adjourned`
    keeps it in force to `next_hearing_on`. Bail conditions are `bail_extended` (to
    `ends_on`) or `bail_ended` (on `outcome_on`). The order record itself is never
    changed: the order in force is the order with its outcomes applied
    (`lookup.order_outcomes`).
    """

    id: str = Field(default_factory=new_id, primary_key=True)
    order_id: str = Field(foreign_key="protectiveorder.id", index=True)
    incident_id: str | None = Field(default=None, foreign_key="incident.id", index=True)
    outcome: str
    outcome_on: date
    ends_on: date | None = None
    next_hearing_on: date | None = None
    court: str = ""
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    decided_by: str = ""
    decided_at: datetime = Field(sa_column=_at())
    created_at: datetime = Field(default_factory=utcnow, sa_column=_at())
