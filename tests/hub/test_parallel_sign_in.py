"""Sign-ins sent side by side: right PINs all get in, wrong ones are all counted.

One officer's attempts are checked one at a time (hub.attempts): a terminal's long-poll
and push threads signing in again at once must not throttle each other, while a guesser
sending many PINs at once must gain nothing; different officers never wait on each other.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import httpx
import psycopg
import pytest
from sqlmodel import col, select

from firstresponse.hub import attempts
from firstresponse.hub.auth import token_hash
from firstresponse.hub.db import transaction
from firstresponse.hub.models import HubDevice, HubSignInAttempt
from firstresponse.records import User
from firstresponse.security import throttle
from tests.hub.support import PIN, Hub, add_users, pin_hash
from tests.postgres import DSN, postgres_schema

SIDE_BY_SIDE = 12
WRONG = "0000"


def sign_in(hub: Hub, token: str, collar: str = "PC2001", pin: str = PIN) -> httpx.Response:
    return httpx.post(
        hub.url + "/v1/sessions",
        json={"collar": collar, "pin": pin},
        headers={"X-Device-Token": token},
        timeout=60,
    )


def together(calls: list[Callable[[], httpx.Response]]) -> list[httpx.Response]:
    """Send every request at the same moment, each from its own thread."""
    start = threading.Barrier(len(calls))

    def send(call: Callable[[], httpx.Response]) -> httpx.Response:
        start.wait(30)
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(send, calls))


def wrong_pins_counted(hub: Hub, collar: str = "PC2001") -> int:
    with transaction(hub.engine) as db:
        rows = db.exec(
            select(HubSignInAttempt).where(
                col(HubSignInAttempt.collar) == collar, col(HubSignInAttempt.ok).is_(False)
            )
        )
        return len(rows.all())


def test_right_pins_sent_side_by_side_all_get_in(hub: Hub) -> None:
    token = hub.enrol()
    fumbled = [sign_in(hub, token, pin=WRONG) for _ in range(throttle.FREE_ATTEMPTS - 1)]
    assert [a.status_code for a in fumbled] == [401] * (throttle.FREE_ATTEMPTS - 1)
    answers = together([partial(sign_in, hub, token) for _ in range(SIDE_BY_SIDE)])
    assert [a.status_code for a in answers] == [200] * SIDE_BY_SIDE, [
        a.json() for a in answers if a.status_code != 200
    ]
    assert len({a.json()["token"] for a in answers}) == SIDE_BY_SIDE
    after = sign_in(hub, token, pin=WRONG)  # the right PINs cleared the two wrong ones
    assert after.json()["attempts_left"] == throttle.FREE_ATTEMPTS - 1


@pytest.mark.parametrize("devices", [1, SIDE_BY_SIDE], ids=["one device", "many devices"])
def test_wrong_pins_sent_side_by_side_are_each_counted_before_the_next_is_checked(
    hub: Hub, devices: int
) -> None:
    tokens = [hub.enrol() for _ in range(devices)]
    guesses = [partial(sign_in, hub, tokens[n % devices], pin=WRONG) for n in range(SIDE_BY_SIDE)]
    answers = together(guesses)
    checked = [a for a in answers if a.status_code == 401]
    assert len(checked) == throttle.FREE_ATTEMPTS  # no more checked than the throttle allows
    assert sorted(a.status_code for a in answers) == [401] * throttle.FREE_ATTEMPTS + [429] * (
        SIDE_BY_SIDE - throttle.FREE_ATTEMPTS
    )
    assert sorted(a.json()["attempts_left"] for a in checked) == list(range(throttle.FREE_ATTEMPTS))
    assert wrong_pins_counted(hub) == throttle.FREE_ATTEMPTS
    waiting = sign_in(hub, tokens[0])  # the right PIN must now wait, as the throttle says
    assert waiting.status_code == 429
    assert 0 < waiting.json()["retry_after"] <= throttle.seconds(throttle.FIRST_WAIT)


def test_officers_signing_in_together_do_not_hold_each_other_up(hub: Hub) -> None:
    collars = [f"PC{5000 + n}" for n in range(SIDE_BY_SIDE)]
    with transaction(hub.engine) as db:
        for collar in collars:
            name = f"Test {collar}"
            db.add(User(collar=collar, name=name, role="responder", pin_hash=pin_hash()))
    token = hub.enrol()
    rights = [partial(sign_in, hub, token, collar) for collar in collars]
    guesses = [partial(sign_in, hub, token, "PC2002", WRONG) for _ in range(6)]
    answers = together(rights + guesses)
    assert [a.status_code for a in answers[: len(rights)]] == [200] * len(rights)
    assert [a.json()["user"]["collar"] for a in answers[: len(rights)]] == collars
    assert sign_in(hub, token, "PC2001").status_code == 200  # PC2002's guesses hold up no one else


def test_a_dropped_request_keeps_its_turn_and_other_officers_go_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """In the process: a second attempt for a collar starts only when the first is done,
    even if the first's caller stopped waiting; another collar's attempt does not wait."""
    monkeypatch.setattr(attempts, "VERIFIERS", ThreadPoolExecutor(4))
    first_may_end, other_ran = threading.Event(), threading.Event()
    order: list[str] = []

    def first() -> str:
        assert other_ran.wait(30), "another officer's attempt waited for this one"
        assert first_may_end.wait(30)
        order.append("first")
        return "first"

    def second() -> str:
        order.append("second" if first_may_end.is_set() else "second overtook the first")
        return "second"

    def other() -> str:
        other_ran.set()
        return "other"

    async def scenario() -> list[str]:
        dropped = asyncio.ensure_future(attempts.in_turn("PC2001", first))
        await asyncio.sleep(0)
        following = asyncio.ensure_future(attempts.in_turn("PC2001", second))
        assert await attempts.in_turn("PC2002", other) == "other"
        dropped.cancel()  # the request went away while its PIN was being checked
        await asyncio.sleep(0.05)
        first_may_end.set()
        return [await following]

    assert asyncio.run(scenario()) == ["second"]
    assert order == ["first", "second"]


@pytest.fixture
def pg_hub() -> Iterator[Hub]:
    """A migrated PostgreSQL schema with the test officers (no server started)."""
    for url in postgres_schema("hubsignin"):
        hub = Hub(url)
        add_users(hub.engine)
        yield hub
        hub.engine.dispose()


@pytest.mark.postgres
def test_on_postgresql_another_hub_process_checking_the_collar_holds_it_up(
    pg_hub: Hub,
) -> None:
    """The advisory lock on the collar: another process (here, a plain connection) in the
    middle of checking PC2001 holds up PC2001's attempts here, and only PC2001's."""
    token = pg_hub.enrol()
    with transaction(pg_hub.engine) as db:
        device = db.exec(select(HubDevice).where(HubDevice.token_hash == token_hash(token))).one()
    results: dict[str, object] = {}

    def check(collar: str) -> None:
        results[collar] = attempts.check(pg_hub.engine, device, collar, PIN)

    with psycopg.connect(DSN) as other_hub:
        other_hub.execute(
            "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (attempts.SIGN_IN_LOCKS, "PC2001")
        )
        held_up = threading.Thread(target=check, args=("PC2001",))
        held_up.start()
        free = threading.Thread(target=check, args=("PC2002",))
        free.start()
        free.join(60)
        assert isinstance(results.get("PC2002"), attempts.Granted)
        held_up.join(0.5)
        assert "PC2001" not in results  # waits while the other process checks PC2001
        other_hub.commit()  # that check ends
    held_up.join(60)
    assert isinstance(results.get("PC2001"), attempts.Granted)
