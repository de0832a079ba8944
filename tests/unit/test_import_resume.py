"""import-history killed half way (SIGKILL) and run again: finishes, adds nothing twice."""

from __future__ import annotations

import importlib.util
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

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


def _keyless(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        sql = "SELECT count(*) FROM person p WHERE NOT EXISTS"
        sql += " (SELECT 1 FROM lookup_key k WHERE k.person_id = p.id)"
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


def test_a_large_import_files_new_people_last_and_a_rerun_finishes_the_filing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from firstresponse.history import job
    from firstresponse.store import Store

    monkeypatch.setattr(job, "FILE_AT_END", 100)  # "large": 100 incidents or more to write
    monkeypatch.setattr(job, "CHUNK", 500)
    extract = tmp_path / "extract.csv"
    _extract_writer()(extract, 3_000)
    stopped, clean = Store(tmp_path / "stopped.db"), Store(tmp_path / "clean.db")

    def stop_after_a_chunk(done: int, total: int) -> None:
        if 0 < done < total:
            raise KeyboardInterrupt

    def stop_at_the_last_step(_: str) -> None:
        raise KeyboardInterrupt

    for stop in ({"progress": stop_after_a_chunk}, {"step": stop_at_the_last_step}):
        with pytest.raises(KeyboardInterrupt):
            job.run_import(stopped, extract, **stop)  # type: ignore[arg-type]
        counts = _counts(stopped.path)
        assert counts["person"] > 0 and counts["keys"] == 0  # written, not yet searchable
    result = job.run_import(stopped, extract)
    assert result.resumed_from > 0 and _keyless(stopped.path) == 0
    job.run_import(clean, extract)
    assert _counts(stopped.path) == _counts(clean.path)
    stopped.close()
    clean.close()
