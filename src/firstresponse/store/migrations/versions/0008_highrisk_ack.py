"""the officer's acknowledgement of a same-shift high-risk review (terminals and hubs)

Revision ID: 0008_highrisk_ack
Revises: 0007_sessions
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_highrisk_ack"
down_revision = "0007_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("highriskreview") as batch:
        batch.add_column(sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("highriskreview") as batch:
        batch.drop_column("acknowledged_at")
