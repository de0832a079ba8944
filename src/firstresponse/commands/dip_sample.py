"""`firstresponse dip-sample --from --to [--rate] [--seed] [--as COLLAR] [--json]`."""

from __future__ import annotations

import argparse
import json

from firstresponse.commands.periods import add_period_options


def _acting_user(db, collar: str):
    from sqlmodel import select

    from firstresponse.records import User

    user = db.exec(select(User).where(User.collar == collar.upper())).first()
    if user is None:
        raise SystemExit(f"firstresponse: no user with collar {collar!r}")
    return user


def run(args: argparse.Namespace) -> int:
    from firstresponse.commands.terminal import open_store
    from firstresponse.security.permissions import Action, PermissionDenied, require
    from firstresponse.supervision import draw
    from firstresponse.supervision.cases import window

    start, end = window(args.start, args.end)
    store = open_store(args.settings)
    try:
        with store.session() as db:
            collar = ""
            if args.as_collar:
                try:
                    collar = require(_acting_user(db, args.as_collar), Action.DIP_SAMPLE).collar
                except PermissionDenied as exc:
                    print(f"firstresponse: {exc}")
                    return 1
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
    parser.add_argument(
        "--as", dest="as_collar", default="", help="collar number of the supervisor"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)
