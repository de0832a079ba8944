"""outbox: an index in the order rows are pushed (status, most urgent, oldest)

Revision ID: 0003_outbox_order
Revises: 0002_lookup
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_outbox_order"
down_revision = "0002_lookup"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_outboxitem_waiting", "outboxitem", ["status", sa.text("priority DESC"), "created_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_outboxitem_waiting", table_name="outboxitem")
