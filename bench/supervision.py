"""Supervision benchmark: compliance figures and dip-sample draw over N synthetic cases.

    .venv/bin/python bench/supervision.py [--cases 2000]

Prints the time to seed, to compute the compliance report and to draw a sample.
All records are synthetic.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from firstresponse.demo.cases import assessment, decision, incident, person
from firstresponse.store import Store
from firstresponse.supervision import compliance, draw


def seed(store: Store, count: int, start: datetime) -> None:
    with store.session() as db:
        victims = [person(db, f"V{n}", "Bench") for n in range(max(1, count // 4))]
        for n in range(count):
            at = start + timedelta(hours=n)
            officer = f"PC{n % 20:04d}"
            grade = "scheduled" if n % 10 == 0 else "priority"
            inc = incident(db, f"B-{n}", at, victims[n % len(victims)], grade=grade)
            first = {
                "bwv_on": "yes" if n % 5 else "no",
                "grounds_for_arrest": "yes",
                "arrested": "no" if n % 7 == 0 else "yes",
                "arrived_at": (at + timedelta(minutes=10 + n % 30)).isoformat(),
            }
            assessment(db, inc, "first_response", first, officer)
            level = ("standard", "medium", "high")[n % 3]
            risk = {"officer_level": level, "officer_view": "x" * 30, "now_detail": "y" * 30}
            assessment(db, inc, "risk", risk, officer)
            if n % 7 == 0:
                decision(db, inc, "no_arrest", "Suspect had left", officer)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    args = parser.parse_args()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    end = start + timedelta(hours=args.cases + 1)
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.db")
        began = time.perf_counter()
        seed(store, args.cases, start)
        print(f"seed {args.cases} cases: {time.perf_counter() - began:.2f} s")
        with store.session() as db:
            began = time.perf_counter()
            report = compliance(db, start, end)
            took = time.perf_counter() - began
            print(f"compliance report: {took:.2f} s ({len(report.weeks)} weeks)")
            began = time.perf_counter()
            sample = draw(db, start, end, rate=0.1, seed=1)
            took = time.perf_counter() - began
            print(f"dip-sample draw: {took:.2f} s ({len(sample.items)} items)")
        store.close()


if __name__ == "__main__":
    main()
