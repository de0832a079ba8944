from __future__ import annotations

from pathlib import Path

from firstresponse.store import Store
from firstresponse.sync.push import push_outbox
from tests.hub.support import Hub, queue_cases


def test_push_then_resend(hub: Hub, tmp_path: Path) -> None:
    store = Store(tmp_path / "t.db")
    ids = queue_cases(store, 3, children=2)
    with hub.client(hub.enrol()) as client:
        report = push_outbox(store, client)
    assert report.accepted == len(ids), report
    assert hub.envelope_counts() == {i: 1 for i in ids}
