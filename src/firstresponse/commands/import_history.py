"""`firstresponse import-history FILE.csv [--db PATH | --hub-db TARGET]`: import a force's
history extract into this terminal's store, or onto the hub (`hub.history_import`), where
every call handler's lookup finds it.

Every row is checked; bad rows are listed with their line numbers and reasons while
the good rows still import. Exit code 0 when every row was good, 1 when any was bad,
2 when the file cannot be read at all. Format: docs/import-format.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any


class Bar:
    """A progress bar: rows done, rate and time left. On a terminal it redraws on stderr;
    piped, it is a line per 10% on stdout, so stderr carries only the bad rows."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.tty = sys.stderr.isatty()
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        share = done / total if total else 1.0
        tenth = int(share * 10)
        if not self.tty and tenth == self.shown:
            return
        self.shown = tenth
        spent = time.perf_counter() - self.start
        rate = done / spent if spent > 0 else 0.0
        left = (total - done) / rate if rate else 0.0
        bar = "#" * int(share * 30)
        line = (f"importing [{bar:<30}] {share:4.0%} {done:,}/{total:,} rows"
                f" {rate:,.0f} rows/s, {left:,.0f} s left")  # fmt: skip
        if self.tty:
            print("\r" + line, end="", file=sys.stderr, flush=True)
        else:
            print(line, flush=True)

    def step(self, text: str) -> None:
        """A step after the rows (filing people in the lookup index), on a line of its own."""
        if self.tty:
            print(f"\n{text}...", end="", file=sys.stderr, flush=True)
        else:
            print(f"{text}...", flush=True)


def _target(args: argparse.Namespace) -> Any:
    """Where the rows go, as (store-like database, what to call it, engine or None):
    the hub's database with --hub-db, else the terminal's store."""
    from firstresponse.commands.databases import open_hub, shown, store_path

    if args.hub_db:
        return None, f"the hub's database {shown(args.hub_db)}", open_hub(args.hub_db)
    from firstresponse.store import Store

    settings = args.settings
    path = store_path(args.command_db) if args.command_db else settings.store_path
    return Store(path, key=settings.store_key), f"the store {path}", None


def run(args: argparse.Namespace) -> int:
    from firstresponse.commands.databases import DatabaseError
    from firstresponse.history.importer import FormatError
    from firstresponse.history.job import run_import

    source = Path(args.file)
    if args.hub_db and args.command_db:
        print(
            "import-history: give --db (a terminal's store) or --hub-db, not both", file=sys.stderr
        )
        return 2
    if not source.is_file():
        print(f"import-history: no such file: {source}", file=sys.stderr)
        return 2
    try:
        store, name, engine = _target(args)
    except DatabaseError as exc:
        print(f"import-history: {exc}", file=sys.stderr)
        return 2
    bar = Bar()
    try:
        if engine is not None:
            from firstresponse.hub.history_import import import_onto_hub

            result = import_onto_hub(engine, source, bar, bar.step)
        else:
            result = run_import(store, source, bar, bar.step)
    except (FormatError, UnicodeDecodeError) as exc:
        print(f"import-history: {source}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            "\nimport-history: interrupted; run the same command again to finish", file=sys.stderr
        )
        return 130
    finally:
        if engine is not None:
            engine.dispose()
        else:
            store.close()
    if bar.tty:
        print(file=sys.stderr)
    report = result.report
    for bad in report.bad:
        print(f"{source}:{bad.line}: {bad.reason}", file=sys.stderr)
    added = ", ".join(f"{count} {kind}" for kind, count in report.added.items())
    print(
        f"{report.rows} rows read: {report.good_rows} imported, {len(report.bad)} bad."
        f" Added {added} to {name}."
    )
    if result.resumed_from:
        print(f"Resumed an interrupted import after {result.resumed_from} incidents.")
    return 1 if report.bad else 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "import-history", help="import a force's history extract (CSV, see docs/import-format.md)"
    )
    parser.add_argument("file", help="the CSV file")
    parser.add_argument(
        "--db", dest="command_db", default=None, metavar="PATH", help="the store to import into"
    )
    parser.add_argument(
        "--hub-db",
        default="",
        metavar="TARGET",
        help="import onto the hub instead: its database, a SQLite path or"
        " postgresql+psycopg://USER@HOST/DB (it must exist: `firstresponse hub --migrate-only`)",
    )
    parser.set_defaults(func=run)
