"""A pull with `wait` waits on the hub: it answers as soon as a change for its officer is
filed (from this hub process or another), empty when its wait ends, not for changes its
officer may not see, and with 401 soon after its session ends. The bounds here say
"promptly" with room for a loaded machine; speed itself is measured in bench/longpoll.py.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import pytest

from firstresponse.hub.db import hub_engine
from firstresponse.hub.sessions import end_session
from firstresponse.store import Store
from firstresponse.sync.client import AuthFailure, HubClient
from firstresponse.sync.protocol import PullResponse
from firstresponse.sync.push import push_outbox
from tests.hub.support import Hub, add_users, free_port, hub_process
from tests.hub.test_pull import dispatch

#: Seconds: a woken pull answers well inside this after the change is filed, even on a busy
#: machine (the waits below are far longer, so "woken" and "waited it out" stay apart).
PROMPT = 8.0


class Answer(NamedTuple):
    page: PullResponse
    started: float  # time.monotonic() when the pull was sent
    answered: float  # ... and when its answer came

    @property
    def took(self) -> float:
        return self.answered - self.started


@contextmanager
def waiting(clients: list[HubClient], wait: float) -> Iterator[list[Future[Answer]]]:
    """Each client's pull from where its feed stands now, waiting up to `wait` seconds,
    running in the background."""
    cursors = [client.pull().cursor for client in clients]

    def one(client: HubClient, cursor: str) -> Answer:
        start = time.monotonic()
        page = client.pull(cursor, wait=wait)
        return Answer(page, start, time.monotonic())

    with ThreadPoolExecutor(len(clients)) as pool:
        futures = [pool.submit(one, c, cur) for c, cur in zip(clients, cursors, strict=True)]
        time.sleep(0.5)  # every pull is waiting on the hub by now
        assert not any(future.done() for future in futures), "a pull answered without waiting"
        yield futures


def file_assignment(hub_url: str, hub: Hub, tmp_path: Path, assignee: str) -> str:
    """The control room sends a case to `assignee` through the hub at `hub_url`."""
    control = Store(tmp_path / f"control-{time.monotonic_ns()}.db")
    _incident, assignment_id = dispatch(control, assignee)
    with hub.client(hub.enrol(), "CH1001", url=hub_url) as client:
        assert push_outbox(control, client).accepted == 4
    control.close()
    return assignment_id


def assignments(page: PullResponse) -> list[str]:
    return [c.record_id for c in page.changes if c.topic == "assignment"]


def test_a_waiting_pull_answers_as_soon_as_its_assignment_is_filed(
    hub: Hub, tmp_path: Path
) -> None:
    responder = hub.client(hub.enrol(), "PC2001")
    with responder, waiting([responder], wait=25) as (pulled,):
        assignment_id = file_assignment(hub.url, hub, tmp_path, "PC2001")
        filed = time.monotonic()
        answer = pulled.result(timeout=30)
    assert assignments(answer.page) == [assignment_id]
    assert answer.answered - filed < PROMPT  # woken, not the end of its 25 s wait


def test_a_waiting_pull_answers_empty_when_its_wait_ends(hub: Hub) -> None:
    with hub.client(hub.enrol(), "PC2001") as responder:
        cursor = responder.pull().cursor
        start = time.monotonic()
        page = responder.pull(cursor, wait=1.5)
        took = time.monotonic() - start
        at_once = time.monotonic()
        old_terminal = responder.pull(cursor)  # no wait: answered at once, as before
        old_took = time.monotonic() - at_once
    assert (page.changes, page.cursor, page.more) == ([], cursor, False)
    assert 1.4 <= took < 1.5 + PROMPT
    assert old_terminal.changes == [] and old_took < 1.4


def test_a_waiting_pull_does_not_wake_for_a_change_it_may_not_see(hub: Hub, tmp_path: Path) -> None:
    """PC2002 (another team) waits while a case goes to PC2001: PC2002's pull answers
    only at the end of its wait, with nothing; PC2001's answers at once."""
    mine, theirs = hub.client(hub.enrol(), "PC2001"), hub.client(hub.enrol(), "PC2002")
    with mine, theirs, waiting([mine, theirs], wait=12) as (pulled_mine, pulled_theirs):
        assignment_id = file_assignment(hub.url, hub, tmp_path, "PC2001")
        filed = time.monotonic()
        answer_mine = pulled_mine.result(timeout=30)
        answer_theirs = pulled_theirs.result(timeout=30)
    assert assignments(answer_mine.page) == [assignment_id]
    assert answer_mine.answered - filed < PROMPT
    assert answer_theirs.page.changes == [] and answer_theirs.took >= 11.9


def test_a_waiting_pull_answers_401_soon_after_its_session_ends(hub: Hub) -> None:
    with hub.client(hub.enrol(), "PC2001") as responder:
        cursor = responder.pull().cursor
        assert responder.session is not None
        token = responder.session.token
        failed: list[BaseException] = []

        def wait_long() -> None:
            try:
                responder.pull(cursor, wait=25)
            except AuthFailure as exc:
                failed.append(exc)

        thread = threading.Thread(target=wait_long)
        thread.start()
        time.sleep(0.5)
        end_session(hub.engine, token, "signed out on another screen")
        start = time.monotonic()
        thread.join(25)
        took = time.monotonic() - start
    assert failed and "signed out on another screen" in str(failed[0])
    assert took < PROMPT  # the hub's session check, not the end of the wait


def test_the_hub_listens_for_feed_notifications_on_postgres(hub: Hub, hub_target: str) -> None:
    """On PostgreSQL a hub process is woken by NOTIFY, not by polling the feed."""
    if "postgresql" not in hub_target:
        pytest.skip("SQLite hubs poll the feed (one host)")
    app = hub._server.config.app  # type: ignore[union-attr]
    listening: Callable[[], bool] = lambda: app.state.wakeup.listening  # noqa: E731
    deadline = time.monotonic() + 10
    while not listening() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert listening()


@pytest.mark.postgres
def test_pulls_waiting_on_two_worker_processes_wake_for_a_change_filed_by_another_hub(
    tmp_path: Path,
) -> None:
    """`firstresponse hub --workers 2` on PostgreSQL holds the waiting pulls; the case is
    filed through a different hub process on the same database: each pull answers."""
    from tests.postgres import postgres_schema

    for target in postgres_schema("longpoll"):
        engine = hub_engine(target)
        add_users(engine)
        engine.dispose()
        writer = Hub(target)
        writer.start()
        try:
            with hub_process(target, free_port(), workers=2) as url:
                clients = [writer.client(writer.enrol(), "PC2001", url=url) for _ in range(6)]
                with waiting(clients, wait=25) as pulled:
                    assignment_id = file_assignment(writer.url, writer, tmp_path, "PC2001")
                    filed = time.monotonic()
                    answers = [future.result(timeout=30) for future in pulled]
                for client in clients:
                    client.close()
        finally:
            writer.stop()
            writer.engine.dispose()
    assert all(assignments(answer.page) == [assignment_id] for answer in answers)
    assert max(answer.answered for answer in answers) - filed < PROMPT


def test_a_terminal_pushes_on_the_client_its_pull_waits_on(hub: Hub, tmp_path: Path) -> None:
    """The sync worker pushes a saved record while its own pull waits on the hub (one
    client, two threads): the push is answered at once and the pull wakes for it."""
    with hub.client(hub.enrol(), "CH1001") as control:
        store = Store(tmp_path / "control.db")
        _incident, assignment_id = dispatch(store, "CH1001")  # sent to themselves
        with waiting([control], wait=25) as (pulled,):
            start = time.monotonic()
            assert push_outbox(store, control).accepted == 4
            filed = time.monotonic()
            answer = pulled.result(timeout=30)
        store.close()
    assert filed - start < 25 / 2  # not queued behind the pull's 25 s wait
    assert answer.answered - filed < PROMPT
    assert assignment_id in assignments(answer.page)
