"""Alembic environment: the engine comes from `store.migrate`, never from a URL in a file."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import firstresponse.records  # noqa: F401

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
