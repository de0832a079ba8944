from __future__ import annotations

import pytest

from firstresponse.records import Role, User
from firstresponse.security.permissions import Action, PermissionDenied, allowed, require


def _user(role: Role, **kw: object) -> User:
    return User(collar="X1", name="Test User", role=role, **kw)


def test_call_handler_grades_but_cannot_override_a_floor() -> None:
    handler = _user(Role.CALL_HANDLER)
    assert allowed(handler, Action.GRADE_CALL)
    with pytest.raises(PermissionDenied, match="may not override grade floor"):
        require(handler, Action.OVERRIDE_GRADE_FLOOR)


def test_supervisor_overrides_and_reviews() -> None:
    sup = _user(Role.SUPERVISOR)
    assert require(sup, Action.OVERRIDE_GRADE_FLOOR) is sup
    assert allowed(sup, Action.REVIEW)


def test_locked_or_inactive_users_may_do_nothing() -> None:
    assert not allowed(_user(Role.SUPERVISOR, locked=True), Action.REVIEW)
    assert not allowed(_user(Role.SUPERVISOR, active=False), Action.REVIEW)
    with pytest.raises(PermissionError, match="sign in"):
        require(None, Action.LOOKUP)
