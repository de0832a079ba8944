"""`firstresponse hub` as an officer's terminal meets it: its own process, nothing warmed up."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from firstresponse.store import Store
from firstresponse.sync.push import push_outbox
from tests.hub.support import Hub, add_users, hub_process, queue_cases


@pytest.fixture
def served(hub_target: str) -> Iterator[Hub]:
    """A hub database with users, served by the real command in a fresh process."""
    hub = Hub(hub_target)
    add_users(hub.engine)
    try:
        with hub_process(hub_target, hub.port, start_within=30):
            yield hub
    finally:
        hub.engine.dispose()


def test_the_hub_command_signs_an_officer_in_and_takes_a_push(served: Hub, tmp_path: Path) -> None:
    store = Store(tmp_path / "t.db")
    ids = queue_cases(store, 2, children=1)
    with served.client(served.enrol()) as client:
        assert client.whoami().collar == "PC2001"  # the first request the process serves
        assert push_outbox(store, client).accepted == len(ids)
    assert served.envelope_counts() == {i: 1 for i in ids}
