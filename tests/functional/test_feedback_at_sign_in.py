"""An officer with unacknowledged review feedback sees it on signing in, over their home."""

from __future__ import annotations

import pytest
from textual.screen import Screen

from firstresponse.config import Settings
from firstresponse.demo.supervision import seed
from firstresponse.records import Role, User
from firstresponse.security.pins import hash_pin
from firstresponse.store import Store
from firstresponse.supervision import pending_feedback
from firstresponse.tui.app import FirstResponseApp
from firstresponse.tui.screens.feedback import FeedbackScreen
from tests.functional.pilot import sign_in


class OfficerHome(Screen[None]):
    """Stands in for the responder's home."""


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch) -> None:
    from firstresponse.tui import app as app_module

    monkeypatch.setitem(app_module.HOME_SCREENS, Role.RESPONDER, lambda: OfficerHome)


def _users_and_reviews(store: Store, settings: Settings) -> None:
    with store.session() as db:
        for collar, role, team in [
            ("SG3001", Role.SUPERVISOR, "Alpha"),
            ("PC2001", Role.RESPONDER, "Alpha"),
            ("PC2002", Role.RESPONDER, "Bravo"),
        ]:
            pin = hash_pin("1234")
            db.add(User(collar=collar, name=f"Test {collar}", role=role, team=team, pin_hash=pin))
        seed(db, settings)


async def test_feedback_opens_at_sign_in_until_acknowledged(
    settings: Settings, store: Store, home: None
) -> None:
    _users_and_reviews(store, settings)
    with store.session() as db:
        assert pending_feedback(db, "PC2002"), "the demo seed leaves feedback for PC2002"
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "PC2002")
        assert isinstance(app.screen, FeedbackScreen)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, OfficerHome)
    with store.session() as db:
        assert pending_feedback(db, "PC2002") == []

    again = FirstResponseApp(settings, store)
    async with again.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "PC2002")
        assert isinstance(again.screen, OfficerHome)


async def test_officer_without_feedback_goes_straight_home(
    settings: Settings, store: Store, home: None
) -> None:
    _users_and_reviews(store, settings)
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "PC2001")
        assert isinstance(app.screen, OfficerHome)
