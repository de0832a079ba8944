"""`firstresponse demo-data`: generate a deterministic synthetic force history."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where used, so `firstresponse --help` stays fast
    from firstresponse.store import Store


def rate_column() -> Any:
    """A progress column: people generated per second."""
    from rich.progress import ProgressColumn, Task
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task: Task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.0f} people/s" if speed else "", style="progress.data.speed")

    return RateColumn()


def has_generated_history(store: Store) -> bool:
    from sqlalchemy import text

    from firstresponse.demo.generate import SOURCE

    with store.engine.connect() as conn:
        found = conn.execute(
            text("SELECT 1 FROM incident WHERE source = :source LIMIT 1"), {"source": SOURCE}
        ).first()
    return found is not None


def run(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.table import Table

    from firstresponse.commands.databases import DatabaseError, store_path
    from firstresponse.demo import generate_history, shape
    from firstresponse.lookup import rebuild_index
    from firstresponse.store import Store

    settings = args.settings
    try:
        path = store_path(args.command_db) if args.command_db else settings.store_path
    except DatabaseError as exc:
        print(f"firstresponse demo-data: {exc}", file=sys.stderr)
        return 2
    as_of = date.fromisoformat(args.as_of) if args.as_of else date.today()
    console = Console(stderr=True)
    store = Store(path, key=settings.store_key)
    try:
        if has_generated_history(store):
            console.print(
                f"[red]{path} already holds generated history.[/] Use a new store with --db PATH."
            )
            return 2
        started = time.perf_counter()
        with Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            rate_column(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
        ) as progress:
            task = progress.add_task("Generating people", total=args.people)
            counts = generate_history(
                store.engine,
                args.people,
                args.seed,
                as_of,
                settings.force_code,
                progress=lambda done: progress.update(task, completed=done),
                workers=args.workers,
            )
            generated = time.perf_counter() - started
            index_task = progress.add_task("Indexing for lookup", total=None)
            with store.session() as db:
                indexed = rebuild_index(db)
            progress.update(index_task, total=1, completed=1)
        elapsed = time.perf_counter() - started
    finally:
        store.close()
    table = Table(title=f"Synthetic history in {path}", show_header=True)
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, rows in counts.rows.items():
        table.add_row(name, f"{rows:,}")
    Console().print(table)
    per_year = counts.incidents / shape.YEARS
    print(
        f"{counts.people:,} people, {counts.incidents:,} incidents over {shape.YEARS} years "
        f"({per_year:,.0f} a year) to {as_of}, seed {args.seed}; "
        f"generated in {generated:.1f}s ({counts.people / max(generated, 1e-9):,.0f} people/s)"
    )
    print(f"lookup index: {indexed:,} people indexed; total {elapsed:.1f}s")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "demo-data", help="generate a deterministic synthetic force history (no real people)"
    )
    parser.add_argument("--people", type=int, default=10_000, help="how many people (10000)")
    parser.add_argument("--seed", type=int, default=1, help="same seed, same history (1)")
    parser.add_argument(
        "--as-of", default="", help="the history ends on this date, YYYY-MM-DD (today)"
    )
    parser.add_argument("--db", dest="command_db", default=None, help="store to fill")
    parser.add_argument(
        "--workers", type=int, default=None, help="generator processes (one per CPU)"
    )
    parser.set_defaults(func=run)
