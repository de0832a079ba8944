"""The officer a command acts as: `--as COLLAR` (or FIRSTRESPONSE_COLLAR) and their PIN.

The PIN comes from FIRSTRESPONSE_PIN (or `--pin` where a verb offers it), else a prompt
when standard input is a terminal. With none of them the command is refused in one plain
line before any PIN is checked, so a missing PIN never counts as a wrong one; a wrong PIN
counts towards the lock as at a terminal's sign-in (`security.users.authenticate`).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session

    from firstresponse.records import User
    from firstresponse.security.permissions import Action

COLLAR_ENV = "FIRSTRESPONSE_COLLAR"
PIN_ENV = "FIRSTRESPONSE_PIN"


class NotSignedIn(PermissionError):
    """No collar, or no PIN and nowhere to ask for one; the message says what to do."""


def add_officer_options(parser: argparse.ArgumentParser, who: str = "your collar number") -> None:
    parser.add_argument("--as", dest="collar", default="", metavar="COLLAR", help=who)


def collar_of(args: argparse.Namespace) -> str:
    collar = (getattr(args, "collar", "") or os.environ.get(COLLAR_ENV, "")).strip()
    if not collar:
        raise NotSignedIn(f"sign in with --as COLLAR (or set {COLLAR_ENV})")
    return collar.upper()


def pin_for(collar: str, given: str = "") -> str:
    """The PIN given, in the environment, or typed at a terminal; NotSignedIn if none."""
    pin = given or os.environ.get(PIN_ENV, "")
    if not pin and sys.stdin is not None and sys.stdin.isatty():
        try:
            pin = getpass.getpass(f"PIN for {collar}: ")
        except EOFError:
            pin = ""
    if not pin:
        raise NotSignedIn(f"no PIN for {collar}: set {PIN_ENV} or run this at a terminal")
    return pin


def sign_in(db: Session, args: argparse.Namespace, action: Action | None = None) -> User:
    """The officer running the command, signed in (and allowed `action`).

    Raises NotSignedIn, SignInError (wrong PIN, locked, unknown) or PermissionDenied.
    """
    from firstresponse.hub.db import serialise_audit
    from firstresponse.security.permissions import require
    from firstresponse.security.users import authenticate

    collar = collar_of(args)
    pin = pin_for(collar, getattr(args, "pin", "") or "")
    serialise_audit(db)  # a failed attempt is audited: one chain on a shared hub database
    user = authenticate(db, collar, pin)
    return require(user, action) if action is not None else user


def refused(verb: str, exc: PermissionError) -> int:
    """Say why the officer may not run `verb`; the exit code: 1 when their role does not
    allow it, 2 when they are not signed in (no collar, no PIN, sign-in refused)."""
    from firstresponse.security.permissions import PermissionDenied

    print(f"firstresponse {verb}: {exc}", file=sys.stderr)
    return 1 if isinstance(exc, PermissionDenied) else 2
