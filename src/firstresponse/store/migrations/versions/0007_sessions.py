"""sessions, per-officer signing keys and sign-in attempts on hubs; the officer whose
session sent each envelope (`sent_by`) on hubs; record authors and signatures in every
outbox; the officers' wrapped signing keys and the records held on the hub on terminals

Revision ID: 0007_sessions
Revises: 0006_followup
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from firstresponse.store.migrate import migrating_for

revision = "0007_sessions"
down_revision = "0006_followup"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("outboxitem") as batch:
        batch.add_column(sa.Column("author", sa.String(), nullable=False, server_default=""))
        batch.add_column(sa.Column("key_id", sa.String(), nullable=False, server_default=""))
        batch.add_column(sa.Column("signature", sa.String(), nullable=False, server_default=""))
    if migrating_for() == "hub":
        _hub()
    else:
        _terminal()


def _hub() -> None:
    op.create_table(
        "hub_session",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("token_hash", sa.String(), nullable=False, unique=True),
        sa.Column("device_id", sa.String(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("collar", sa.String(), nullable=False),
        sa.Column("pin_stamp", sa.String(), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("last_seen_at", _TS, nullable=False),
        sa.Column("expires_at", _TS, nullable=False),
        sa.Column("revoked_at", _TS, nullable=True),
        sa.Column("revoked_reason", sa.String(), nullable=False),
    )
    op.create_index("ix_hub_session_device_id", "hub_session", ["device_id"])
    op.create_index("ix_hub_session_user_id", "hub_session", ["user_id"])
    op.create_table(
        "hub_signing_key",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("collar", sa.String(), nullable=False),
        sa.Column("device_id", sa.String(), nullable=False),
        sa.Column("public_key", sa.String(), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("revoked_at", _TS, nullable=True),
    )
    op.create_index("ix_hub_signing_key_device_id", "hub_signing_key", ["device_id"])
    op.create_table(
        "hub_sign_in_attempt",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("device_id", sa.String(), nullable=False),
        sa.Column("collar", sa.String(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("at", _TS, nullable=False),
    )
    op.create_index("ix_hub_sign_in_attempt_at", "hub_sign_in_attempt", ["at"])
    with op.batch_alter_table("hub_envelope") as batch:
        batch.add_column(sa.Column("sent_by", sa.String(), nullable=False, server_default=""))
    op.create_index("ix_hub_envelope_device_id", "hub_envelope", ["device_id"])


def _terminal() -> None:
    op.create_table(
        "terminal_credential",
        sa.Column("collar", sa.String(), primary_key=True),
        sa.Column("key_id", sa.String(), nullable=False),
        sa.Column("wrapped_key", sa.String(), nullable=False),
        sa.Column("pin_stamp", sa.String(), nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
    )
    op.create_table(
        "held_record",
        sa.Column("record_id", sa.String(), primary_key=True),
        sa.Column("version", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("waits_for", sa.String(), nullable=False),
        sa.Column("waits_for_kind", sa.String(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("device", sa.String(), nullable=False),
        sa.Column("since", _TS, nullable=False),
    )


def downgrade() -> None:
    with op.batch_alter_table("outboxitem") as batch:
        batch.drop_column("signature")
        batch.drop_column("key_id")
        batch.drop_column("author")
    if migrating_for() != "hub":
        op.drop_table("held_record")
        op.drop_table("terminal_credential")
        return
    op.drop_index("ix_hub_envelope_device_id", "hub_envelope")
    with op.batch_alter_table("hub_envelope") as batch:
        batch.drop_column("sent_by")
    op.drop_index("ix_hub_sign_in_attempt_at", "hub_sign_in_attempt")
    op.drop_table("hub_sign_in_attempt")
    op.drop_index("ix_hub_signing_key_device_id", "hub_signing_key")
    op.drop_table("hub_signing_key")
    op.drop_index("ix_hub_session_user_id", "hub_session")
    op.drop_index("ix_hub_session_device_id", "hub_session")
    op.drop_table("hub_session")
