"""`firstresponse devices` and `firstresponse sync --once` against a real hub."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from firstresponse.cli import main
from firstresponse.store import Store
from tests.hub.support import PIN, Hub, queue_cases


def test_enrol_list_revoke_then_sync_is_refused(
    hub: Hub, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FIRSTRESPONSE_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("FIRSTRESPONSE_PIN", PIN)
    db = ["--hub-db", hub.target]
    assert main(["devices", "enrol", "MDT-9", "--as", "AD4001", *db]) == 0
    token = capsys.readouterr().out.strip().splitlines()[1]  # the line after "shown once"
    assert main(["devices", "enrol", "MDT-9", "--as", "PC2001", *db]) == 1
    assert "may not manage devices" in capsys.readouterr().err

    store_path = tmp_path / "t.db"
    store = Store(store_path)
    ids = queue_cases(store, 2)
    store.close()
    monkeypatch.setenv("FIRSTRESPONSE_HUB_URL", hub.url)
    monkeypatch.setenv("FIRSTRESPONSE_DEVICE_TOKEN", token)
    sync = ["--db", str(store_path), "sync", "--once", "--as", "PC2001"]
    assert main(sync) == 0
    assert "synced " in (out := capsys.readouterr().out) and "· 0 waiting" in out
    assert hub.envelope_counts() == {i: 1 for i in ids}

    assert main(["devices", "revoke", "MDT-9", "--as", "AD4001", *db]) == 0
    assert main(["devices", "list", "--json", "--as", "AD4001", "--db", hub.target]) == 0
    listed = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert [(d["name"], bool(d["revoked"])) for d in listed] == [("MDT-9", True)]
    store = Store(store_path)
    queue_cases(store, 1)
    store.close()
    assert main(sync) == 3
    assert "revoked" in capsys.readouterr().out
