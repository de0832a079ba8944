"""Waking the pulls that wait for the feed (`GET /pull?wait=`, hub.routes.pull).

One `Wakeup` per hub process, started and stopped with the app. A waiting pull registers
the feed recipients it may read (`hub.feed.recipients`) and its session's digest, then
sleeps on an asyncio event: no thread and no database connection while it waits. It is
woken when the feed gains an entry for one of its recipients, from any hub process:

- PostgreSQL: every transaction that writes the feed notifies the schema's channel with
  the recipients it wrote for (`notify`, called by hub.feed.flush); PostgreSQL delivers
  the notification at commit to every hub process, each LISTENing on one connection of
  its own. While that connection is down the process polls, as on SQLite.
- SQLite (one host): one query every `POLL_SECONDS` reads the recipients of the entries
  past the last one seen, for all the pulls waiting in the process together.

Every `SESSION_CHECK_SECONDS`, one query finds the waiting pulls whose session ended or
whose officer or device was locked, deactivated or revoked meanwhile, and wakes them to
answer 401, so a terminal hears of it within seconds, not at the end of its wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from anyio import to_thread
from sqlalchemy import func, or_, select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from firstresponse.hub.dialect import is_postgres, reader
from firstresponse.hub.id_lists import in_ids
from firstresponse.hub.models import HubChange, HubDevice, HubSession
from firstresponse.records import User, table_of, utcnow

log = logging.getLogger("firstresponse.hub.wakeup")

POLL_SECONDS = 0.25  # SQLite, or PostgreSQL without its listening connection
SESSION_CHECK_SECONDS = 2.0
RECONNECT_SECONDS = 2.0
POLL_ROWS = 1000
ANYONE = "*"  # a notification too long to list its recipients: every waiting pull looks
PAYLOAD_MAX = 7000  # bytes; PostgreSQL refuses payloads of 8000 and more

CHANGE, SESSION, CLOSING = "change", "session", "closing"
_CHANNEL = "left('feed:' || current_schema(), 63)"  # one channel per hub schema


def notify(db: Session, recipients: Iterable[str]) -> None:
    """Tell every hub process, at this transaction's commit, whom its feed entries are for
    (PostgreSQL; on SQLite the waiting processes poll)."""
    if not is_postgres(db.get_bind()):  # type: ignore[arg-type]
        return
    payload = json.dumps(sorted(set(recipients)))
    if len(payload.encode()) > PAYLOAD_MAX:
        payload = json.dumps([ANYONE])
    db.execute(text(f"SELECT pg_notify({_CHANNEL}, :payload)"), {"payload": payload})


def _recipients(payload: str) -> set[str] | None:
    """The recipients a notification names; None: anyone (or a payload not understood)."""
    try:
        found = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(found, list) or ANYONE in found:
        return None
    return {str(name) for name in found}


@dataclass(eq=False)
class Waiter:
    """One pull waiting: the recipients it reads, its session's digest, and why it woke."""

    readers: frozenset[str]
    session: str
    reason: str = ""
    _event: asyncio.Event = field(default_factory=asyncio.Event)

    def wake(self, reason: str) -> None:
        if self.reason != SESSION:  # an ended session outranks a change
            self.reason = reason
        self._event.set()

    async def wait(self, seconds: float) -> str:
        """Why it woke ("" when `seconds` passed first); ready to wait again."""
        if seconds > 0 and not self._event.is_set():
            try:
                await asyncio.wait_for(self._event.wait(), seconds)
            except TimeoutError:
                pass
            except asyncio.CancelledError:  # the server shutting down: answer, do not fail
                task = asyncio.current_task()
                if task is not None:
                    task.uncancel()
                return CLOSING
        reason = self.reason if self._event.is_set() else ""
        self._event.clear()
        self.reason = ""
        return reason


class Wakeup:
    """The waiting pulls of this hub process and what wakes them (see the module doc)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.listening = False
        self._by_reader: defaultdict[str, set[Waiter]] = defaultdict(set)
        self._waiters: set[Waiter] = set()
        self._tasks: list[asyncio.Task[None]] = []
        self._last_seq = 0

    @property
    def waiting(self) -> int:
        return len(self._waiters)

    async def start(self) -> None:
        self._last_seq = await to_thread.run_sync(self._newest_seq)
        self._tasks = [asyncio.create_task(self._poll()), asyncio.create_task(self._sessions())]
        if is_postgres(self.engine):
            self._tasks.append(asyncio.create_task(self._listen()))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        for waiter in list(self._waiters):
            waiter.wake(CLOSING)

    @contextlib.contextmanager
    def waiter(self, readers: Iterable[str], session: str) -> Iterator[Waiter]:
        """Register a pull before it reads the feed, so nothing filed after its read is
        missed; unregistered when it answers."""
        found = Waiter(frozenset(readers), session)
        self._waiters.add(found)
        for name in found.readers:
            self._by_reader[name].add(found)
        try:
            yield found
        finally:
            self._waiters.discard(found)
            for name in found.readers:
                held = self._by_reader.get(name)
                if held is not None:
                    held.discard(found)
                    if not held:
                        del self._by_reader[name]

    def wake(self, recipients: Iterable[str] | None) -> int:
        """Wake the pulls that read any of `recipients` (None: all); returns how many."""
        if recipients is None:
            woken = set(self._waiters)
        else:
            woken = set().union(*(self._by_reader.get(name, ()) for name in recipients))
        for waiter in woken:
            waiter.wake(CHANGE)
        return len(woken)

    # -- SQLite, or PostgreSQL while not listening: poll the feed's newest entries --------

    def _newest_seq(self) -> int:
        with Session(reader(self.engine)) as db:
            return int(db.execute(select(func.coalesce(func.max(HubChange.seq), 0))).scalar_one())

    def _entries_since(self, seq: int) -> list[tuple[int, str]]:
        table: Any = table_of(HubChange)
        query = (
            select(table.c.seq, table.c.recipient)
            .where(table.c.seq > seq)
            .order_by(table.c.seq)
            .limit(POLL_ROWS)
        )
        with Session(reader(self.engine)) as db:
            return [(int(row[0]), str(row[1])) for row in db.execute(query)]

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(POLL_SECONDS)
            if self.listening:
                continue
            try:
                rows = await to_thread.run_sync(self._entries_since, self._last_seq)
            except Exception as exc:  # the database away: waiting pulls end at their time
                log.warning("feed poll failed: %s", exc)
                continue
            if rows:
                self._last_seq = rows[-1][0]
                self.wake(None if len(rows) == POLL_ROWS else {name for _, name in rows})

    # -- PostgreSQL: LISTEN on a connection of this process's own --------------------------

    async def _listen(self) -> None:
        import psycopg

        conninfo = self.engine.url.set(drivername="postgresql")
        while True:
            try:
                dsn = conninfo.render_as_string(hide_password=False)
                async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as conn:
                    cursor = await conn.execute(f"SELECT {_CHANNEL}")
                    row = await cursor.fetchone()
                    channel = str(row[0]) if row else "feed:"
                    await conn.execute(f'LISTEN "{channel.replace(chr(34), chr(34) * 2)}"')
                    self.listening = True
                    self.wake(None)  # anything filed while no one listened: look again
                    async for note in conn.notifies():
                        self.wake(_recipients(note.payload))
            except (psycopg.Error, OSError) as exc:
                log.warning("feed notifications lost, polling until back: %s", exc)
            finally:
                if self.listening:
                    self.listening = False
                    with contextlib.suppress(Exception):
                        self._last_seq = await to_thread.run_sync(self._newest_seq)
                    self.wake(None)
            await asyncio.sleep(RECONNECT_SECONDS)

    # -- sessions ended while their pull waits --------------------------------------------

    def _ended(self, digests: list[str]) -> set[str]:
        """Which of these sessions may no longer be used (ended, past the shift, officer
        locked or deactivated, device revoked)."""
        session: Any = table_of(HubSession)
        device: Any = table_of(HubDevice)
        user: Any = table_of(User)
        query = (
            select(session.c.token_hash)
            .join(device, device.c.id == session.c.device_id)
            .join(user, user.c.id == session.c.user_id)
            .where(
                in_ids(session.c.token_hash),
                or_(
                    session.c.revoked_at.is_not(None),
                    device.c.revoked_at.is_not(None),
                    session.c.expires_at <= utcnow(),
                    user.c.active.is_(False),
                    user.c.locked.is_(True),
                ),
            )
        )
        with Session(reader(self.engine)) as db:
            return {str(row[0]) for row in db.execute(query, {"ids": digests})}

    async def _sessions(self) -> None:
        while True:
            await asyncio.sleep(SESSION_CHECK_SECONDS)
            digests = sorted({w.session for w in self._waiters if w.session})
            if not digests:
                continue
            try:
                ended = await to_thread.run_sync(self._ended, digests)
            except Exception as exc:
                log.warning("session check failed: %s", exc)
                continue
            for waiter in list(self._waiters):
                if waiter.session in ended:
                    waiter.wake(SESSION)


def of(app: Any) -> Wakeup | None:
    """The app's running `Wakeup` (None when its lifespan has not started it)."""
    return getattr(app.state, "wakeup", None)


@contextlib.asynccontextmanager
async def running(app: Any) -> Any:
    """The app's lifespan: a `Wakeup` on its engine from start to shutdown."""
    found = Wakeup(app.state.engine)
    await found.start()
    app.state.wakeup = found
    try:
        yield
    finally:
        app.state.wakeup = None
        await found.stop()
