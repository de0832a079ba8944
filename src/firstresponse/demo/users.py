"""The demo's officers: one of each role, every PIN `DEMO_PIN`."""

from __future__ import annotations

from sqlmodel import Session

from firstresponse.security.users import create_user

DEMO_PIN = "1234"
#: (collar, name, role, team); roles as `records.Role` values.
DEMO_USERS = (
    ("CH1001", "Call Handler Avery", "call_handler", "Alpha"),
    ("PC2001", "PC Jordan Reeve", "responder", "Alpha"),
    ("PC2002", "PC Sam Okafor", "responder", "Bravo"),
    ("SG3001", "Sgt Morgan Hale", "supervisor", "Alpha"),
    ("AD4001", "Admin Casey Lund", "admin", ""),
)


def seed_users(db: Session) -> None:
    for collar, name, role, team in DEMO_USERS:
        create_user(db, collar, name, role, team, DEMO_PIN, actor="demo")
