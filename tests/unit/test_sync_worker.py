"""The sync worker and status: connected or not, counts, backoff while offline."""

from __future__ import annotations

import json
import random
import threading

import httpx

from firstresponse.config import Settings
from firstresponse.records import Person
from firstresponse.store import Store, outbox
from firstresponse.sync.backoff import Backoff
from firstresponse.sync.client import Credentials, HubClient
from firstresponse.sync.status import SyncStatus
from firstresponse.sync.worker import SyncWorker

SIGNED_IN = {
    "token": "session-token",
    "expires_at": "2030-01-01T00:00:00+00:00",
    "idle_seconds": 7200,
    "user": {
        "collar": "PC2001",
        "name": "x",
        "role": "responder",
        "team": "A",
        "active": True,
        "locked": False,
        "pin_stamp": "s",
    },
}
SEEN_HEADERS: list[tuple[str, httpx.Headers]] = []


def hub_ok(request: httpx.Request) -> httpx.Response:
    SEEN_HEADERS.append((request.url.path, request.headers))
    path = request.url.path
    if path.endswith("/sessions"):
        return httpx.Response(200, json=SIGNED_IN)
    if path.endswith("/health"):
        return httpx.Response(200, json={"status": "ok"})
    if path.endswith("/users"):
        return httpx.Response(200, json={"users": []})
    if path.endswith("/held"):
        return httpx.Response(200, json={"held": []})
    if path.endswith("/roster"):
        return httpx.Response(200, json={"officers": [], "digest": "0" * 64})
    if path.endswith("/pull"):
        return httpx.Response(200, json={"changes": [], "cursor": "0.5", "more": False})
    envelopes = json.loads(request.content)["envelopes"]
    return httpx.Response(
        200,
        json={
            "results": [
                {"id": e["id"], "version": e["version"], "status": "accepted", "code": 200}
                for e in envelopes
            ]
        },
    )


def hub_down(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("no route to hub")


def worker(store: Store, settings: Settings, handler, seen: list[SyncStatus]) -> SyncWorker:
    return SyncWorker(
        store,
        settings,
        Credentials("PC2001", "1234"),
        on_status=seen.append,
        client_factory=lambda: HubClient(
            "http://hub.test",
            "t",
            Credentials("PC2001", "1234"),
            transport=httpx.MockTransport(handler),
        ),
        backoff=Backoff(base=1, cap=8, rng=random.Random(3)),
    )


def test_offline_then_online(store: Store, settings: Settings) -> None:
    with store.session() as db:
        outbox.enqueue_record(db, Person(forename="Jo", surname="Status"))
    seen: list[SyncStatus] = []
    w = worker(store, settings, hub_down, seen)
    delays = [w.step() for _ in range(3)]
    assert [s.connected for s in seen] == [False] * 3
    assert seen[-1].waiting == 1 and "no route" in seen[-1].last_error
    assert seen[-1].label.startswith("offline since ") and seen[-1].label.endswith(" · 1 waiting")
    assert seen[0].offline_since == seen[-1].offline_since  # since the first failure
    assert delays[0] <= 1 < delays[2] <= 4  # growing, jittered
    w._factory = worker(store, settings, hub_ok, seen)._factory
    w._client = None  # as if the hub came back on a fresh connection
    SEEN_HEADERS.clear()
    assert w.step() == settings.sync_interval_seconds
    assert (seen[-1].connected, seen[-1].waiting, seen[-1].last_error) == (True, 0, "")
    assert seen[-1].label.startswith("synced ") and seen[-1].label.endswith(" · 0 waiting")
    assert all("x-pin" not in headers for _, headers in SEEN_HEADERS)
    synced = [
        h for path, h in SEEN_HEADERS if path.endswith(("/push", "/pull", "/roster", "/held"))
    ]
    assert synced and all(h.get("x-session") == "session-token" for h in synced)


def test_retry_delays_stay_short_while_the_hub_is_away(store: Store, settings: Settings) -> None:
    from firstresponse.sync.worker import RETRY_CAP

    w = SyncWorker(store, settings, None)
    for _ in range(30):
        assert w.backoff.next_delay() <= RETRY_CAP <= 15


def test_run_stops_when_told(store: Store, settings: Settings) -> None:
    seen: list[SyncStatus] = []
    stop = threading.Event()
    w = worker(store, settings, hub_ok, seen)
    w.on_status = lambda status: (seen.append(status), stop.set())
    thread = threading.Thread(target=w.run, args=(stop,))
    thread.start()
    thread.join(5)
    assert not thread.is_alive() and seen and seen[0].connected


def test_not_enrolled_is_reported_not_raised(store: Store, settings: Settings) -> None:
    settings.hub_url = "http://hub.test"
    seen: list[SyncStatus] = []
    w = SyncWorker(store, settings, Credentials("PC2001", "1234"), on_status=seen.append)
    w.step()
    assert seen[0].auth_failed and "enrol" in seen[0].last_error
