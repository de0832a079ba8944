"""order outcomes (hearings, bail) and orders recorded against the victim put right

What became of an order made at a scene (a DVPO granted at the hearing, refused or
adjourned; bail extended or ended) is its own record, `orderoutcome`, synced like the other
follow-up records.

Before orders had to name the person they restrain, a notice or bail made where no suspect
was identified was stored with the victim as its subject (and as the one protected). Where
the incident names a suspect now, the order is put right: against the suspect, protecting
the victim. Where it does not, the order is listed in `order_party_review` for a supervisor
(`followup.orders.orders_to_review`): nobody is made the subject by guesswork.

Revision ID: 0015_order_outcomes
Revises: 0014_form_drafts
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0015_order_outcomes"
down_revision = "0014_form_drafts"
branch_labels = None
depends_on = None

_STRING = sqlmodel.sql.sqltypes.AutoString
#: Orders whose subject is their own incident's victim, as the earlier release stored them.
AGAINST_VICTIM = (
    "SELECT o.id, i.suspect_id FROM protectiveorder o JOIN incident i ON i.id = o.incident_id"
    " WHERE o.subject_id = i.victim_id AND (o.protected_id IS NULL OR o.protected_id = i.victim_id)"
)
REASON = "Recorded against the victim: the incident names no suspect. Who does it restrain?"


def upgrade() -> None:
    op.create_table(
        "orderoutcome",
        sa.Column("id", _STRING(), nullable=False),
        sa.Column("order_id", _STRING(), nullable=False),
        sa.Column("incident_id", _STRING(), nullable=True),
        sa.Column("outcome", _STRING(), nullable=False),
        sa.Column("outcome_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("next_hearing_on", sa.Date(), nullable=True),
        sa.Column("court", _STRING(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("decided_by", _STRING(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["protectiveorder.id"]),
        sa.ForeignKeyConstraint(["incident_id"], ["incident.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_orderoutcome_order_id", "orderoutcome", ["order_id"])
    op.create_index("ix_orderoutcome_incident_id", "orderoutcome", ["incident_id"])
    review = op.create_table(
        "order_party_review",
        sa.Column("order_id", _STRING(), primary_key=True),
        sa.Column("reason", sa.Text(), nullable=False),
    )
    conn = op.get_bind()
    flagged = []
    for order_id, suspect_id in conn.execute(sa.text(AGAINST_VICTIM)).all():
        if suspect_id:
            conn.execute(
                sa.text(
                    "UPDATE protectiveorder SET protected_id = subject_id, subject_id = :suspect"
                    " WHERE id = :id"
                ),
                {"suspect": suspect_id, "id": order_id},
            )
        else:
            flagged.append({"order_id": order_id, "reason": REASON})
    if flagged:
        op.bulk_insert(review, flagged)


def downgrade() -> None:
    op.drop_table("order_party_review")
    op.drop_index("ix_orderoutcome_incident_id", "orderoutcome")
    op.drop_index("ix_orderoutcome_order_id", "orderoutcome")
    op.drop_table("orderoutcome")
