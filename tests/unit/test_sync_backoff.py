"""Backoff: doubling ceilings up to a cap, jitter within [d/2, d], reset on success."""

from __future__ import annotations

import random

from firstresponse.sync.backoff import Backoff


def test_delays_double_up_to_the_cap_with_jitter() -> None:
    backoff = Backoff(base=1.0, cap=20.0, rng=random.Random(7))
    ceilings = []
    for _ in range(8):
        delay = backoff.next_delay()
        top = backoff.ceiling()
        assert top / 2 <= delay <= top
        ceilings.append(top)
    assert ceilings == [1, 2, 4, 8, 16, 20, 20, 20]


def test_jitter_spreads_terminals_that_failed_together() -> None:
    delays = {round(Backoff(rng=random.Random(seed)).next_delay(), 6) for seed in range(20)}
    assert len(delays) == 20


def test_success_starts_again_from_the_base() -> None:
    backoff = Backoff(base=2.0, cap=60.0, rng=random.Random(1))
    for _ in range(5):
        backoff.next_delay()
    backoff.reset()
    assert 1.0 <= backoff.next_delay() <= 2.0
