"""`firstresponse hub` as an officer's terminal meets it: its own process, nothing warmed up."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from firstresponse.store import Store
from firstresponse.sync.push import push_outbox
from tests.hub.support import Hub, add_users, queue_cases

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def served(hub_target: str) -> Iterator[Hub]:
    """A hub database with users, served by the real command in a fresh process."""
    hub = Hub(hub_target)
    add_users(hub.engine)
    argv = [sys.executable, "-m", "firstresponse", "hub", "--db", hub_target]
    argv += ["--port", str(hub.port), "--log-level", "warning"]
    proc = subprocess.Popen(argv, cwd=REPO, env=dict(os.environ), stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{hub.url}/v1/health", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                assert proc.poll() is None, "the hub command exited"
                assert time.monotonic() < deadline, "the hub command did not start"
                time.sleep(0.1)
        yield hub
    finally:
        proc.terminate()
        proc.wait(10)
        hub.engine.dispose()


def test_the_hub_command_signs_an_officer_in_and_takes_a_push(served: Hub, tmp_path: Path) -> None:
    store = Store(tmp_path / "t.db")
    ids = queue_cases(store, 2, children=1)
    with served.client(served.enrol()) as client:
        assert client.whoami().collar == "PC2001"  # the first request the process serves
        assert push_outbox(store, client).accepted == len(ids)
    assert served.envelope_counts() == {i: 1 for i in ids}
