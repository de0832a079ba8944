"""The pull feed, typed (`sync.feed`), sends each entry's body exactly as the hub stored
it: terminals of every release read the same bytes, and a body a newer hub extends keeps
what this release does not know."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from sqlmodel import select

from firstresponse.hub.db import transaction
from firstresponse.records.hub import HubChange
from firstresponse.store import Store
from firstresponse.sync.feed import (
    AssignmentChange,
    BatchBody,
    BriefingChange,
    LookupChange,
    RecordBody,
    change,
)
from firstresponse.sync.push import push_outbox
from tests.hub.support import Hub
from tests.hub.test_pull import dispatch


def _raw_pull(hub: Hub, token: str, collar: str) -> list[dict[str, object]]:
    response = httpx.get(
        f"{hub.url}/v1/pull", params={"limit": 500}, headers=hub.headers(token, collar)
    )
    response.raise_for_status()
    return json.loads(response.text)["changes"]  # type: ignore[no-any-return]


def test_every_body_reaches_the_terminal_as_the_hub_stored_it(hub: Hub, tmp_path: Path) -> None:
    control = Store(tmp_path / "control.db")
    dispatch(control, "PC2001")
    with hub.client(hub.enrol(), "CH1001") as client:
        assert push_outbox(control, client).accepted == 4
    with transaction(hub.engine, read_only=True) as db:
        stored = {f"{row.txid}.{row.seq}": row.body for row in db.exec(select(HubChange))}
    seen = {}
    for collar in ("PC2001", "CH1001"):
        for entry in _raw_pull(hub, hub.enrol(), collar):
            body = json.dumps(entry["body"], separators=(",", ":"), ensure_ascii=False)
            seen[entry["topic"]] = True
            assert body == stored[str(entry["cursor"])]
    assert set(seen) == {"briefing", "assignment", "lookup"}


def test_each_topic_has_its_body() -> None:
    record = {"id": "r1", "victim_id": "p1"}
    assert isinstance(change("1.1", "briefing", "a", {"incident": record}), BriefingChange)
    assigned = change("1.2", "assignment", "a", {"assignment": record})
    assert isinstance(assigned, AssignmentChange)
    one = change("1.3", "lookup", "r1", {"kind": "incident", "record": record})
    assert isinstance(one, LookupChange) and isinstance(one.body, RecordBody)
    batch = change("1.4", "lookup", "b", {"kind": "batch", "records": [{"kind": "incident"}]})
    assert isinstance(batch.body, BatchBody) and isinstance(batch.body.records[0], RecordBody)


def test_a_body_keeps_what_a_newer_hub_adds_and_adds_nothing() -> None:
    sent = {"kind": "order", "record": {"id": "o1"}, "priority": {"new": [1, 2]}}
    entry = change("1.1", "lookup", "o1", sent)
    assert json.loads(entry.body.model_dump_json()) == sent  # no defaults added
    old_hub = change("1.2", "briefing", "a", {"incident": None})  # no versions told
    assert old_hub.body.versions == {} and old_hub.body.model_dump() == {"incident": None}
