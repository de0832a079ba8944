"""The `--from`/`--to` day options shared by the reporting commands."""

from __future__ import annotations

import argparse
from datetime import date


def add_period_options(parser: argparse.ArgumentParser) -> None:
    """Required `--from` and `--to` days (YYYY-MM-DD), stored as `args.start` and `args.end`."""
    for flag, dest, help_text in (
        ("--from", "start", "first day (YYYY-MM-DD)"),
        ("--to", "end", "last day, inclusive (YYYY-MM-DD)"),
    ):
        parser.add_argument(flag, dest=dest, type=date.fromisoformat, required=True, help=help_text)
