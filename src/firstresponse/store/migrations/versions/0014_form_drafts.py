"""what an officer has typed into a form not yet saved, kept on this terminal (terminals only)

Revision ID: 0014_form_drafts
Revises: 0013_feed_casework
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from firstresponse.store.migrate import migrating_for

revision = "0014_form_drafts"
down_revision = "0013_feed_casework"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if migrating_for() == "hub":
        return
    op.create_table(
        "form_draft",
        sa.Column("author", sa.String(), primary_key=True),
        sa.Column("form", sa.String(), primary_key=True),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    if migrating_for() != "hub":
        op.drop_table("form_draft")
