"""lookup index: search keys per person and the fuzzy vocabulary of name terms

Revision ID: 0002_lookup
Revises: 0001_foundation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_lookup"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lookup_key",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("person_id", sa.String(), nullable=False),
    )
    op.create_index("ix_lookup_key_key", "lookup_key", ["key", "person_id"])
    op.create_index("ix_lookup_key_person", "lookup_key", ["person_id"])
    op.create_table(
        "lookup_term",
        sa.Column("variant", sa.String(), nullable=False),
        sa.Column("term", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("variant", "term"),
    )


def downgrade() -> None:
    op.drop_table("lookup_term")
    op.drop_index("ix_lookup_key_person", "lookup_key")
    op.drop_index("ix_lookup_key_key", "lookup_key")
    op.drop_table("lookup_key")
