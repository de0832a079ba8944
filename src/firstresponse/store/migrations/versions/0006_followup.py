"""follow-through: same-shift high-risk reviews, case outcomes, victim contacts, DVDS

Revision ID: 0006_followup
Revises: 0005_person
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006_followup"
down_revision = "0005_person"
branch_labels = None
depends_on = None

TABLES = ("dvdsstep", "victimcontact", "highriskreview", "dvdsapplication", "caseoutcome")


def upgrade() -> None:
    op.create_table(
        "caseoutcome",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("incident_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_caseoutcome_incident_id"), "caseoutcome", ["incident_id"], unique=False
    )
    op.create_index(op.f("ix_caseoutcome_outcome"), "caseoutcome", ["outcome"], unique=False)
    op.create_table(
        "dvdsapplication",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("reference", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("route", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("applicant_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("applicant_is_victim", sa.Boolean(), nullable=False),
        sa.Column("victim_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("victim_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("subject_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("subject_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("relationship", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("concerns", sa.Text(), nullable=False),
        sa.Column("safe_contact", sa.Text(), nullable=False),
        sa.Column("imminent_risk", sa.Boolean(), nullable=False),
        sa.Column("incident_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("team", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["victim_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference"),
    )
    op.create_index(
        op.f("ix_dvdsapplication_incident_id"), "dvdsapplication", ["incident_id"], unique=False
    )
    op.create_index(op.f("ix_dvdsapplication_route"), "dvdsapplication", ["route"], unique=False)
    op.create_index(
        op.f("ix_dvdsapplication_subject_id"), "dvdsapplication", ["subject_id"], unique=False
    )
    op.create_index(op.f("ix_dvdsapplication_team"), "dvdsapplication", ["team"], unique=False)
    op.create_index(
        op.f("ix_dvdsapplication_victim_id"), "dvdsapplication", ["victim_id"], unique=False
    )
    op.create_table(
        "highriskreview",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("incident_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("assessment_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("officer", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("reviewer", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_by", sa.DateTime(timezone=True), nullable=False),
        sa.Column("level_before", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("decision", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("level_after", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actions", sa.JSON(), nullable=False),
        sa.Column("feedback", sa.Text(), nullable=False),
        sa.Column("escalate_to", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_highriskreview_assessment_id"), "highriskreview", ["assessment_id"], unique=False
    )
    op.create_index(
        op.f("ix_highriskreview_incident_id"), "highriskreview", ["incident_id"], unique=False
    )
    op.create_index(op.f("ix_highriskreview_officer"), "highriskreview", ["officer"], unique=False)
    op.create_table(
        "victimcontact",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("incident_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("due_key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("method", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("made_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_victimcontact_due_key"), "victimcontact", ["due_key"], unique=False)
    op.create_index(
        op.f("ix_victimcontact_incident_id"), "victimcontact", ["incident_id"], unique=False
    )
    op.create_index(op.f("ix_victimcontact_made_by"), "victimcontact", ["made_by"], unique=False)
    op.create_table(
        "dvdsstep",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("application_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("step", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["dvdsapplication.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_dvdsstep_application_id"), "dvdsstep", ["application_id"], unique=False
    )


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
