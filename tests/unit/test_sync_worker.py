"""The sync worker and status: connected or not, counts, backoff while offline."""

from __future__ import annotations

import json
import random
import threading
import time

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


class WaitingHub:
    """A hub (httpx mock) that holds a pull with `wait` until `release` is set or the wait
    ends, then answers with `waiting_page`; every request is noted as (path, params)."""

    def __init__(self, holds: bool = True) -> None:
        self.holds = holds
        self.seen: list[tuple[str, dict[str, str]]] = []
        self.release = threading.Event()
        self.holding = threading.Event()
        self.timeouts: list[float] = []
        self.waiting_page = {"changes": [], "cursor": "0.5", "more": False}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params)
        self.seen.append((request.url.path, params))
        if request.url.path.endswith("/pull") and "wait" in params and self.holds:
            self.timeouts.append(float(request.extensions["timeout"]["read"]))
            self.holding.set()
            self.release.wait(float(params["wait"]))
            self.holding.clear()
            return httpx.Response(200, json=self.waiting_page)
        return hub_ok(request)

    def paths(self, ending: str) -> list[dict[str, str]]:
        return [params for path, params in self.seen if path.endswith(ending)]


def running(w: SyncWorker) -> tuple[threading.Event, threading.Thread]:
    stop = threading.Event()
    thread = threading.Thread(target=w.run, args=(stop,), daemon=True)
    thread.start()
    return stop, thread


def until(condition, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_between_syncs_the_worker_waits_on_the_hub_and_files_what_it_brings(
    store: Store, settings: Settings
) -> None:
    hub = WaitingHub()
    seen: list[SyncStatus] = []
    w = worker(store, settings, hub, seen)
    stop, thread = running(w)
    try:
        assert hub.holding.wait(10)  # after one full sync, a pull waits on the hub
        first, waiting = hub.paths("/pull")
        assert "wait" not in first and waiting["cursor"] == "0.5"
        assert 20 <= float(waiting["wait"]) <= 25 and hub.timeouts[0] > float(waiting["wait"])
        person = Person(forename="Dee", surname="Longpoll")
        hub.waiting_page = {
            "changes": [
                {
                    "cursor": "0.9",
                    "topic": "lookup",
                    "record_id": person.id,
                    "body": {"kind": "person", "record": person.model_dump(mode="json")},
                }
            ],
            "cursor": "0.9",
            "more": False,
        }
        users_before = len(hub.paths("/users"))
        hub.release.set()  # this stand-in answers every pull with the page until cleared
        assert until(lambda: w.status.pulled >= 1)
        hub.release.clear()
        assert until(lambda: hub.holding.is_set())  # and waits again from the new cursor
    finally:
        stop.set()
        hub.release.set()
        thread.join(5)
    with store.session() as db:
        assert db.get(Person, person.id) is not None
    assert hub.paths("/pull")[-1]["cursor"] == "0.9"
    assert len(hub.paths("/users")) == users_before  # filed without another full sync


def test_a_record_saved_while_the_pull_waits_is_pushed_at_once(
    store: Store, settings: Settings
) -> None:
    hub = WaitingHub()
    w = worker(store, settings, hub, [])
    stop, thread = running(w)
    try:
        assert hub.holding.wait(10)
        with store.session() as db:
            outbox.enqueue_record(db, Person(forename="Em", surname="Saved"))
        w.wake()
        assert until(lambda: hub.paths("/push"))
        assert hub.holding.is_set()  # pushed while the same pull still waits on the hub
        assert until(lambda: w.status.waiting == 0)
    finally:
        stop.set()
        hub.release.set()
        thread.join(5)
    assert not thread.is_alive()


def test_a_hub_that_answers_at_once_is_asked_on_the_interval_not_in_a_loop(
    store: Store, settings: Settings
) -> None:
    """A hub from before waiting pulls ignores `wait`: the worker falls back to asking it
    every sync_interval_seconds rather than asking again the moment it answers."""
    hub = WaitingHub(holds=False)
    w = worker(store, settings, hub, [])
    stop, thread = running(w)
    try:
        assert until(lambda: any("wait" in p for p in hub.paths("/pull")))
        time.sleep(1.5)
    finally:
        stop.set()
        thread.join(5)
    assert settings.sync_interval_seconds >= 2
    assert len(hub.paths("/pull")) <= 3  # one sync, one waiting pull answered at once
