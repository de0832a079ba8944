"""pulled records that refer to one the terminal does not hold yet wait to be filed (terminals only)

A record the hub's feed carries whose person, incident or other parent this terminal does
not hold yet used to be dropped while the cursor moved past it. It is kept here instead,
and filed once what it refers to arrives (sync.pull).

Revision ID: 0016_pulled_waiting
Revises: 0015_order_outcomes
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from firstresponse.store.migrate import migrating_for

revision = "0016_pulled_waiting"
down_revision = "0015_order_outcomes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if migrating_for() == "hub":
        return
    op.create_table(
        "pulled_waiting",
        sa.Column("record_id", sa.String(), primary_key=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("waits_for", sa.String(), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    if migrating_for() != "hub":
        op.drop_table("pulled_waiting")
