"""What each role may do, checked in the core (the UI only hides what this refuses)."""

from __future__ import annotations

from enum import StrEnum

from firstresponse.records import Role, User


class Action(StrEnum):
    """Things a user can do that a role decides."""

    LOOKUP = "lookup"
    TAKE_CALL = "take_call"
    GRADE_CALL = "grade_call"
    OVERRIDE_GRADE_FLOOR = "override_grade_floor"
    ATTEND = "attend"
    SUBMIT_CHECKLIST = "submit_checklist"
    AMEND_RECORD = "amend_record"
    DIP_SAMPLE = "dip_sample"
    REVIEW = "review"
    VIEW_COMPLIANCE = "view_compliance"
    EXPORT = "export"
    VIEW_RESTRICTED = "view_restricted"
    MANAGE_USERS = "manage_users"
    MANAGE_DEVICES = "manage_devices"
    VERIFY_AUDIT = "verify_audit"
    SYNC = "sync"
    LINK_RECORDS = "link_records"  # confirm or reject that two records are one person


GRANTS: dict[Role, frozenset[Action]] = {
    Role.CALL_HANDLER: frozenset(
        {Action.LOOKUP, Action.TAKE_CALL, Action.GRADE_CALL, Action.SYNC, Action.LINK_RECORDS}
    ),
    Role.RESPONDER: frozenset(
        {Action.LOOKUP, Action.ATTEND, Action.SUBMIT_CHECKLIST, Action.AMEND_RECORD, Action.SYNC}
    ),
    Role.SUPERVISOR: frozenset(
        {
            Action.LOOKUP,
            Action.OVERRIDE_GRADE_FLOOR,
            Action.AMEND_RECORD,
            Action.DIP_SAMPLE,
            Action.REVIEW,
            Action.VIEW_COMPLIANCE,
            Action.EXPORT,
            Action.VIEW_RESTRICTED,
            Action.SYNC,
            Action.LINK_RECORDS,
        }
    ),
    Role.ADMIN: frozenset(
        {
            Action.MANAGE_USERS,
            Action.MANAGE_DEVICES,
            Action.VERIFY_AUDIT,
            Action.EXPORT,
            Action.VIEW_COMPLIANCE,
            Action.VIEW_RESTRICTED,
            Action.LINK_RECORDS,  # the data owner
        }
    ),
}


class PermissionDenied(PermissionError):
    """The user's role does not allow the action."""

    def __init__(self, user: User, action: Action) -> None:
        role = user.role.replace("_", " ")
        super().__init__(f"{user.collar} ({role}) may not {action.value.replace('_', ' ')}")
        self.user = user
        self.action = action


def allowed(user: User | None, action: Action) -> bool:
    """True when `user` is active, unlocked and their role grants `action`."""
    if user is None or not user.active or user.locked:
        return False
    try:
        return action in GRANTS[Role(user.role)]
    except ValueError:
        return False


def require(user: User | None, action: Action) -> User:
    """Return `user` if allowed, else raise `PermissionDenied` (or for no user, PermissionError)."""
    if user is None:
        raise PermissionError(f"sign in to {action.value.replace('_', ' ')}")
    if not allowed(user, action):
        raise PermissionDenied(user, action)
    return user
