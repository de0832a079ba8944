"""Push the outbox to the hub, batch by batch, with the audit chain's head.

A row is acknowledged only after the hub has answered for it; a network or auth
failure stops the run and leaves every unanswered row pending; a rejection or a
conflict quarantines that one row with the hub's reason and the rest go on.

Every batch carries the terminal's audit chain head (count and hash) as it is then, and
a run with nothing to send still sends the head when it moved: the hub keeps the
newest it was told (hub.audit_head) and answers with it, and the terminal keeps that
answer (`HUB_HEAD`) for `audit verify` to compare with when the hub cannot be asked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import orjson
from pydantic import ValidationError
from sqlalchemy import update
from sqlmodel import Session, col, select

from firstresponse.records import OutboxItem, utcnow
from firstresponse.store import Store, outbox
from firstresponse.store.audit_head import GENESIS, Head, head_of
from firstresponse.sync import attest, held
from firstresponse.sync.client import (
    AuthFailure,
    HubClient,
    NetworkFailure,
    RequestRejected,
    SyncFailure,
)
from firstresponse.sync.protocol import (
    MAX_BATCH,
    MAX_BODY_BYTES,
    Attestation,
    ChainHead,
    Envelope,
    ItemResult,
)
from firstresponse.sync.state import get_cursor, set_cursor

BATCH = 200
SEND_BYTES = MAX_BODY_BYTES * 9 // 10  # a batch's body stays under the hub's cap
ENVELOPE_OVERHEAD = 512  # id, kind, version, hash and JSON punctuation around a body
HUB_HEAD = "audit_head_on_hub"  # sync cursor: the hub's last answer, "entries:hash"


@dataclass
class PushReport:
    """What one push run did."""

    sent: int = 0
    accepted: int = 0
    duplicate: int = 0
    quarantined: int = 0
    held: int = 0  # accepted, but the hub waits for a parent before filing them
    parents_sent: int = 0  # parents this terminal queued for held records
    stopped: str = ""  # why the run stopped early (network or auth), else ""
    auth_failed: bool = False


class OutboxRow(Protocol):
    """An outbox row as read for sending (an OutboxItem or a plain row of its columns)."""

    id: str
    record_id: str
    kind: str
    version: int
    content_hash: str
    body: str
    author: str
    key_id: str
    signature: str
    created_at: datetime


def envelope(item: OutboxRow) -> Envelope:
    """The wire form of an outbox row; raises ValueError if the row cannot be sent."""
    try:
        body = orjson.loads(item.body)
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"body is not valid JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise ValueError("body is not a JSON object")
    signed = item.key_id and item.signature
    try:
        return Envelope(
            id=item.record_id,
            kind=item.kind,
            version=item.version,
            content_hash=item.content_hash,
            body=body,
            author=item.author or None,
            attestation=Attestation(
                key_id=item.key_id,
                signature=item.signature,
                signed_at=attest.signing_time(item.created_at),
            )
            if signed
            else None,
        )
    except ValidationError as exc:
        raise ValueError(f"cannot be sent: {exc.errors()[0]['msg']}") from exc


def describe(result: ItemResult) -> str:
    """The quarantine reason for a refused envelope, with the hub's copy for a conflict."""
    if result.status == "conflict" and result.hub_copy is not None:
        copy = json.dumps(result.hub_copy.body, sort_keys=True)
        return f"conflict (409): {result.reason}; hub copy: {copy}"
    return f"rejected by the hub (422): {result.reason}"


def _send(
    client: HubClient, envelopes: list[Envelope], head: ChainHead | None = None
) -> tuple[list[ItemResult], ChainHead | None]:
    """Send a batch (and the chain head); if the hub refuses the batch as a whole, send
    items one by one. Returns the answers and the head the hub holds."""
    try:
        answer = client.push_batch(envelopes, head)
        return answer.results, answer.audit_head
    except RequestRejected as exc:
        if len(envelopes) == 1:
            env = envelopes[0]
            refused = ItemResult(
                id=env.id, version=env.version, status="rejected", code=422, reason=str(exc)
            )
            return [refused], None
    results: list[ItemResult] = []
    kept = None
    for env in envelopes:
        answers, told = _send(client, [env], head)
        results.extend(answers)
        kept = told or kept
    return results, kept


def hub_head(db: Session) -> Head | None:
    """The chain head the hub last said it holds for this terminal (None: never told)."""
    entries, _, digest = get_cursor(db, HUB_HEAD).partition(":")
    return Head(int(entries), digest) if entries.isdigit() and digest else None


def _keep_hub_head(store: Store, told: ChainHead | None) -> None:
    if told is not None:
        with store.session() as db:
            set_cursor(db, f"{told.entries}:{told.hash}", HUB_HEAD)


def _chain_head(db: Session) -> ChainHead:
    head = head_of(db)
    return ChainHead(entries=head.entries, hash=head.hash or GENESIS)


def report_head(store: Store, client: HubClient) -> None:
    """Send the chain head alone when it moved since the hub last answered for it."""
    with store.session() as db:
        head, known = _chain_head(db), hub_head(db)
    if head.entries == 0 or known == Head(head.entries, head.hash):
        return
    _keep_hub_head(store, client.push_batch([], head).audit_head)


def _rows(db: Session, ids: list[str]) -> dict[str, OutboxItem]:
    """The current outbox rows with these ids, loaded in one query."""
    if not ids:
        return {}
    query = select(OutboxItem).where(col(OutboxItem.id).in_(ids))
    return {row.id: row for row in db.exec(query)}


def _acknowledge(db: Session, ids: list[str]) -> None:
    """outbox.acknowledge for many rows, as one UPDATE per chunk rather than one per row."""
    now = utcnow()
    for start in range(0, len(ids), 500):
        db.execute(
            update(OutboxItem)
            .where(col(OutboxItem.id).in_(ids[start : start + 500]))
            .values(status=outbox.ACKNOWLEDGED, acknowledged_at=now, last_error="")
        )


def push_once(store: Store, client: HubClient, batch_size: int = BATCH) -> PushReport:
    """Push one batch of the most urgent waiting rows (at most MAX_BATCH, under SEND_BYTES)."""
    report = PushReport()
    with store.session() as db:
        head = _chain_head(db)
        ready: list[tuple[OutboxRow, Envelope]] = []
        unsendable: dict[str, str] = {}
        size = 0
        for item in outbox.next_batch(db, min(batch_size, MAX_BATCH)):
            try:
                env = envelope(item)
            except ValueError as exc:
                unsendable[item.id] = f"not sent: {exc}"
                continue
            size += len(item.body.encode("utf-8")) + ENVELOPE_OVERHEAD
            if ready and size > SEND_BYTES:
                break  # the rest go in the next batch: the hub refuses bodies past its cap
            ready.append((item, env))
        for row in _rows(db, list(unsendable)).values():
            outbox.quarantine(db, row, unsendable[row.id])
            report.quarantined += 1
    if not ready:
        return report
    try:
        results, told = _send(client, [env for _, env in ready], head)
    except SyncFailure as exc:
        report.stopped = str(exc)
        report.auth_failed = isinstance(exc, AuthFailure)
        with store.session() as db:
            rows = _rows(db, [item.id for item, _ in ready])
            for item, _ in ready:
                outbox.record_failure(db, rows[item.id], str(exc))
        return report
    report.sent = len(ready)
    _keep_hub_head(store, told)
    answered: list[tuple[OutboxRow, ItemResult]] = [
        (item, result)
        for (item, env), result in zip(ready, results, strict=False)
        if (result.id, result.version) == (env.id, env.version)  # else it stays pending
    ]
    stored = ("accepted", "duplicate")
    done = [item.id for item, result in answered if result.status in stored]
    refused = [(item, result) for item, result in answered if result.status not in stored]
    report.accepted = sum(result.status == "accepted" for _, result in answered)
    report.duplicate = sum(result.status == "duplicate" for _, result in answered)
    with store.session() as db:
        _acknowledge(db, done)
        rows = _rows(db, [item.id for item, _ in refused])
        for item, result in refused:
            outbox.quarantine(db, rows[item.id], describe(result))
            report.quarantined += 1
        for item, result in answered:
            if result.status in stored and result.waits_for:
                held.note(
                    db, item.record_id, item.version, item.kind, result.waits_for, result.author
                )
                report.held += 1
                report.parents_sent += held.send_parent(db, result.waits_for)
    return report


def push_outbox(
    store: Store, client: HubClient, batch_size: int = BATCH, max_batches: int = 10_000
) -> PushReport:
    """Push until the outbox is empty, a failure stops the run, or `max_batches` is reached."""
    total = PushReport()
    for _ in range(max_batches):
        report = push_once(store, client, batch_size)
        total.sent += report.sent
        total.accepted += report.accepted
        total.duplicate += report.duplicate
        total.quarantined += report.quarantined
        total.held += report.held
        total.parents_sent += report.parents_sent
        if report.stopped:
            total.stopped, total.auth_failed = report.stopped, report.auth_failed
            break
        if report.accepted + report.duplicate + report.quarantined == 0:
            break  # nothing waiting, or nothing the hub would answer
    if not total.stopped and not total.sent:
        try:
            report_head(store, client)
        except SyncFailure as exc:
            total.stopped, total.auth_failed = str(exc), isinstance(exc, AuthFailure)
    return total


__all__ = ["NetworkFailure", "PushReport", "push_once", "push_outbox"]
