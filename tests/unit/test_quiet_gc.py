"""Full garbage collections wait for a quiet moment, and everything is put back after."""

from __future__ import annotations

import gc

from firstresponse.tui.quiet_gc import NEVER, QUIET_SECONDS, QuietCollector


def test_full_collections_wait_for_quiet_and_are_put_back() -> None:
    before = gc.get_threshold()
    collector = QuietCollector()
    collector.start()
    try:
        assert gc.get_freeze_count() > 0  # what was loaded is never looked at again
        assert gc.get_threshold()[2] == NEVER  # Python starts no full collection itself
        for _ in range(before[2]):
            gc.collect(1)  # young collections passing objects on: a full one is due
        assert not collector.collect_if_quiet(QUIET_SECONDS / 2)  # the officer is typing
        assert collector.collect_if_quiet(QUIET_SECONDS)
        assert gc.get_count()[2] == 0
        assert not collector.collect_if_quiet(QUIET_SECONDS)  # none due any more
    finally:
        collector.stop()
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
