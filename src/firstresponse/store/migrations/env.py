"""Alembic environment: the engine comes from `store.migrate`, never from a URL in a file.

The schema Alembic compares a database with is every table `firstresponse.records`
declares that belongs on the database's role (`store.migrate.belongs`).
"""

from __future__ import annotations

from alembic import context

from firstresponse.store.migrate import compare_options, migrating_for, target_metadata

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=target_metadata(),
        render_as_batch=True,
        **compare_options(migrating_for()),
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
