"""sign-outs a terminal could not send while the hub was away (terminals only)

Revision ID: 0010_signouts
Revises: 0009_ethnicity
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from firstresponse.store.migrate import migrating_for

revision = "0010_signouts"
down_revision = "0009_ethnicity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if migrating_for() == "hub":
        return
    op.create_table(
        "pending_signout",
        sa.Column("digest", sa.String(), primary_key=True),
        sa.Column("collar", sa.String(), nullable=False),
        sa.Column("signed_out_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    if migrating_for() != "hub":
        op.drop_table("pending_signout")
