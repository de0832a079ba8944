"""`firstresponse export --format csv|json --from --to --as COLLAR [--out PATH]`.

Exports the compliance figures and the reviews, signed in as the officer exporting (PIN
from FIRSTRESPONSE_PIN or a prompt: `commands.officer`). Restricted fields and
police-suspect cases are withheld unless the user's role may view restricted records.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from firstresponse.commands.officer import add_officer_options, refused, sign_in
from firstresponse.commands.periods import add_period_options


def run(args: argparse.Namespace) -> int:
    from firstresponse.commands.terminal import open_store
    from firstresponse.supervision.cases import window
    from firstresponse.supervision.export import (
        FIGURE_COLUMNS,
        RESTRICTED_FIELDS,
        REVIEW_COLUMNS,
        export_for,
        figure_rows,
        to_csv,
    )
    from firstresponse.supervision.figures import LEADER_COLUMNS, leader_rows

    start, end = window(args.start, args.end)
    store = open_store(args.settings)
    try:
        with store.session() as db:
            try:
                data = export_for(db, sign_in(db, args), start, end)
            except PermissionError as exc:
                return refused("export", exc)
    finally:
        store.close()
    out: Path | None = Path(args.out) if args.out else None
    if args.format == "json":
        text = json.dumps(data, indent=2)
        if out:
            out.write_text(text + "\n", encoding="utf-8")
        else:
            print(text)
        return 0
    columns = [
        c for c in REVIEW_COLUMNS if data["restricted_included"] or c not in RESTRICTED_FIELDS
    ]
    figures = to_csv(figure_rows(data["figures"]), FIGURE_COLUMNS)
    reviews = to_csv(data["reviews"], columns)
    leaders = to_csv(leader_rows(data["leaders"]), LEADER_COLUMNS)
    if out:
        reviews_path = out.with_name(f"{out.stem}-reviews{out.suffix or '.csv'}")
        leaders_path = out.with_name(f"{out.stem}-leaders{out.suffix or '.csv'}")
        out.write_text(figures, encoding="utf-8", newline="")
        reviews_path.write_text(reviews, encoding="utf-8", newline="")
        leaders_path.write_text(leaders, encoding="utf-8", newline="")
        print(f"wrote {out}, {reviews_path} and {leaders_path}")
    else:
        print(figures)
        print(reviews)
        print(leaders, end="")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("export", help="export compliance figures and dip-sample reviews")
    parser.add_argument("--format", choices=["csv", "json"], default="json")
    add_period_options(parser)
    add_officer_options(parser, "collar number of the user exporting (decides restricted access)")
    parser.add_argument(
        "--out",
        default="",
        help="file to write (CSV also writes <name>-reviews.csv and <name>-leaders.csv beside it)",
    )
    parser.set_defaults(func=run)
