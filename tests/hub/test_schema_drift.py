"""A hub's database the migrations made is exactly what `firstresponse.records` declares
for a hub, on SQLite and on PostgreSQL."""

from __future__ import annotations

from firstresponse.hub.db import hub_engine
from firstresponse.store.migrate import schema_drift


def test_a_new_hub_database_is_what_the_tables_declare(hub_target: str) -> None:
    engine = hub_engine(hub_target)
    try:
        assert schema_drift(engine, "hub") == []
    finally:
        engine.dispose()
