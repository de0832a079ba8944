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

from sqlmodel import Session, col, select

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


def roster_for(db: Session, user: User) -> RosterResponse:
    """The roster for `user`'s terminal, ordered by collar, with its digest."""
    scope = readers_scope(user)
    officers: list[RosterOfficer] = []
    if scope is not None:
        query = select(User).where(col(User.role) != Role.ADMIN.value).order_by(col(User.collar))
        if scope != "*":
            query = query.where(User.team == scope)
        officers = [
            RosterOfficer(collar=u.collar, name=u.name, role=u.role, team=u.team, active=u.active)
            for u in db.exec(query)
        ]
    text = canonical_json([officer.model_dump() for officer in officers])
    return RosterResponse(officers=officers, digest=hashlib.sha256(text.encode()).hexdigest())
