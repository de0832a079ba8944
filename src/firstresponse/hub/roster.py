"""The roster a terminal's lists and figures need: each officer's collar, name, role, team
and whether they are active, never PIN material or a credential.

Control-room and supervisor terminals get the force's officers: a supervisor's team and
overdue lists and figures by team name the attending officer's team, and a teammate may
never have signed in on that terminal. A responder's laptop gets its own team only: the
follow-through records it carries are its officer's and their team's, so other teams'
names would be data it has no use for. Admin accounts are not officers in any list.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select as columns
from sqlmodel import Session, col

from firstresponse.records import Role, User, canonical_json
from firstresponse.security.permissions import Action, allowed
from firstresponse.sync.protocol import RosterOfficer, RosterResponse


def readers_scope(user: User) -> str | None:
    """Whose officers `user`'s terminal is given: "*" (the force), a team name, or None."""
    if allowed(user, Action.TAKE_CALL) or allowed(user, Action.REVIEW):
        return "*"
    if allowed(user, Action.ATTEND) and user.team:
        return user.team
    return None


def roster_rows(db: Session, user: User) -> list[dict[str, Any]]:
    """The officers `user`'s terminal may name, ordered by collar, as plain rows (read as
    columns, not as officers: a force's roster is thousands of rows, asked for by every
    terminal's full sync)."""
    scope = readers_scope(user)
    if scope is None:
        return []
    query = (
        columns(col(User.collar), col(User.name), col(User.role), col(User.team), col(User.active))
        .where(col(User.role) != Role.ADMIN.value)
        .order_by(col(User.collar))
    )
    if scope != "*":
        query = query.where(col(User.team) == scope)
    return [
        {"collar": row[0], "name": row[1], "role": row[2], "team": row[3], "active": bool(row[4])}
        for row in db.execute(query)
    ]


def digest(rows: list[dict[str, Any]]) -> str:
    """The roster's digest: the SHA-256 of its canonical JSON (a terminal's If-None-Match)."""
    return hashlib.sha256(canonical_json(rows).encode()).hexdigest()


def roster_for(db: Session, user: User) -> RosterResponse:
    """The roster for `user`'s terminal, ordered by collar, with its digest."""
    rows = roster_rows(db, user)
    officers = [RosterOfficer(**row) for row in rows]
    return RosterResponse(officers=officers, digest=digest(rows))
