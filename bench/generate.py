"""Time `demo-data` generation: people per second and wall time for N people.

    .venv/bin/python bench/generate.py 100000 [--workers W] [--index] [--keep PATH]

Writes into a throwaway store (or --keep PATH) and prints one line of figures;
with --index, also times the lookup index rebuild.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

from firstresponse.demo import generate_history
from firstresponse.lookup import rebuild_index
from firstresponse.store import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("people", type=int, nargs="?", default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--index", action="store_true", help="also rebuild the lookup index")
    parser.add_argument("--keep", default="", help="store path to keep (default: a temp file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.keep) if args.keep else Path(tmp) / "bench.db"
        store = Store(path)
        try:
            started = time.perf_counter()
            cpu = time.process_time()
            counts = generate_history(
                store.engine, args.people, args.seed, date(2026, 11, 1), workers=args.workers
            )
            wall = time.perf_counter() - started
            rows = sum(counts.rows.values())
            print(
                f"generate: {counts.people:,} people, {counts.incidents:,} incidents, "
                f"{rows:,} rows in {wall:.1f}s wall ({counts.people / wall:,.0f} people/s, "
                f"{rows / wall:,.0f} rows/s; CPU: writer {time.process_time() - cpu:.1f}s, "
                f"builders {resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime:.1f}s; "
                f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f})"
            )
            if args.index:
                started = time.perf_counter()
                with store.session() as db:
                    indexed = rebuild_index(db)
                took = time.perf_counter() - started
                print(f"lookup index: {indexed} people in {took:.1f}s")
        finally:
            store.close()


if __name__ == "__main__":
    main()
