"""The push loop against a scripted hub (httpx MockTransport): what is acknowledged, when."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest
from sqlmodel import select

from firstresponse.records import Incident, OutboxItem, Person
from firstresponse.store import Store, outbox
from firstresponse.sync.client import HubClient, SessionToken
from firstresponse.sync.push import push_outbox

Handler = Callable[[httpx.Request], httpx.Response]


def client(handler: Handler) -> HubClient:
    return HubClient(
        "http://hub.test",
        "token",
        SessionToken("PC2001", "session-token"),
        transport=httpx.MockTransport(handler),
    )


def answer(request: httpx.Request, status_for: Callable[[dict], str] = lambda e: "accepted"):
    envelopes = json.loads(request.content)["envelopes"]
    results = []
    for env in envelopes:
        status = status_for(env)
        item = {
            "id": env["id"],
            "version": env["version"],
            "status": status,
            "code": {"conflict": 409, "rejected": 422}.get(status, 200),
        }
        if status == "conflict":
            item["reason"] = "different content"
            item["hub_copy"] = {**env, "body": {**env["body"], "summary": "hub's"}}
        if status == "rejected":
            item["reason"] = "reference: missing"
        results.append(item)
    return httpx.Response(200, json={"results": results})


def queue(store: Store, n: int) -> list[str]:
    ids = []
    with store.session() as db:
        for i in range(n):
            person = Person(forename="Lee", surname=f"Unit{i}")
            outbox.enqueue_record(db, person)
            db.flush()
            incident = Incident(
                reference=f"U-{i}", occurred_at=datetime.now(UTC), victim_id=person.id
            )
            priority = outbox.PRIORITY_HIGH_RISK if i == n - 1 else outbox.PRIORITY_NORMAL
            outbox.enqueue_record(db, incident, priority=priority)
            ids += [person.id, incident.id]
    return ids


def rows(store: Store) -> list[OutboxItem]:
    with store.session() as db:
        return list(db.exec(select(OutboxItem)))


def test_acknowledged_only_after_the_hub_answers(store: Store) -> None:
    ids = queue(store, 3)
    sent: list[list[str]] = []

    def hub(request: httpx.Request) -> httpx.Response:
        sent.append([e["id"] for e in json.loads(request.content)["envelopes"]])
        return answer(request)

    report = push_outbox(store, client(hub), batch_size=4)
    assert (report.sent, report.accepted, report.stopped) == (6, 6, "")
    assert sent[0][:2] == ids[-2:]  # the high-risk incident goes first, after its victim
    assert {r.status for r in rows(store)} == {"acknowledged"}


@pytest.mark.parametrize(
    ("failure", "auth"),
    [
        (httpx.ConnectError("refused"), False),
        (httpx.ReadTimeout("slow"), False),
        (httpx.Response(503, json={"detail": "db down"}), False),
        (httpx.Response(401, json={"detail": "device token unknown or revoked"}), True),
    ],
)
def test_network_or_auth_failure_stops_and_keeps_everything_pending(
    store: Store, failure: object, auth: bool
) -> None:
    queue(store, 3)
    calls = 0

    def hub(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if calls == 1:
            return answer(request)
        if isinstance(failure, Exception):
            raise failure
        return failure  # type: ignore[return-value]

    report = push_outbox(store, client(hub), batch_size=2)
    assert calls == 2 and report.stopped and report.auth_failed is auth
    statuses = sorted(r.status for r in rows(store))
    assert statuses == ["acknowledged"] * 2 + ["pending"] * 4
    assert {r.attempts for r in rows(store) if r.status == "pending"} == {0, 1}


def test_rejections_and_conflicts_are_quarantined_and_the_rest_go_on(store: Store) -> None:
    ids = queue(store, 3)
    bad, clash = ids[0], ids[2]

    def hub(request: httpx.Request) -> httpx.Response:
        return answer(
            request, lambda e: {bad: "rejected", clash: "conflict"}.get(e["id"], "accepted")
        )

    report = push_outbox(store, client(hub), batch_size=10)
    assert (report.accepted, report.quarantined) == (4, 2)
    with store.session() as db:
        reasons = {row.record_id: row.last_error for row in outbox.quarantined(db)}
    assert "reference: missing" in reasons[bad]
    assert "conflict (409)" in reasons[clash] and "hub's" in reasons[clash]


def test_a_batch_refused_whole_is_retried_item_by_item(store: Store) -> None:
    ids = queue(store, 2)

    def hub(request: httpx.Request) -> httpx.Response:
        envelopes = json.loads(request.content)["envelopes"]
        if any(e["id"] == ids[1] for e in envelopes):
            return httpx.Response(422, json={"detail": "body.occurred_at: invalid"})
        return answer(request)

    report = push_outbox(store, client(hub), batch_size=10)
    assert (report.accepted, report.quarantined) == (3, 1)
    with store.session() as db:
        [row] = outbox.quarantined(db)
    assert row.record_id == ids[1] and "occurred_at" in row.last_error


def test_a_corrupt_row_is_quarantined_locally_and_never_sent(store: Store) -> None:
    ids = queue(store, 1)
    with store.session() as db:
        row = db.exec(select(OutboxItem).where(OutboxItem.record_id == ids[0])).one()
        row.body = "{broken"
        db.add(row)
    seen: list[str] = []

    def hub(request: httpx.Request) -> httpx.Response:
        seen.extend(e["id"] for e in json.loads(request.content)["envelopes"])
        return answer(request)

    report = push_outbox(store, client(hub))
    assert seen == [ids[1]] and report.quarantined == 1
