"""person: self-defined ethnicity (an 18+1 code; empty when not recorded)

Revision ID: 0009_ethnicity
Revises: 0008_highrisk_ack
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_ethnicity"
down_revision = "0008_highrisk_ack"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ethnicity", sa.String(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("ethnicity")
