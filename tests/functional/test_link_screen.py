"""The call handler confirms that two records are one person from the history screen."""

from __future__ import annotations

from typing import Any

from pydantic_core import to_jsonable_python
from sqlmodel import select

from firstresponse.config import Settings
from firstresponse.demo.showcase import add_showcase
from firstresponse.lookup import person_history, rebuild_index
from firstresponse.records import PersonLink, Role, User, utcnow
from firstresponse.security.pins import hash_pin
from firstresponse.store import Store
from firstresponse.tui.app import FirstResponseApp
from firstresponse.tui.screens.call_handler.history import HistoryScreen, history_lines
from firstresponse.tui.screens.call_handler.person_side import LinkScreen
from tests.functional.pilot import settle, sign_in


async def test_confirm_a_proposed_link(settings: Settings, store: Store) -> None:
    with store.session() as db:
        people = add_showcase(db, utcnow().date())
        for link in db.exec(select(PersonLink)):
            db.delete(link)
        db.add(User(collar="CH1001", name="T", role=Role.CALL_HANDLER, pin_hash=hash_pin("1234")))
        rebuild_index(db)
        history: dict[str, Any] = to_jsonable_python(person_history(db, people[0].id), fallback=str)
    text = "\n".join(history_lines(history))
    assert "POSSIBLY THE SAME PERSON: Lizzie Thornbury" in text
    assert "Suspect against them: Darren Kettley: SERIAL PERPETRATOR" in text
    settings.idle_lock_seconds = 0
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "CH1001")
        app.push_screen(HistoryScreen(history))
        await settle(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.press("l")
        await settle(pilot, lambda: isinstance(app.screen, LinkScreen))
        await pilot.press("f2")
        await settle(pilot, lambda: isinstance(app.screen, HistoryScreen))
    with store.session() as db:
        link = db.exec(select(PersonLink)).one()
    assert link.status == "confirmed" and link.decided_by == "CH1001"
    assert "DOB day/month swapped" in link.reasons
