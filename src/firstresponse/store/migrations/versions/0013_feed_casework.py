"""the pull feed carries decisions, orders and dip-sample reviews (hubs only)

A hub sent none of them before: this writes the feed entries of those it already holds, so
supervisors' terminals (and the officers they name) receive them at their next sync.

Revision ID: 0013_feed_casework
Revises: 0012_known_hub_versions
"""

from __future__ import annotations

from alembic import op
from sqlmodel import Session

from firstresponse.store.migrate import migrating_for

revision = "0013_feed_casework"
down_revision = "0012_known_hub_versions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if migrating_for() != "hub":
        return
    from firstresponse.hub import feed
    from firstresponse.records import Kind

    with Session(bind=op.get_bind(), join_transaction_mode="create_savepoint") as session:
        feed.backfill(session, [Kind.ORDER, Kind.DECISION, Kind.REVIEW])
        session.commit()  # releases its savepoint: the migration's transaction commits it


def downgrade() -> None:
    pass  # the entries stay: terminals that read them keep the records
