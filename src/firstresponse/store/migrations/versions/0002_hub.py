"""hub tables (devices, received envelopes, change feed) and the terminal's sync cursor

Revision ID: 0002_hub
Revises: 0001_foundation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_hub"
down_revision = "0001_foundation"
branch_labels = ("hub",)
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "hub_device",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("name", sa.String(), nullable=False, unique=True),
        sa.Column("token_hash", sa.String(), nullable=False, unique=True),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("revoked_at", _TS, nullable=True),
        sa.Column("revoked_by", sa.String(), nullable=False),
    )
    op.create_table(
        "hub_envelope",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("record_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("device_id", sa.String(), nullable=False),
        sa.Column("pushed_by", sa.String(), nullable=False),
        sa.Column("materialised", sa.Boolean(), nullable=False),
        sa.Column("waits_for", sa.String(), nullable=True),
        sa.Column("received_at", _TS, nullable=False),
        sa.UniqueConstraint("record_id", "version", name="uq_hub_envelope_record"),
    )
    op.create_index("ix_hub_envelope_record_id", "hub_envelope", ["record_id"])
    op.create_index("ix_hub_envelope_kind", "hub_envelope", ["kind"])
    op.create_index("ix_hub_envelope_waits_for", "hub_envelope", ["waits_for"])
    op.create_table(
        "hub_change",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("txid", sa.BigInteger(), nullable=False),
        sa.Column("topic", sa.String(), nullable=False),
        sa.Column("recipient", sa.String(), nullable=False),
        sa.Column("record_id", sa.String(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("at", _TS, nullable=False),
    )
    op.create_index("ix_hub_change_order", "hub_change", ["txid", "seq"])
    op.create_index("ix_hub_change_recipient", "hub_change", ["recipient"])
    op.create_table(
        "sync_cursor",
        sa.Column("name", sa.String(), primary_key=True),
        sa.Column("value", sa.String(), nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sync_cursor")
    op.drop_index("ix_hub_change_recipient", "hub_change")
    op.drop_index("ix_hub_change_order", "hub_change")
    op.drop_table("hub_change")
    op.drop_index("ix_hub_envelope_waits_for", "hub_envelope")
    op.drop_index("ix_hub_envelope_kind", "hub_envelope")
    op.drop_index("ix_hub_envelope_record_id", "hub_envelope")
    op.drop_table("hub_envelope")
    op.drop_table("hub_device")
