"""`firstresponse audit verify|show`: check the hash chain, or read the log (admin).

`verify` exits 0 when the chain is whole, 1 with every break listed when an entry was
altered, deleted or reordered, and 2 when sign-in or the role check refuses.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from sqlmodel import Session, col, select

from firstresponse.commands.users import (
    REFUSED,
    acting_user,
    add_actor_options,
    open_store_or_explain,
)
from firstresponse.records import AuditEvent


def _verify(args: argparse.Namespace, db: Session) -> int:
    from firstresponse.security import audit

    breaks = audit.verify(db)
    entries = len(db.exec(select(AuditEvent.seq)).all())
    if args.json:
        rows = [{"seq": b.seq, "reason": b.reason} for b in breaks]
        print(json.dumps({"ok": not breaks, "entries": entries, "breaks": rows}, indent=2))
    elif breaks:
        print(f"audit chain BROKEN: {len(breaks)} break(s) in {entries} entries")
        for item in breaks:
            print(f"  entry {item.seq}: {item.reason}")
    else:
        print(f"audit chain intact: {entries} entries verified")
    return 1 if breaks else 0


def _show(args: argparse.Namespace, db: Session) -> int:
    query = select(AuditEvent).order_by(col(AuditEvent.seq).desc())
    if args.actor:
        query = query.where(AuditEvent.actor == args.actor.upper())
    if args.action_name:
        query = query.where(col(AuditEvent.action).startswith(args.action_name))
    events = list(reversed(db.exec(query.limit(args.limit)).all()))
    rows: list[dict[str, Any]] = [
        {
            "seq": e.seq,
            "at": e.at.isoformat(),
            "actor": e.actor,
            "action": e.action,
            "subject": f"{e.subject_kind}:{e.subject_id}" if e.subject_kind else e.subject_id,
            "detail": e.detail,
        }
        for e in events
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    for row in rows:
        detail = " ".join(f"{k}={v}" for k, v in row["detail"].items())
        print(
            f"{row['seq']:>6} {row['at'][:19]} {row['actor']:<8} {row['action']:<20} "
            f"{row['subject']} {detail}".rstrip()
        )
    return 0


def run(args: argparse.Namespace) -> int:
    from firstresponse.security import audit
    from firstresponse.security.permissions import Action, require

    store = open_store_or_explain(args, "audit")
    if store is None:
        return 1
    try:
        with store.session() as db:
            user = require(acting_user(args, db), Action.VERIFY_AUDIT)
            code = _verify(args, db) if args.action == "verify" else _show(args, db)
            audit.record(db, user.collar, f"audit.{args.action}", "audit", "", exit_code=code)
        return code
    except PermissionError as exc:
        print(f"firstresponse audit: {exc}", file=sys.stderr)
        return REFUSED
    finally:
        store.close()


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("audit", help="verify the audit chain or show the log (admin)")
    verbs = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    verify = verbs.add_parser("verify", help="check no entry was altered, deleted or reordered")
    verify.add_argument("--json", action="store_true", help="print JSON")
    show = verbs.add_parser("show", help="print the newest entries, oldest first")
    show.add_argument("--limit", type=int, default=50, help="how many (default 50)")
    show.add_argument("--actor", default="", help="only this collar number")
    show.add_argument("--action", dest="action_name", default="", help="action prefix, e.g. login")
    show.add_argument("--json", action="store_true", help="print JSON")
    for verb in (verify, show):
        add_actor_options(verb)
    parser.set_defaults(func=run)
