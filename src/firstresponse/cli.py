"""The `firstresponse` command. With no verb it opens the terminal UI.

Each verb lives in its own module under `firstresponse.commands`, listed in `VERBS`, which
defines `register(subparsers)`; parsers set `func(args) -> int` as their default.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from firstresponse import __version__
from firstresponse.commands import (
    audit,
    checklists,
    config,
    demo,
    demo_data,
    devices,
    dip_sample,
    export,
    hub,
    import_history,
    lookup,
    outbox,
    setup,
    sync,
    users,
)
from firstresponse.config import SettingsError, load_settings

#: Every verb's module, listed in `--help` in this order.
VERBS = (
    audit,
    checklists,
    config,
    demo,
    demo_data,
    devices,
    dip_sample,
    export,
    hub,
    import_history,
    lookup,
    outbox,
    setup,
    sync,
    users,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="firstresponse",
        description="Domestic abuse first response: call handling, attendance, supervision.",
    )
    parser.add_argument("--version", action="version", version=f"firstresponse {__version__}")
    parser.add_argument(
        "--db", dest="db_path", metavar="PATH", help="path of the terminal's local store"
    )
    sub = parser.add_subparsers(dest="verb", metavar="VERB")
    for verb in VERBS:
        verb.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    words = list(sys.argv[1:] if argv is None else argv)
    for word in words:  # bytes that are not UTF-8 arrive as lone surrogates: not text
        try:
            word.encode("utf-8")
        except UnicodeEncodeError:
            if os.path.exists(word):
                continue  # a file's name, as the file system spells it
            shown = word.encode("utf-8", "backslashreplace").decode("utf-8")
            print(
                f"firstresponse: '{shown}' is not valid UTF-8 text: type it again", file=sys.stderr
            )
            return 2
    args = parser.parse_args(words)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"firstresponse: {exc}", file=sys.stderr)
        return 2
    if args.db_path or settings.db_path:
        from firstresponse.commands.databases import DatabaseError, store_path

        try:
            flag = "--db" if args.db_path else "the setting db_path"
            settings.db_path = store_path(args.db_path or str(settings.db_path), flag)
        except DatabaseError as exc:
            print(f"firstresponse: {exc}", file=sys.stderr)
            return 2
    args.settings = settings
    func = getattr(args, "func", None)
    if func is None:
        from firstresponse.commands.terminal import run_terminal

        func = run_terminal
    try:
        return int(func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        from firstresponse.store.encryption import StoreKeyError  # only when something failed
        from firstresponse.store.failures import explain

        if isinstance(exc, StoreKeyError):
            print(f"firstresponse: cannot open the store: {exc}", file=sys.stderr)
            return 2
        hub = getattr(args, "hub_db", "") or args.verb in {"hub", "devices"}
        line = explain(exc, None if hub else settings.store_path)  # damaged, disk full...
        if line is None:
            raise
        print(f"firstresponse: {line}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
