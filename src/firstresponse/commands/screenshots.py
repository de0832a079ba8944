"""`firstresponse screenshots`: regenerate screens/*.svg from the real app on demo data."""

from __future__ import annotations

import argparse
from pathlib import Path


def run(args: argparse.Namespace) -> int:
    import asyncio

    from firstresponse.demo.seed import prepare_demo_store
    from firstresponse.tui.screenshot_shots import all_shots
    from firstresponse.tui.screenshots import capture

    settings = args.settings
    settings.data_dir = Path(args.work)
    store = prepare_demo_store(settings)
    try:
        written = asyncio.run(capture(settings, store, Path(args.out), all_shots(), args.only))
    finally:
        store.close()
    for path in written:
        print(path)
    return 0 if written else 1


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("screenshots", help="save an SVG of every screen into screens/")
    parser.add_argument("--out", default="screens", help="folder for the SVGs (default screens/)")
    parser.add_argument("--only", default="", help="just this shot")
    parser.add_argument(
        "--work", default="var/screenshots", help="folder for the throwaway demo store"
    )
    parser.set_defaults(func=run)
