"""`firstresponse dip-sample --from --to [--rate] [--seed] --as COLLAR [--json]`: drawn by a
supervisor, signed in with their PIN (`commands.officer`); the sample records who drew it."""

from __future__ import annotations

import argparse
import json

from firstresponse.commands.officer import add_officer_options, refused, sign_in
from firstresponse.commands.periods import add_period_options


def run(args: argparse.Namespace) -> int:
    from firstresponse.commands.terminal import open_store
    from firstresponse.security.permissions import Action
    from firstresponse.supervision import draw
    from firstresponse.supervision.cases import window

    start, end = window(args.start, args.end)
    store = open_store(args.settings)
    try:
        with store.session() as db:
            try:
                collar = sign_in(db, args, Action.DIP_SAMPLE).collar
            except PermissionError as exc:
                return refused("dip-sample", exc)
            sample = draw(db, start, end, rate=args.rate, seed=args.seed, created_by=collar)
            data = {"id": sample.id, "seed": sample.seed, "rate": sample.rate,
                    "from": args.start.isoformat(), "to": args.end.isoformat(),
                    "items": sample.items}  # fmt: skip
    finally:
        store.close()
    if args.json:
        print(json.dumps(data, indent=2))
        return 0
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(
        f"Dip sample {data['id'][:8]}: {len(data['items'])} cases, seed {data['seed']} "
        f"(repeat with --seed {data['seed']} --rate {data['rate']})"
    )
    table = Table("reference", "officer", "risk", "why drawn")
    for item in data["items"]:
        table.add_row(
            item["reference"], item["officer"], item["risk_level"] or "—", "; ".join(item["why"])
        )
    console.print(table)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "dip-sample", help="draw a reproducible dip sample of cases for supervisors to review"
    )
    add_period_options(parser)
    parser.add_argument(
        "--rate",
        type=float,
        default=0.1,
        help="share of standard and medium risk cases to draw (0-1, default 0.1)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        help="random seed (recorded; reuse it to reproduce a sample)",
    )
    add_officer_options(parser, "collar number of the supervisor drawing it")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)
