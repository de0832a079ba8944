"""roles: the hub's own tables on a hub's database only, the sync cursor on terminals only

Until this revision the history had three branches and every database took all of them,
so terminals carried the hub's (empty) tables and the hub a terminal's sync cursor. Now
the history is linear and this step creates what the database's role needs: on a hub
the device, envelope and change tables; on a terminal the sync cursor. A terminal store
made by an earlier release drops the hub tables it was given (they are always empty on
a terminal; one that is not is left as it is, so no row is ever lost).

Revision ID: 0004_roles
Revises: 0003_outbox_order
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from firstresponse.store.migrate import HUB_TABLES, migrating_for

revision = "0004_roles"
down_revision = "0003_outbox_order"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def _existing() -> set[str]:
    return set(sa.inspect(op.get_bind()).get_table_names())


def _create_hub_tables() -> None:
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


def _drop_empty_hub_tables(existing: set[str]) -> None:
    bind = op.get_bind()
    for table in HUB_TABLES:
        if table not in existing:
            continue
        if bind.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar():
            continue  # never drop rows
        op.drop_table(table)


def upgrade() -> None:
    existing = _existing()
    if migrating_for() == "hub":
        if not set(HUB_TABLES) <= existing:  # a hub made by an earlier release has them
            _create_hub_tables()
        return
    if "sync_cursor" not in existing:
        op.create_table(
            "sync_cursor",
            sa.Column("name", sa.String(), primary_key=True),
            sa.Column("value", sa.String(), nullable=False),
            sa.Column("updated_at", _TS, nullable=False),
        )
    _drop_empty_hub_tables(existing)


def downgrade() -> None:
    existing = _existing()
    for table in ("sync_cursor", *HUB_TABLES):
        if table in existing:
            op.drop_table(table)
