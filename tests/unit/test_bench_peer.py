"""bench/pouch_peer.py: what the peer is sent and how it is run (no node needed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from firstresponse.sync.protocol import Envelope

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def peer(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.syspath_prepend(str(REPO / "bench"))
    import pouch_peer

    return pouch_peer


def envelope(version: int = 1, digest: str = "ab" * 32) -> Envelope:
    return Envelope(
        id="01JBENCHPERSON0000000000001",
        kind="person",
        version=version,
        content_hash=digest,
        body={"forename": "Bench", "surname": "Victim1"},
        author="PC9000",
    )


def test_bulk_docs_are_replication_writes_a_resend_repeats_exactly(peer) -> None:
    sent = json.loads(peer.bulk_docs([envelope()]))
    assert sent["new_edits"] is False  # the revision is given: a resend is a no-op
    (doc,) = sent["docs"]
    assert doc["_id"] == "01JBENCHPERSON0000000000001"
    assert doc["_rev"] == "1-" + "ab" * 16
    assert doc["body"] == {"forename": "Bench", "surname": "Victim1"}
    assert (doc["kind"], doc["version"], doc["author"]) == ("person", 1, "PC9000")
    assert json.loads(peer.bulk_docs([envelope()])) == sent
    newer = json.loads(peer.bulk_docs([envelope(2, "cd" * 32)]))["docs"][0]
    assert newer["_rev"] == "2-" + "cd" * 16


def test_the_preload_makes_every_leveldb_write_synchronous(peer, tmp_path: Path) -> None:
    script = tmp_path / "node_modules" / "pouchdb-server" / "bin" / "pouchdb-server"
    script.parent.mkdir(parents=True)
    script.write_text("")  # installed already: npm is not run
    assert peer.install(tmp_path) == script
    preload = (tmp_path / "fsync.js").read_text()
    for write in ("'_put', 2", "'_del', 1", "'_batch', 1", "'_write', 0"):
        assert write in preload
    assert "sync: true" in preload


def test_without_node_the_bench_says_so_and_skips_the_peer(peer, tmp_path: Path) -> None:
    env = {**os.environ, "PATH": str(tmp_path)}  # neither node nor npm
    run = subprocess.run(
        [sys.executable, "bench/sync.py", "--part", "peer", "--peer", "pouchdb"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "[SQLite] peer: skipped, node and npm not found" in run.stdout
