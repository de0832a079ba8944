"""`firstresponse outbox [--json]`: what is waiting for the hub and what needs attention."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from firstresponse.records import OutboxItem


def _row(item: OutboxItem) -> dict[str, object]:
    return {
        "id": item.id,
        "kind": item.kind,
        "record_id": item.record_id,
        "version": item.version,
        "priority": item.priority,
        "status": item.status,
        "attempts": item.attempts,
        "reason": item.last_error,
        "created_at": item.created_at.isoformat(),
    }


def run(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from firstresponse.commands.terminal import open_store
    from firstresponse.store import outbox
    from firstresponse.sync import held as held_records

    store = open_store(args.settings)
    try:
        with store.session() as db:
            waiting = [_row(i) for i in outbox.waiting(db)]
            quarantined = [_row(i) for i in outbox.quarantined(db)]
            held = [
                {
                    "kind": h.kind,
                    "record_id": h.record_id,
                    "version": h.version,
                    "waits_for": h.waits_for,
                    "author": h.author,
                    "device": h.device,
                }
                for h in held_records.held(db)
            ]
    finally:
        store.close()
    if args.json:
        print(json.dumps({"waiting": waiting, "quarantined": quarantined, "held": held}, indent=2))
        return 0
    console = Console()
    console.print(f"{len(waiting)} waiting for the hub (most urgent first)")
    if waiting:
        table = Table("kind", "record", "v", "priority", "tries", "last error")
        for row in waiting:
            table.add_row(
                str(row["kind"]),
                str(row["record_id"])[:8],
                str(row["version"]),
                str(row["priority"]),
                str(row["attempts"]),
                str(row["reason"])[:40],
            )
        console.print(table)
    console.print(f"{len(quarantined)} quarantined (refused by the hub: a person must look)")
    for row in quarantined:
        console.print(f"- {row['kind']} {row['record_id']} v{row['version']}: {row['reason']}")
    console.print(f"{len(held)} held on the hub (received, waiting for a record it lacks)")
    for h in held:
        kind, _, ident = str(h["waits_for"]).partition(":")
        by = f" by {h['author']}" if h["author"] else ""
        console.print(f"- {h['kind']} {h['record_id']}{by}: waiting for {kind} {ident}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("outbox", help="show records waiting for the hub, and quarantined ones")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)
