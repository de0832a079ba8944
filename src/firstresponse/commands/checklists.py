"""`firstresponse checklists validate [DIR]`: check checklist files before a force uses them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from firstresponse.wording import plural

EXPECTED = ("thrive", "safety_advice", "first_response", "risk", "dip_sample_review")


def run_validate(args: argparse.Namespace) -> int:
    from firstresponse.checklist import check_directory

    folder = Path(args.directory) if args.directory else Path(args.settings.checklists_dir)
    found, errors = check_directory(folder)
    problems = [f"error: {error}" for error in errors]
    if not errors and not args.partial:
        problems += [
            f"error: {folder}: no checklist with id '{name}'"
            for name in EXPECTED
            if name not in found
        ]
    for line in problems:
        print(line, file=sys.stderr)
    for checklist in found.values():
        print(
            f"ok  {checklist.id:<18} v{checklist.version:<6} {len(checklist.items):>3} items  "
            f"{checklist.hash[:12]}  {checklist.path.name if checklist.path else ''}"
        )
    if problems:
        print(f"{plural(len(problems), 'problem')} in {folder}", file=sys.stderr)
        return 1
    print(f"{plural(len(found), 'checklist')} valid in {folder}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("checklists", help="work with the checklist files")
    verbs = parser.add_subparsers(dest="checklists_verb", metavar="ACTION", required=True)
    validate = verbs.add_parser("validate", help="check every checklist file in a folder")
    validate.add_argument("directory", nargs="?", help="folder of .toml files (default: settings)")
    validate.add_argument(
        "--partial", action="store_true", help="do not require all five standard checklists"
    )
    validate.set_defaults(func=run_validate)
