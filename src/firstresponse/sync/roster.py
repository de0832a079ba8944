"""Keep the hub's roster on the terminal, so lists and figures know every officer's team.

An officer the terminal first learns of from the roster is stored without a PIN hash or
a signing key: they cannot sign in offline here (session.signin refuses an officer with
no PIN hash), and their first sign-in goes to the hub as today. For an officer already
here only the name, role, team and active flag change; the PIN check, lock and key are
the sign-in's own (session.signin.apply_user_states). The hub's digest of the copy held
is kept, so an unchanged roster costs one short answer (304).
"""

from __future__ import annotations

from sqlmodel import Session, select

from firstresponse.records import User
from firstresponse.store import Store
from firstresponse.sync.client import HubClient
from firstresponse.sync.protocol import RosterOfficer
from firstresponse.sync.state import get_cursor, set_cursor

DIGEST = "roster"  # the sync_cursor row holding the digest of the roster applied


def apply(db: Session, officers: list[RosterOfficer]) -> int:
    """Write the roster's officers; returns how many were new to this terminal."""
    known = {user.collar: user for user in db.exec(select(User))}
    added = 0
    for officer in officers:
        user = known.get(officer.collar)
        if user is None:
            user = User(collar=officer.collar, name=officer.name, role=officer.role, pin_hash="")
            added += 1
        user.name, user.role, user.team = officer.name, officer.role, officer.team
        user.active = officer.active
        db.add(user)
    return added


def refresh(store: Store, client: HubClient) -> bool:
    """Fetch the roster unless the copy held is current; True when one was applied."""
    with store.session() as db:
        digest = get_cursor(db, DIGEST)
    found = client.roster(digest)
    if found is None:
        return False
    with store.session() as db:
        apply(db, found.officers)
        set_cursor(db, found.digest, DIGEST)
    return True
