"""the newest version of each record the hub is known to hold (terminals only)

Revision ID: 0012_known_hub_versions
Revises: 0011_name_year_keys
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from firstresponse.store.migrate import migrating_for

revision = "0012_known_hub_versions"
down_revision = "0011_name_year_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if migrating_for() == "hub":
        return
    op.create_table(
        "known_hub_version",
        sa.Column("record_id", sa.String(), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    if migrating_for() != "hub":
        op.drop_table("known_hub_version")
