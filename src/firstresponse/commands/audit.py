"""`firstresponse audit verify|show`: check the hash chain, or read the log (admin).

`verify` exits 0 when the chain is whole, 1 with every break listed when an entry was
altered, deleted or reordered, and 2 when sign-in or the role check refuses. Besides
the chain itself it compares the chain's end with the head kept beside the store and
with the head the hub recorded as entries synced (when a hub is configured and can be
reached), so entries deleted from the end are reported too.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING, Any

from firstresponse.commands.users import (
    COLLAR_ENV,
    PIN_ENV,
    REFUSED,
    acting_user,
    add_actor_options,
    open_store_or_explain,
)
from firstresponse.wording import plural

if TYPE_CHECKING:
    from sqlmodel import Session


def _hub_head(args: argparse.Namespace) -> tuple[Any, str]:
    """The chain head the hub recorded for this terminal, or None and why it is not known."""
    from firstresponse.security.audit import Head
    from firstresponse.sync.client import Credentials, HubClient, SyncFailure

    settings = args.settings
    if not settings.hub_url or not settings.device_token:
        return None, "no hub configured: the end of the chain was not checked against the hub"
    pin = args.pin or os.environ.get(PIN_ENV, "")
    collar = args.collar or os.environ.get(COLLAR_ENV, "")
    try:
        with HubClient(settings.hub_url, settings.device_token, Credentials(collar, pin)) as hub:
            found = hub.audit_head()
        return Head(found.entries, found.hash), ""
    except SyncFailure as exc:
        return None, f"the hub's record of this chain could not be read: {exc}"


def _outside_heads(args: argparse.Namespace, db: Session) -> tuple[list[Any], list[str]]:
    """Breaks found against the heads kept outside the store (beside it, on the hub)."""
    from firstresponse.security import audit

    breaks: list[Any] = []
    notes: list[str] = []
    path = audit.head_path(args.store_path)
    try:
        kept = audit.read_head(path)
    except ValueError as exc:
        kept = None
        breaks.append(audit.ChainBreak(0, f"the head kept beside the store is unreadable: {exc}"))
    if kept is not None:
        breaks += audit.check_head(db, kept, f"in {path.name}")
    elif audit.head_of(db).entries and not breaks:
        notes.append(f"no head is kept beside the store ({path.name}): its end was not checked")
    hub_head, why = _hub_head(args)
    if hub_head is not None:
        breaks += audit.check_head(db, hub_head, "on the hub")
    else:
        notes.append(why)
    return breaks, notes


def _verify(args: argparse.Namespace, db: Session) -> int:
    from sqlmodel import select

    from firstresponse.records import AuditEvent
    from firstresponse.security import audit

    breaks = audit.verify(db)
    outside, notes = _outside_heads(args, db)
    breaks += outside
    entries = len(db.exec(select(AuditEvent.seq)).all())
    if args.json:
        rows = [{"seq": b.seq, "reason": b.reason} for b in breaks]
        report = {"ok": not breaks, "entries": entries, "breaks": rows, "notes": notes}
        print(json.dumps(report, indent=2))
        return 1 if breaks else 0
    if breaks:
        counted = f"{plural(len(breaks), 'break')} in {plural(entries, 'entry', 'entries')}"
        print(f"audit chain BROKEN: {counted}")
        for item in breaks:
            print(f"  entry {item.seq}: {item.reason}")
    else:
        print(f"audit chain intact: {entries} entries verified")
    for note in notes:
        print(f"  note: {note}")
    return 1 if breaks else 0


def _show(args: argparse.Namespace, db: Session) -> int:
    from sqlmodel import col, select

    from firstresponse.records import AuditEvent

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
    args.store_path = store.path
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
