"""`firstresponse import-history FILE.csv`: import a force's history extract.

Every row is checked; bad rows are listed with their line numbers and reasons while
the good rows still import. Exit code 0 when every row was good, 1 when any was bad,
2 when the file cannot be read at all. Format: docs/import-format.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from firstresponse.history.importer import FormatError, import_history
from firstresponse.history.lookup_hooks import index_people
from firstresponse.store import Store


def run(args: argparse.Namespace) -> int:
    settings = args.settings
    source = Path(args.file)
    if not source.is_file():
        print(f"import-history: no such file: {source}", file=sys.stderr)
        return 2
    path = Path(args.command_db) if args.command_db else settings.store_path
    store = Store(path, key=settings.store_key)
    try:
        with store.session() as db:
            report = import_history(db, source)
            indexed = index_people(db, sorted(report.touched_people))
    except (FormatError, UnicodeDecodeError) as exc:
        print(f"import-history: {source}: {exc}", file=sys.stderr)
        return 2
    finally:
        store.close()
    for bad in report.bad:
        print(f"{source}:{bad.line}: {bad.reason}", file=sys.stderr)
    added = ", ".join(f"{count} {name}" for name, count in report.added.items())
    print(
        f"{report.rows} rows read: {report.good_rows} imported, {len(report.bad)} bad."
        f" Added {added}."
    )
    if indexed is None:
        print("lookup index: firstresponse.lookup is not installed; skipped")
    return 1 if report.bad else 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "import-history", help="import a force's history extract (CSV, see docs/import-format.md)"
    )
    parser.add_argument("file", help="the CSV file")
    parser.add_argument("--db", dest="command_db", default=None, help="store to import into")
    parser.set_defaults(func=run)
