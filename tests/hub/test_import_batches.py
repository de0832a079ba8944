"""A force's history on the hub reaches terminals in batches (`hub.history_import`): a
control-room terminal pulling an import of many chunks files every record exactly once,
a resend changes nothing, and a restricted incident goes only where restricted records may."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from firstresponse.cli import main
from firstresponse.history import job
from firstresponse.hub import history_import
from firstresponse.hub.db import transaction
from firstresponse.records import Child, Incident, Person, PersonMarker, ProtectiveOrder
from firstresponse.store import Store
from firstresponse.sync.client import HubClient
from firstresponse.sync.feed import BatchBody, Change, RecordBody
from firstresponse.sync.protocol import PullResponse
from firstresponse.sync.pull import file_page
from tests.hub.support import Hub
from tests.unit.test_import_history import HEADER, csv_row

TABLES = (Person, PersonMarker, Incident, Child, ProtectiveOrder)
RESTRICTED_REF = "WM24/105"


def _extract(path: Path) -> None:
    """Twelve incidents of one victim (who recurs in every chunk), each with its own
    suspect and a child, every other one with an order; one restricted, with an order."""
    victim = {"role": "victim", "person_ref": "P1", "forename": "Nadia", "surname": "Quill",
              "dob": "1990-02-03", "markers": "repeat_victim",
              "relationship": "ex_partner"}  # fmt: skip
    rows = []
    for n in range(100, 112):
        incident = {"incident_ref": f"WM24/{n}", "occurred_at": f"2024-01-{n - 90:02d} 21:30"}
        if incident["incident_ref"] == RESTRICTED_REF:
            incident["restricted"] = "yes"
        order = {"order_kind": "warrant", "order_starts": "2024-07-01"} if n % 2 else {}
        rows += [
            csv_row(**incident, **victim),
            csv_row(
                **incident,
                role="suspect",
                person_ref=f"S{n}",
                forename="Owen",
                surname=f"Trask{chr(65 + n - 100)}",
                dob="1987-11-30",
                markers="violence",
                **order,
            ),
            csv_row(
                **incident,
                role="child",
                person_ref=f"C{n}",
                forename="Ella",
                surname=f"Quill{chr(65 + n - 100)}",
                dob="2019-05-05",
            ),
        ]
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")


def _held(db: Any) -> dict[str, set[str]]:
    """The ids of every imported kind a database holds, by table."""
    return {
        str(model.__tablename__): set(db.exec(select(model.id)).all())  # type: ignore[attr-defined]
        for model in TABLES
    }


def _on_hub(hub: Hub) -> dict[str, set[str]]:
    with transaction(hub.engine) as db:
        return _held(db)


def _in_store(store: Store) -> dict[str, set[str]]:
    with store.session() as db:
        return _held(db)


def _pull_all(client: HubClient) -> list[Change]:
    changes, cursor = [], ""
    while True:
        page = client.pull(cursor, limit=3)
        changes += page.changes
        cursor = page.cursor
        if not page.more:
            return changes


def _carried(changes: list[Change]) -> Counter[str]:
    """How many times the entries carry each record (not counting people carried along)."""
    found: Counter[str] = Counter()
    for change in changes:
        body = change.body
        items = body.records if isinstance(body, BatchBody) else [body]
        found.update(
            item.record["id"] for item in items if isinstance(item, RecordBody) and item.record
        )
    return found


def test_a_multi_chunk_import_is_filed_once_and_restricted_stays_restricted(
    hub: Hub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(job, "CHUNK", 3)  # four chunks of three incidents
    monkeypatch.setattr(history_import, "BATCH", 4)  # several batches a chunk
    extract = tmp_path / "extract.csv"
    _extract(extract)
    assert main(["import-history", str(extract), "--hub-db", hub.target]) == 0
    on_hub = _on_hub(hub)
    assert {table: len(ids) for table, ids in on_hub.items()} == {
        "person": 25, "personmarker": 25, "incident": 12, "child": 12, "protectiveorder": 6,
    }  # fmt: skip
    with transaction(hub.engine) as db:
        restricted = db.exec(select(Incident).where(Incident.reference == RESTRICTED_REF)).one()
        hidden = {
            restricted.id,
            *db.exec(select(Child.id).where(Child.incident_id == restricted.id)).all(),
            *db.exec(
                select(ProtectiveOrder.id).where(ProtectiveOrder.incident_id == restricted.id)
            ).all(),
        }
    assert restricted.restricted and len(hidden) == 3

    token = hub.enrol()
    with hub.client(token, "CH1001") as client:
        changes = _pull_all(client)
    assert 1 < len(changes) < sum(len(ids) for ids in on_hub.values()) / 3  # batches
    carried = _carried(changes)
    everything = set().union(*on_hub.values())
    assert set(carried) == everything - hidden  # a call handler may not see restricted
    assert set(carried.values()) == {1}  # each record sent once
    store = Store(tmp_path / "control-room.db")
    try:
        for start in range(0, len(changes), 3):  # filed a page at a time, then all again
            page = changes[start : start + 3]
            with store.session() as db:
                file_page(db, _page(page), "pull")
        first = _in_store(store)
        with store.session() as db:
            file_page(db, _page(changes), "pull")  # a resend changes nothing
        assert _in_store(store) == first
        assert first == {table: ids - hidden for table, ids in on_hub.items()}
    finally:
        store.close()

    with hub.client(token, "PC2001") as client:  # a responder is sent none of the history
        assert not set(_carried(_pull_all(client))) & everything
    with hub.client(token, "SG3001") as client:  # a supervisor everything, once
        carried = _carried(_pull_all(client))
        assert set(carried) == everything and set(carried.values()) == {1}


def _page(changes: list[Change]) -> PullResponse:
    return PullResponse(changes=changes, cursor=changes[-1].cursor, more=False)


def test_an_import_stopped_mid_chunk_resumes_and_sends_nothing_twice(
    hub: Hub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stopped in its third chunk after that chunk's batches were made (not committed):
    the rerun carries on, and every record is on the feed exactly once."""
    monkeypatch.setattr(job, "CHUNK", 3)
    monkeypatch.setattr(history_import, "BATCH", 4)
    extract = tmp_path / "extract.csv"
    _extract(extract)
    chunks = 0
    to_feed = history_import.to_feed

    def stopped_in_third(db: Any, written: Any) -> None:
        nonlocal chunks
        to_feed(db, written)
        chunks += 1
        if chunks == 3:
            raise KeyboardInterrupt  # as Ctrl-C would, before the chunk commits

    monkeypatch.setattr(history_import, "to_feed", stopped_in_third)
    with pytest.raises(KeyboardInterrupt):
        history_import.import_onto_hub(hub.engine, extract)
    monkeypatch.setattr(history_import, "to_feed", to_feed)
    result = history_import.import_onto_hub(hub.engine, extract)
    assert result.resumed_from == 6  # two chunks of three incidents were committed
    with hub.client(hub.enrol(), "SG3001") as client:
        carried = _carried(_pull_all(client))
    everything = set().union(*_on_hub(hub).values())
    assert len(everything) == 25 + 25 + 12 + 12 + 6
    assert set(carried) == everything and set(carried.values()) == {1}
