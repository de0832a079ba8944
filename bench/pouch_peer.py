"""The sync peer for bench/sync.py: pouchdb-server 4.2 with every LevelDB write fsynced.

pouchdb-server speaks CouchDB's replication protocol (an idempotent `_bulk_docs`, a changes
feed) but authorises nothing by content and keeps no record tables or person index. It is
installed with npm into the bench cache (outside the repository; `FIRSTRESPONSE_BENCH_CACHE`
or the user cache folder) the first time, and run as `node -r fsync.js`: the preload sets
`sync: true` on every LevelDB put, delete and batch, so an acknowledged write has reached
the disk as the hub's has. Its count of fsynced writes is read back after each run.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from firstresponse.sync.protocol import Envelope

VERSION = "4.2"

PRELOAD = """\
// Written by bench/pouch_peer.py: every LevelDB write of this process is fsynced.
const path = require('path');
const here = path.join(__dirname, 'node_modules', 'leveldown');
const LevelDOWN = require(here);
const ChainedBatch = require(path.join(here, 'chained-batch.js'));
let writes = 0;
function fsynced(proto, name, at) {
  const original = proto[name];
  proto[name] = function (...args) {
    args[at] = Object.assign({}, args[at], { sync: true });
    writes += 1;
    return original.apply(this, args);
  };
}
fsynced(LevelDOWN.prototype, '_put', 2);
fsynced(LevelDOWN.prototype, '_del', 1);
fsynced(LevelDOWN.prototype, '_batch', 1);
fsynced(ChainedBatch.prototype, '_write', 0);
const report = () => {
  require('fs').writeFileSync(process.env.FSYNC_COUNT_FILE, String(writes));
  process.exit(0);
};
process.on('SIGINT', report);
process.on('SIGTERM', report);
"""


def cache_dir() -> Path:
    import platformdirs

    root = os.environ.get("FIRSTRESPONSE_BENCH_CACHE") or platformdirs.user_cache_dir(
        "firstresponse"
    )
    return Path(root) / "bench" / "pouchdb-server"


def missing_tools() -> str:
    """Why the peer cannot run here ('' when node and npm are on PATH)."""
    absent = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    return f"{' and '.join(absent)} not found" if absent else ""


def install(folder: Path) -> Path:
    """pouchdb-server VERSION in `folder` (npm, once); returns its start script."""
    script = folder / "node_modules" / "pouchdb-server" / "bin" / "pouchdb-server"
    if not script.exists():
        print(f"installing pouchdb-server {VERSION} with npm into {folder} (once)", flush=True)
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", f"pouchdb-server@{VERSION}"],
            cwd=folder,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    (folder / "fsync.js").write_text(PRELOAD, encoding="utf-8")
    return script


def revision(item: Envelope) -> str:
    """A CouchDB revision for this record version: `version-hash`, stable across resends."""
    return f"{item.version}-{item.content_hash[:32]}"


def bulk_docs(envelopes: list[Envelope]) -> str:
    """`_bulk_docs` body for these envelopes, written as replication writes them
    (`new_edits: false`, the revision given), so a resend is a no-op, never a conflict."""
    import orjson

    docs = [
        {"_id": e.id, "_rev": revision(e), **e.model_dump(mode="json", exclude={"id"})}
        for e in envelopes
    ]
    return orjson.dumps({"docs": docs, "new_edits": False}).decode()


class PouchPeer:
    """pouchdb-server on 127.0.0.1 with its databases in a temporary folder."""

    def __init__(self, folder: Path, port: int) -> None:
        self.script = install(folder)
        self.folder = folder
        self.data = Path(tempfile.mkdtemp(prefix="fr-pouch-"))
        self.count_file = self.data / "fsynced-writes"
        self.url = f"http://127.0.0.1:{port}"
        argv = ["node", "-r", str(folder / "fsync.js"), str(self.script)]
        argv += ["--port", str(port), "--host", "127.0.0.1", "--dir", str(self.data)]
        self.proc = subprocess.Popen(
            [*argv, "--no-stdout-logs"],
            cwd=self.data,
            env={**os.environ, "FSYNC_COUNT_FILE": str(self.count_file)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("pouchdb-server did not start")

    def fresh_database(self) -> str:
        """A new, empty database; returns its path for `_bulk_docs`."""
        name = f"bench-{uuid.uuid4().hex[:10]}"
        httpx.put(f"{self.url}/{name}", timeout=30).raise_for_status()
        return f"/{name}/_bulk_docs"

    def doc_count(self, bulk_path: str) -> int:
        database = bulk_path.removesuffix("/_bulk_docs")
        return int(httpx.get(self.url + database, timeout=30).json()["doc_count"])

    def stop(self) -> int:
        """Stop the server; returns how many LevelDB writes it fsynced."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        written = int(self.count_file.read_text()) if self.count_file.exists() else 0
        shutil.rmtree(self.data, ignore_errors=True)
        return written


def check_answer(answer: httpx.Response) -> None:
    """Raise unless `_bulk_docs` stored every document (201, no item in error)."""
    answer.raise_for_status()
    failed = [item for item in answer.json() if "error" in item]
    if failed:
        raise RuntimeError(f"pouchdb-server refused {len(failed)} documents: {failed[:2]}")
