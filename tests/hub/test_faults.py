"""Faults on a real hub over loopback: after recovery every record is on the hub exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from sqlmodel import select

from firstresponse.records import OutboxItem
from firstresponse.store import Store, outbox
from firstresponse.sync.protocol import Envelope, PushRequest
from firstresponse.sync.push import envelope, push_outbox
from tests.hub.proxy import DroppingProxy
from tests.hub.support import PIN, Hub, queue_cases

REPO = Path(__file__).resolve().parents[2]


def statuses(store: Store) -> dict[str, int]:
    with store.session() as db:
        rows = db.exec(select(OutboxItem)).all()
    out: dict[str, int] = {}
    for row in rows:
        out[row.status] = out.get(row.status, 0) + 1
    return out


def test_connection_dropped_after_the_hub_stored_a_batch(hub: Hub, tmp_path: Path) -> None:
    store = Store(tmp_path / "t.db")
    ids = queue_cases(store, 20, children=1)  # 60 records
    proxy = DroppingProxy(hub.port, drop=1)
    token = hub.enrol()
    try:
        with hub.session_client(token, url=proxy.url) as client:
            first = push_outbox(store, client, batch_size=25)
        assert first.stopped and "unreachable" in first.stopped
        assert first.accepted == 0 and statuses(store) == {"pending": 60}
        assert len(hub.envelope_counts()) == 25  # the hub did store the batch it answered
        with store.session() as db:
            assert sum(row.attempts for row in db.exec(select(OutboxItem))) == 25
        with hub.session_client(token, url=proxy.url) as client:
            second = push_outbox(store, client, batch_size=25)
    finally:
        proxy.close()
    assert not second.stopped
    assert (second.accepted, second.duplicate) == (35, 25)
    assert statuses(store) == {"acknowledged": 60}
    assert hub.envelope_counts() == {i: 1 for i in ids}


def test_hub_restarted_mid_sync(hub: Hub, tmp_path: Path) -> None:
    store = Store(tmp_path / "t.db")
    ids = queue_cases(store, 200, children=1)  # 600 records, 30 batches
    token = hub.enrol()

    def stop_when_busy() -> None:
        deadline = time.monotonic() + 30
        while not hub.envelope_counts() and time.monotonic() < deadline:
            time.sleep(0.005)
        hub.stop()

    watcher = threading.Thread(target=stop_when_busy)
    watcher.start()
    with hub.client(token) as client:
        interrupted = push_outbox(store, client, batch_size=20)
    watcher.join()
    assert interrupted.stopped, "the hub went away mid-sync, so the run must stop early"
    assert statuses(store).get("pending", 0) > 0
    hub.start()
    with hub.client(token) as client:
        resumed = push_outbox(store, client, batch_size=20)
    assert not resumed.stopped
    assert statuses(store) == {"acknowledged": len(ids)}
    assert hub.envelope_counts() == {i: 1 for i in ids}


def _sync_process(store_path: Path, hub: Hub, token: str, tmp_path: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "FIRSTRESPONSE_CONFIG_DIR": str(tmp_path / "cfg"),
        "FIRSTRESPONSE_DATA_DIR": str(tmp_path / "data"),
        "FIRSTRESPONSE_HUB_URL": hub.url,
        "FIRSTRESPONSE_DEVICE_TOKEN": token,
        "FIRSTRESPONSE_PIN": PIN,
    }
    cmd = [
        sys.executable,
        "-m",
        "firstresponse",
        "--db",
        str(store_path),
        "sync",
        "--once",
        "--as",
        "PC2001",
    ]
    return subprocess.Popen(cmd, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_client_killed_during_a_push(hub: Hub, tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    store = Store(path)
    ids = queue_cases(store, 700, children=1)  # 2,100 records, 11 batches
    store.close()
    token = hub.enrol()
    proc = _sync_process(path, hub, token, tmp_path)
    deadline = time.monotonic() + 60
    while not hub.envelope_counts() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert proc.returncode == -signal.SIGKILL
    store = Store(path)  # the killed client's store opens cleanly
    assert statuses(store).get("pending", 0) > 0
    store.close()
    again = _sync_process(path, hub, token, tmp_path)
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, (out, err)
    assert b"synced " in out
    store = Store(path)
    assert statuses(store) == {"acknowledged": len(ids)}
    assert hub.envelope_counts() == {i: 1 for i in ids}


def test_the_same_batch_sent_twice_and_at_once(hub: Hub, tmp_path: Path) -> None:
    store = Store(tmp_path / "t.db")
    ids = queue_cases(store, 10, children=2)
    with store.session() as db:
        batch = PushRequest(envelopes=[envelope(i) for i in outbox.waiting(db)])
    body = batch.model_dump_json()
    headers = {**hub.headers(hub.enrol(), "PC2001"), "Content-Type": "application/json"}

    def send() -> list[str]:
        response = httpx.post(hub.url + "/v1/push", content=body, headers=headers, timeout=30)
        return [r["status"] for r in response.json()["results"]]

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: send(), range(4)))
    answers.append(send())
    per_item = list(zip(*answers, strict=True))
    assert all(sorted(set(item)) in (["accepted", "duplicate"], ["duplicate"]) for item in per_item)
    assert all(item.count("accepted") == 1 for item in per_item)
    assert hub.envelope_counts() == {i: 1 for i in ids}


def test_malformed_bodies_are_refused_and_lose_nothing(hub: Hub, tmp_path: Path) -> None:
    store = Store(tmp_path / "t.db")
    ids = queue_cases(store, 5, children=1)
    with store.session() as db:  # one row corrupted on disk
        row = outbox.waiting(db)[0]
        row.body = row.body[:-5]
        db.add(row)
        corrupt = row.record_id
    token = hub.enrol()
    headers = hub.headers(token, "PC2001")
    with httpx.Client(base_url=hub.url + "/v1", headers=headers) as http:
        for junk in (b"", b"[]", b'{"envelopes": 5}', b"\xff\xfe", b"{" * 5000):
            response = http.post(
                "/push", content=junk, headers={"Content-Type": "application/json"}
            )
            assert response.status_code == 422, junk[:20]
        tampered = Envelope(
            id="x-1",
            kind="person",
            content_hash="a" * 64,
            body={"id": "x-1", "forename": "A", "surname": "B"},
        )
        reply = http.post("/push", json=PushRequest(envelopes=[tampered]).model_dump())
        assert reply.json()["results"][0]["status"] == "rejected"
    with hub.client(token) as client:
        report = push_outbox(store, client)
    assert report.quarantined == 1 and not report.stopped
    with store.session() as db:
        [bad] = outbox.quarantined(db)
        assert bad.record_id == corrupt and "not valid JSON" in bad.last_error
    counts = hub.envelope_counts()
    # Its incident is held on the hub waiting for it, and shown so; the corrupt row stays
    # quarantined with its reason for a person to look at (it is not resent on its own).
    assert counts == {i: 1 for i in ids if i != corrupt}
    assert json.loads(httpx.get(hub.url + "/v1/health").text)["status"] == "ok"
