"""the pull feed carries decisions, orders and dip-sample reviews (hubs only)

A hub sent none of them before. This notes the kinds whose feed entries the hub still owes
(`hub_feed_backfill`); the hub writes the entries of those it already holds as it next
opens its database (`hub.feed.backfill_pending`), so supervisors' terminals and the
officers they name receive them at their next sync.

Revision ID: 0013_feed_casework
Revises: 0012_known_hub_versions
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from firstresponse.store.migrate import migrating_for

revision = "0013_feed_casework"
down_revision = "0012_known_hub_versions"
branch_labels = None
depends_on = None

OWED = ("order", "decision", "review")


def upgrade() -> None:
    if migrating_for() != "hub":
        return
    table = op.create_table("hub_feed_backfill", sa.Column("kind", sa.String(), primary_key=True))
    op.bulk_insert(table, [{"kind": kind} for kind in OWED])


def downgrade() -> None:
    if migrating_for() == "hub":
        op.drop_table("hub_feed_backfill")
