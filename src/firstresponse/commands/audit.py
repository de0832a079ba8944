"""`firstresponse audit verify|show`: check the hash chain, or read the log (admin).

`verify` exits 0 when the chain is whole, 1 with every break listed when an entry was
altered, deleted or reordered, and 2 when sign-in or the role check refuses. Besides
the chain itself it compares the chain's end with the heads kept outside it: the one
beside the store, the one the hub holds (asked when a hub is configured and answers),
and the last one the hub sent back at a sync (sync.push), so entries deleted from the
end are reported too. A head file that is missing, or that was made again after it went
missing, is a break of its own, never "intact": entries deleted from the end before then
cannot be ruled out by it, unless a head the hub holds reaches past that point and
matches.
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


def _hub_heads(args: argparse.Namespace, db: Session) -> tuple[list[Any], int, list[str]]:
    """Breaks against the heads the hub holds (asked now, and its last answer at a sync),
    how far the chain is confirmed by one that matched, and notes."""
    from firstresponse.security import audit
    from firstresponse.sync.push import hub_head

    breaks: list[Any] = []
    confirmed = 0
    asked, why = _hub_head(args)
    heads = [(asked, "on the hub")] if asked is not None else []
    if (answered := hub_head(db)) is not None:
        heads.append((answered, "in the hub's last answer to a sync"))
    for head, where in heads:
        found = audit.check_head(db, head, where)
        breaks += found
        confirmed = confirmed if found else max(confirmed, head.entries)
    return breaks, confirmed, [] if asked is not None else [why]


def _outside_heads(args: argparse.Namespace, db: Session) -> tuple[list[Any], list[str]]:
    """Breaks found against the heads kept outside the store (beside it, on the hub)."""
    from firstresponse.security import audit

    breaks, confirmed, notes = _hub_heads(args, db)
    path = audit.head_path(args.store_path)
    try:
        kept = audit.read_head(path)
    except ValueError as exc:
        reason = f"the head kept beside the store is unreadable: {exc}"
        return [*breaks, audit.ChainBreak(0, reason)], notes
    if kept is not None:
        breaks += audit.check_head(db, kept, f"in {path.name}")
        if kept.remade_after:
            breaks += _remade(kept, path.name, confirmed, notes)
    elif audit.head_of(db).entries:
        breaks.append(
            audit.ChainBreak(
                0,
                f"the head kept beside the store ({path.name}) is missing: it was deleted,"
                " so entries deleted from the end cannot be ruled out by it",
            )
        )
    return breaks, notes


def _remade(kept: Any, name: str, confirmed: int, notes: list[str]) -> list[Any]:
    """A head file made again after it went missing: a break unless the hub's head
    confirms the chain past the point where it was remade."""
    from firstresponse.security import audit

    what = (
        f"the head kept beside the store ({name}) went missing and was made again at entry"
        f" {kept.remade_after} ({kept.remade_at or 'time unknown'})"
    )
    if confirmed >= kept.remade_after:
        notes.append(f"{what}; the hub's head confirms the chain to entry {confirmed}")
        return []
    reason = f"{what}: entries deleted from the end before then cannot be ruled out"
    return [audit.ChainBreak(kept.remade_after, reason)]


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
