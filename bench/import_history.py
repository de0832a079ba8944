"""Time `firstresponse import-history` on a synthetic force extract of N rows.

    .venv/bin/python bench/import_history.py [--rows 100000] [--runs 3] [--keep DIR] [--no-hub]

Writes a deterministic extract (one victim row per incident, a suspect on most, children
on some, orders on some, people recurring across incidents, 0.1% bad rows), then runs the
real command, each run in its own process, into a fresh terminal store and onto a fresh
hub database on the PostgreSQL at 127.0.0.1:5432 (`--hub-db`: its record tables, lookup
index and feed), taking turns, and prints each one's p50 rate and every run beside the
baseline measured in the same run: reading and checking the same file without writing
anything (`read_rows`). Goal: >= 5,000 rows/s on 2 cores (1M rows in under 4 minutes).

All names are synthetic.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

FORENAMES = [
    "Ada",
    "Bea",
    "Cal",
    "Dee",
    "Eli",
    "Fay",
    "Gus",
    "Hal",
    "Ivy",
    "Jo",
    "Kit",
    "Lou",
    "Max",
    "Ned",
    "Oda",
    "Pip",
    "Rex",
    "Sal",
    "Tam",
    "Uma",
]
SURNAMES = [a + b for a in ["Ash", "Bar", "Cole", "Dun", "Fen", "Gar", "Hol", "Kirk", "Lang", "Mor"]
            for b in ["ford", "ley", "ton", "well", "wood", "field", "by", "dale"]]  # fmt: skip
RISKS = ["standard", "medium", "high", ""]
ORDERS = ["bail_conditions", "restraining_order", "dvpo", "non_molestation_order", "warrant"]


def write_extract(path: Path, rows: int, seed: int = 7) -> int:
    """A synthetic extract of about `rows` rows; returns the number written."""
    from firstresponse.history.csv_format import COLUMNS

    rng = random.Random(seed)
    people = max(10, rows // 3)
    header = [c.name for c in COLUMNS]

    def person(ref: int) -> dict[str, str]:
        r = random.Random(ref * 7919 + seed)
        dob = date(1950, 1, 1) + timedelta(days=r.randint(0, 60 * 365))
        return {
            "person_ref": f"P{ref:08d}", "forename": r.choice(FORENAMES),
            "surname": r.choice(SURNAMES), "dob": dob.isoformat(), "gender": r.choice("FMX"),
            "phone": f"07700 {r.randint(100000, 999999)}",
            "postcode": f"WR{r.randint(1, 15)} {r.randint(1, 9)}AB",
            "address": f"{r.randint(1, 200)} {r.choice(SURNAMES)} Road",
        }  # fmt: skip

    written = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.DictWriter(handle, header)
        out.writeheader()
        incident = 0
        while written < rows:
            incident += 1
            when = date(2016, 1, 1) + timedelta(days=rng.randint(0, 3650))
            base = {"incident_ref": f"WM/{incident:08d}", "occurred_at": f"{when} 21:30"}
            victim = person(rng.randint(1, people // 2))
            row = {**base, **victim, "role": "victim", "relationship": "partner",
                   "risk_level": rng.choice(RISKS), "grade": "priority", "crime_recorded": "yes",
                   "summary": "Argument; pushed", "markers": "repeat_victim"
                   if rng.random() < 0.2 else ""}  # fmt: skip
            if written and rng.random() < 0.001:
                row["occurred_at"] = "yesterday"  # a bad row, reported by line
            out.writerow(row)
            written += 1
            if rng.random() < 0.9:
                suspect = person(rng.randint(people // 2 + 1, people))
                srow = {**base, **suspect, "role": "suspect"}
                if rng.random() < 0.15:
                    kind = rng.choice(ORDERS)
                    srow |= {"order_kind": kind, "order_starts": str(when),
                             "order_detail": "No contact"}  # fmt: skip
                out.writerow(srow)
                written += 1
            if rng.random() < 0.3:
                child = person(people + incident)
                child["dob"] = str(when - timedelta(days=rng.randint(365, 15 * 365)))
                out.writerow({**base, **child, "role": "child"})
                written += 1
    return written


PG_DSN = "host=127.0.0.1 port=5432 dbname=test user=postgres connect_timeout=3"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


class Run(NamedTuple):  # not a dataclass: tests load this file without registering it
    seconds: float
    cpu: float
    code: int
    summary: str
    bad: int


def _command(extract: Path, *target: str) -> Run:
    """`firstresponse import-history` in its own process, as a force would run it."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    t0 = time.perf_counter()
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [sys.executable, "-m", "firstresponse", "import-history", str(extract), *target],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    spent = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr
    bad = sum(1 for line in done.stderr.splitlines() if line.startswith(str(extract)))
    return Run(spent, cpu, done.returncode, summary, bad)


@contextmanager
def postgres_hub() -> Iterator[str]:
    """A fresh schema on the PostgreSQL at 127.0.0.1:5432 made a hub's database (as a
    force does, `hub --migrate-only`), dropped afterwards."""
    import psycopg

    schema = f"import_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
        try:
            url = f"{PG_URL}?options=-csearch_path%3D{schema}"
            env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
            subprocess.run(
                [sys.executable, "-m", "firstresponse", "hub", "--hub-db", url, "--migrate-only"],
                check=True, capture_output=True, env=env,
            )  # fmt: skip
            yield url
        finally:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def _line(name: str, rows: int, runs: list[Run]) -> str:
    rates = sorted(rows / run.seconds for run in runs)
    cpu = statistics.median(rows / run.cpu for run in runs if run.cpu)
    last = runs[-1]
    return (f"  {name:<26} p50 {statistics.median(rates):>7,.0f} rows/s (goal >= 5,000);"
            f" runs {', '.join(f'{r:,.0f}' for r in rates)}; per CPU second {cpu:,.0f};"
            f" exit {last.code}, {last.bad} bad rows reported")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="imports of each kind (p50 shown)")
    parser.add_argument("--keep", default="", help="folder to keep the extract and store in")
    parser.add_argument("--no-hub", action="store_true", help="the terminal import only")
    args = parser.parse_args()
    from firstresponse.history.importer import ImportReport, read_rows

    with tempfile.TemporaryDirectory(prefix="import-bench-") as tmp:
        where = Path(args.keep or tmp)
        where.mkdir(parents=True, exist_ok=True)
        extract, store = where / "extract.csv", where / "store.db"
        rows = write_extract(extract, args.rows)
        t0 = time.perf_counter()
        read_rows(extract, ImportReport())
        baseline = time.perf_counter() - t0
        terminal: list[Run] = []
        hub: list[Run] = []
        for _ in range(args.runs):  # each kind in turn, so both see the same machine load
            for path in store.parent.glob(store.name + "*"):
                path.unlink()
            terminal.append(_command(extract, "--db", str(store)))
            if not args.no_hub:
                with postgres_hub() as url:
                    hub.append(_command(extract, "--hub-db", url))
        print(f"rows {rows:,}, {args.runs} runs each, load average {os.getloadavg()[0]:.1f};"
              f" baseline read+check only {rows / baseline:,.0f} rows/s")  # fmt: skip
        print(_line("terminal store (SQLite)", rows, terminal))
        print(f"    {terminal[-1].summary}")
        if hub:
            print(_line("hub database (PostgreSQL)", rows, hub))
            print(f"    {hub[-1].summary}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
