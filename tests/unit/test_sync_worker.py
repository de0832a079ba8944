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


def hub_ok(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith("/pull"):
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
        outbox.enqueue_record(db, "person", Person(forename="Jo", surname="Status"))
    seen: list[SyncStatus] = []
    w = worker(store, settings, hub_down, seen)
    delays = [w.step() for _ in range(3)]
    assert [s.connected for s in seen] == [False] * 3
    assert seen[-1].waiting == 1 and "no route" in seen[-1].last_error
    assert seen[-1].label.startswith("offline · 1 waiting")
    assert delays[0] <= 1 < delays[2] <= 4  # growing, jittered
    w._factory = worker(store, settings, hub_ok, seen)._factory
    assert w.step() == settings.sync_interval_seconds
    assert (seen[-1].connected, seen[-1].waiting, seen[-1].last_error) == (True, 0, "")
    assert seen[-1].label == "online · 0 waiting"


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
