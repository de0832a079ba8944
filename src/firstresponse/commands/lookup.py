"""`firstresponse lookup QUERY [--dob] [--phone] [--postcode] [--address] [--json] --as COLLAR`:
repeat-victim search on the local store by a signed-in officer (PIN as in
`commands.officer`), audited under their collar like the one in the terminal UI."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from firstresponse.commands.officer import add_officer_options, refused, sign_in


def _query(args: argparse.Namespace) -> Any:
    from firstresponse.lookup import LookupQuery, parse_dob

    dob = parse_dob(args.dob) if args.dob else None  # raises DobError
    query = LookupQuery(
        name=" ".join(args.query),
        dob=dob.as_date() if dob else None,
        dob_year=dob.year if dob and not dob.as_date() else None,
        dob_month=dob.month if dob and not dob.as_date() else None,
        phone=args.phone,
        postcode=args.postcode,
        address=args.address,
    )
    if query.is_empty():
        raise ValueError("give a name, or --dob, --phone, --postcode or --address")
    return query


def _as_dict(match: Any) -> dict[str, Any]:
    return {
        "person_id": match.person_id,
        "name": match.name,
        "dob": match.dob.isoformat() if match.dob else None,
        "postcode": match.postcode,
        "score": match.score,
        "reasons": match.reasons,
        "markers": match.markers,
        "da_incidents_12m": match.da_incidents_12m,
    }


def _print_table(rows: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not rows:
        console.print("no matches")
        return
    table = Table("score")
    table.add_column("name", no_wrap=True)
    for heading in ("DOB", "postcode", "DA 12m", "why", "markers"):
        table.add_column(heading)
    for row in rows:
        table.add_row(
            f"{row['score']:.2f}",
            row["name"],
            row["dob"] or "",
            row["postcode"],
            str(row["da_incidents_12m"]),
            "; ".join(row["reasons"]),
            ", ".join(row["markers"]),
        )
    console.print(table)


def run(args: argparse.Namespace) -> int:
    from firstresponse.commands.terminal import open_store
    from firstresponse.lookup import DobError, search
    from firstresponse.security import audit
    from firstresponse.security.permissions import Action

    try:
        query = _query(args)
    except (DobError, ValueError) as exc:
        print(f"firstresponse lookup: {exc}", file=sys.stderr)
        return 2
    store = open_store(args.settings)
    try:
        with store.session() as db:
            try:
                officer = sign_in(db, args, Action.LOOKUP)
            except PermissionError as exc:
                return refused("lookup", exc)
            rows = [_as_dict(m) for m in search(db, query, args.limit)]
            asked = {
                "name": query.name,
                "dob": args.dob,
                "phone": query.phone,
                "postcode": query.postcode,
                "address": query.address,
            }
            audit.record(
                db,
                officer.collar,
                "lookup",
                "search",
                "",
                query={k: v for k, v in asked.items() if v},
                results=[r["person_id"] for r in rows],
                via="cli",
            )
    finally:
        store.close()
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        _print_table(rows)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("lookup", help="search the local store for a person (audited)")
    parser.add_argument("query", nargs="*", help="name in any order and spelling")
    parser.add_argument("--dob", default="", help="date of birth: YYYY, YYYY-MM or YYYY-MM-DD")
    parser.add_argument("--phone", default="", help="phone number in any format")
    parser.add_argument("--postcode", default="", help="postcode, any spacing or case")
    parser.add_argument("--address", default="", help="address, e.g. '12 Acacia Avenue'")
    parser.add_argument("--limit", type=int, default=10, help="most results to show")
    parser.add_argument("--json", action="store_true", help="print JSON")
    add_officer_options(parser, "collar number of the officer searching (audited)")
    parser.set_defaults(func=run)
