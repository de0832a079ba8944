"""What checking a request's session costs the hub: one read, and a write only now and then."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, update
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from firstresponse.hub import admin
from firstresponse.hub.auth import AuthError, token_hash
from firstresponse.hub.db import transaction
from firstresponse.hub.models import HubSession
from firstresponse.hub.sessions import (
    DEFAULT_LIMITS,
    SessionLimits,
    authenticate_session,
    touch_every,
)
from firstresponse.records import User, utcnow
from tests.hub.support import Hub


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements `engine` runs meanwhile (BEGIN/COMMIT bookkeeping left out)."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        verb = statement.strip().split()[0].upper()
        if verb not in {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "SET", "SHOW"}:
            seen.append(verb)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def last_seen(hub: Hub, session: str, when: Any) -> None:
    with transaction(hub.engine) as db:
        db.execute(
            update(HubSession)
            .where(col(HubSession.token_hash) == token_hash(session))
            .values(last_seen_at=when)
        )


def test_a_request_is_checked_in_one_read_and_its_session_touched_rarely(hub: Hub) -> None:
    token = hub.enrol()
    session = hub.headers(token)["X-Session"]
    last_seen(hub, session, utcnow())
    with statements(hub.engine) as seen:
        who = authenticate_session(hub.engine, token, session)
    assert who.user.collar == "PC2001"
    assert seen == ["SELECT"]  # device, session and officer together; nothing written
    last_seen(hub, session, utcnow() - touch_every(DEFAULT_LIMITS) - timedelta(seconds=1))
    with statements(hub.engine) as seen:
        authenticate_session(hub.engine, token, session)
    assert seen == ["SELECT", "UPDATE"]  # stale enough: the use is noted


def test_touches_are_rare_but_well_inside_the_idle_limit() -> None:
    assert touch_every(DEFAULT_LIMITS) >= timedelta(minutes=5)
    short = SessionLimits(shift=timedelta(hours=1), idle=timedelta(minutes=1))
    assert touch_every(short) <= timedelta(seconds=6)


def test_the_one_read_still_refuses_each_reason_from_the_next_request(hub: Hub) -> None:
    token, other = hub.enrol("MDT-1"), hub.enrol("MDT-2")
    session = hub.headers(token)["X-Session"]
    with pytest.raises(AuthError, match="unknown or revoked"):
        authenticate_session(hub.engine, "made-up", session)
    with pytest.raises(AuthError, match="session unknown"):
        authenticate_session(hub.engine, other, session)  # another device's session
    with pytest.raises(AuthError, match="session unknown"):
        authenticate_session(hub.engine, token, "made-up")
    with transaction(hub.engine) as db:
        db.execute(update(User).where(col(User.collar) == "PC2001").values(locked=True))
    with pytest.raises(AuthError, match="locked"):
        authenticate_session(hub.engine, token, session)
    with transaction(hub.engine) as db:
        db.execute(update(User).where(col(User.collar) == "PC2001").values(locked=False))
    assert authenticate_session(hub.engine, token, session).user.collar == "PC2001"
    with transaction(hub.engine) as db:
        boss = db.exec(select(User).where(col(User.collar) == "AD4001")).one()
        admin.revoke(db, boss, "MDT-1")
    with pytest.raises(AuthError, match="revoked"):
        authenticate_session(hub.engine, token, session)
