"""import-history killed half way (SIGKILL) and run again: finishes, adds nothing twice."""

from __future__ import annotations

import importlib.util
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from firstresponse.cli import main
from tests.conftest import REPO

TABLES = ("person", "personalias", "personmarker", "incident", "child", "protectiveorder")


def _extract_writer():  # bench/import_history.py's synthetic extract
    spec = importlib.util.spec_from_file_location("bench_import", REPO / "bench/import_history.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write_extract


def _counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        out = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        out["keys"] = conn.execute("SELECT count(DISTINCT person_id) FROM lookup_key").fetchone()[0]
        return out
    finally:
        conn.close()


def test_a_killed_import_resumes_and_adds_nothing_twice(tmp_path: Path) -> None:
    extract = tmp_path / "extract.csv"
    _extract_writer()(extract, 14_000)
    killed, clean = tmp_path / "killed.db", tmp_path / "clean.db"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    command = [sys.executable, "-m", "firstresponse", "import-history", str(extract)]
    proc = subprocess.Popen(
        [*command, "--db", str(killed)], stdout=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    for line in proc.stdout:  # wait until at least one chunk is committed, then kill
        if line.startswith("importing") and not line.split("]")[1].strip().startswith("0%"):
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = _counts(killed)
    assert partial["incident"] > 0
    assert main(["import-history", str(extract), "--db", str(killed)]) == 1  # it has bad rows
    assert main(["import-history", str(extract), "--db", str(clean)]) == 1
    resumed = _counts(killed)
    assert resumed == _counts(clean)
    assert resumed["incident"] > partial["incident"] and resumed["keys"] == resumed["person"]
    assert main(["import-history", str(extract), "--db", str(killed)]) == 1
    assert _counts(killed) == resumed
