"""`firstresponse config`: print the effective settings and paths."""

from __future__ import annotations

import argparse
import json


def run(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    values = args.settings.as_dict()
    if args.json:
        print(json.dumps(values, indent=2))
        return 0
    table = Table(title="firstresponse settings", show_header=True)
    table.add_column("setting")
    table.add_column("value")
    for key, value in values.items():
        table.add_row(key, str(value))
    Console().print(table)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("config", help="print the effective settings and paths")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)
