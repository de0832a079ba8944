"""Text bars for the dashboard: rates fill to the share, minutes scale to the slowest."""

from __future__ import annotations

from firstresponse.supervision.compliance import Figure
from firstresponse.tui.screens.supervisor.charts import bar, bar_lines, spark


def test_bar_fills_in_eighths() -> None:
    assert bar(1.0, 4) == "████"
    assert bar(0.5, 4) == "██  "
    assert bar(1 / 16, 2) == "▏ "
    assert bar(0.0, 3) == "   " and bar(2.0, 2) == "██"


def test_bar_lines() -> None:
    rates = {"Alpha": Figure("bwv_used", "BWV", count=4, hits=3)}
    assert bar_lines(rates, width=4, name_width=5) == ["Alpha ███  3/4 75%"]
    times = {
        "A": Figure("minutes_to_arrival", "T", count=1, median=10.0),
        "B": Figure("minutes_to_arrival", "T", count=1, median=20.0),
    }
    assert bar_lines(times, width=2, name_width=1) == ["A █  10 min (n=1)", "B ██ 20 min (n=1)"]
    assert bar_lines({}) == ["  (no records)"]


def test_spark_shows_gaps() -> None:
    assert spark([0.0, 50.0, 100.0, None], 100.0) == "▁▅█·"
    assert spark([10.0, 20.0]) == "▅█"
    rates = {"A": Figure("bwv_used", "BWV", count=2, hits=1)}
    assert bar_lines(rates, 2, 1, {"A": [None, 50.0]}) == ["A █  1/2 50%        ·▅"]
