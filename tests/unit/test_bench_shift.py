"""bench/shift_start.py and bench/hub_setup.py: retries as the sync client makes them, the
hub's CPU read from /proc, and the latency summary."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def bench_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(REPO / "bench"))


def answers(*statuses: int) -> httpx.MockTransport:
    left = list(statuses)

    def reply(_request: httpx.Request) -> httpx.Response:
        status = left.pop(0)
        return httpx.Response(status, headers={"Retry-After": "0"} if status == 503 else {})

    return httpx.MockTransport(reply)


def ask(transport: httpx.MockTransport):
    from shift_start import Tally, request

    tally = Tally()

    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=transport, base_url="http://hub") as http:
            return await request(http, tally, "GET", "/v1/roster")

    return asyncio.run(go()), tally


def test_busy_answers_are_retried_after_retry_after_and_counted() -> None:
    answer, tally = ask(answers(503, 503, 200))
    assert answer.status_code == 200
    assert (tally.requests, tally.retries, tally.reasons) == (3, 2, {"HTTP 503"})


def test_not_modified_is_an_answer_and_a_refusal_is_not_retried() -> None:
    answer, tally = ask(answers(304))
    assert answer.status_code == 304 and tally.retries == 0
    with pytest.raises(httpx.HTTPStatusError):
        ask(answers(401))


def test_spread_gives_percentiles_in_milliseconds() -> None:
    from hub_setup import spread

    figures = spread([n / 1000 for n in range(1, 101)])  # 1..100 ms
    assert figures == {"p50": 51.0, "p95": 95.0, "p99": 99.0, "max": 100.0}


def test_cpu_seconds_counts_the_process_and_its_children() -> None:
    from hub_setup import cpu_seconds

    busy = "import time\nwhile time.process_time() < 0.5: pass\ntime.sleep(60)"
    child = subprocess.Popen([sys.executable, "-c", busy])
    try:
        deadline = time.monotonic() + 60
        while (used := cpu_seconds(child.pid)) < 0.4:
            assert time.monotonic() < deadline, "the child's CPU was never counted"
            time.sleep(0.1)
        own = time.process_time()
        assert cpu_seconds(os.getpid()) >= own + used - 0.05  # the child counted with its parent
    finally:
        child.kill()
        child.wait()
