"""person: marker source and ending, warrants, linked records, resumable history imports

Revision ID: 0005_person
Revises: 0004_roles
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_person"
down_revision = "0004_roles"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("personmarker", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column("recorded_by", sa.String(), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("ended_at", _TS, nullable=True))
        batch_op.add_column(sa.Column("ended_by", sa.String(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("end_reason", sa.String(), nullable=False, server_default=""))
    op.create_table(
        "person_link",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("person_id", sa.String(), nullable=False),
        sa.Column("other_id", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(), nullable=False),
        sa.Column("decided_at", _TS, nullable=False),
    )
    op.create_index("ix_person_link_pair", "person_link", ["person_id", "other_id"], unique=True)
    op.create_index("ix_person_link_other", "person_link", ["other_id"])
    op.create_table(
        "warrant",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("person_id", sa.String(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("offence", sa.String(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("issued_by", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("incident_id", sa.String(), sa.ForeignKey("incident.id"), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
    )
    op.create_index("ix_warrant_person_id", "warrant", ["person_id"])
    op.create_table(
        "history_import",
        sa.Column("id", sa.String(), primary_key=True),  # SHA-256 of the file's bytes
        sa.Column("path", sa.String(), nullable=False),
        sa.Column("groups_done", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Text(), nullable=False),  # JSON: incidents refused so far
        sa.Column("added", sa.Text(), nullable=False),  # JSON: records added so far
        sa.Column("started_at", _TS, nullable=False),
        sa.Column("finished_at", _TS, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("history_import")
    op.drop_index("ix_warrant_person_id", "warrant")
    op.drop_table("warrant")
    op.drop_index("ix_person_link_other", "person_link")
    op.drop_index("ix_person_link_pair", "person_link")
    op.drop_table("person_link")
    with op.batch_alter_table("personmarker", schema=None) as batch_op:
        for name in ("end_reason", "ended_by", "ended_at", "recorded_by", "source"):
            batch_op.drop_column(name)
