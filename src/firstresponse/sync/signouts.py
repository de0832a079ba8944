"""Sign-outs the hub has not heard of yet, kept in the store until it answers.

An officer who signs out while the hub is away must not leave their session open on it
until it lapses. The sign-out is written to the store first (`note`), named by the digest
of the session token, as the hub keeps it (the token itself is never written down), and
sent with the device token alone (`send`): at once if the hub answers, else by the next
sync that reaches it, or by the sign-out courier (session.link) while nobody is signed in.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import col, select

from firstresponse.records.terminal import PendingSignOut
from firstresponse.store import Store
from firstresponse.sync.client import AuthFailure, HubClient, SessionToken
from firstresponse.sync.protocol import token_digest

BATCH = 100  # digests per request (the protocol's limit)


def note(store: Store, session: SessionToken) -> None:
    """Remember that `session` ended here (once, however often it is noted)."""
    digest = token_digest(session.token)
    with store.session() as db:
        if db.get(PendingSignOut, digest) is None:
            db.add(PendingSignOut(digest=digest, collar=session.collar))


def waiting(store: Store) -> list[str]:
    """The digests of the sessions still to end on the hub, oldest first."""
    with store.session() as db:
        query = select(PendingSignOut.digest).order_by(col(PendingSignOut.signed_out_at))
        return list(db.exec(query))


def send(store: Store, client: HubClient) -> int:
    """Tell the hub every waiting sign-out; returns how many it was told.

    Raises SyncFailure when the hub does not answer (they stay for next time). A hub that
    no longer knows this device (revoked or re-enrolled) has ended its sessions already:
    then they are dropped.
    """
    digests = waiting(store)
    for start in range(0, len(digests), BATCH):
        chunk = digests[start : start + BATCH]
        try:
            client.end_sessions(chunk)
        except AuthFailure:
            _forget(store, digests[start:])  # the device's sessions ended with it
            return start
        _forget(store, chunk)
    return len(digests)


def _forget(store: Store, digests: list[str]) -> None:
    with store.session() as db:
        db.execute(delete(PendingSignOut).where(col(PendingSignOut.digest).in_(digests)))
