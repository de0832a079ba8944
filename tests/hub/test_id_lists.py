"""`in_ids`: a list of ids bound as one parameter selects exactly those rows, by the
column's index, on SQLite and PostgreSQL; the statement is the same for any list."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from firstresponse.hub.db import hub_engine
from firstresponse.hub.dialect import is_postgres
from firstresponse.hub.id_lists import IdList, in_ids, listed
from firstresponse.records import table_of
from firstresponse.records.hub import HubDevice

DEVICES = table_of(HubDevice)
QUERY = select(DEVICES.c.name).where(in_ids(DEVICES.c.id, "devices"), DEVICES.c.revoked_by == "")
WHEN = datetime(2026, 1, 1, tzinfo=UTC)


def test_the_listed_ids_select_their_rows_by_the_index(hub_target: str) -> None:
    engine = hub_engine(hub_target)
    try:
        with engine.begin() as conn:
            conn.execute(
                DEVICES.insert(),
                [
                    {"id": f"d{n}", "name": f"t{n}", "token_hash": f"h{n}", "created_by": "x"}
                    | {"created_at": WHEN, "revoked_by": "" if n != 7 else "AD4001"}
                    for n in range(30)
                ],
            )
        with engine.connect() as conn:
            for ids, names in (
                (["d3", "d7", "nobody"], ["t3"]),  # d7 is revoked
                ([], []),
                ([f"d{n}" for n in range(30)], sorted(f"t{n}" for n in range(30) if n != 7)),
                (["d1'); DROP TABLE hub_device; --"], []),
            ):
                found = conn.execute(QUERY, {"devices": listed(ids)}).scalars().all()
                assert sorted(found) == names
            compiled = QUERY.compile(conn)
            bound = IdList().process_bind_param(["d3"], conn.dialect)
            if is_postgres(engine):
                plan = conn.exec_driver_sql(
                    f"EXPLAIN {compiled}", {"devices": bound, "revoked_by_1": ""}
                ).all()
            else:
                plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", (bound, "")).all()
        shown = " ".join(str(row) for row in plan)
        assert "hub_device_pkey" in shown or "USING INDEX sqlite_autoindex_hub_device" in shown
        assert "= 1" not in str(compiled)  # a condition as it stands, not compared with true
    finally:
        engine.dispose()
