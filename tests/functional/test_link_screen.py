"""The call handler confirms that two records are one person from the history screen."""

from __future__ import annotations

from typing import Any

from pydantic_core import to_jsonable_python
from sqlmodel import select
from textual.app import App

from firstresponse.demo.showcase import add_showcase
from firstresponse.lookup import person_history, rebuild_index
from firstresponse.records import PersonLink, Role, User, utcnow
from firstresponse.store import Store
from firstresponse.tui.screens.call_handler.history import HistoryScreen, history_lines


class _Host(App[None]):
    def __init__(self, store: Store, user: User, history: dict[str, Any]) -> None:
        super().__init__()
        self.store, self.user, self.history = store, user, history

    def on_mount(self) -> None:
        self.push_screen(HistoryScreen(self.history))


async def test_confirm_a_proposed_link(store: Store) -> None:
    with store.session() as db:
        people = add_showcase(db, utcnow().date())
        for link in db.exec(select(PersonLink)):
            db.delete(link)
        user = User(collar="CH1001", name="T", role=Role.CALL_HANDLER)
        db.add(user)
        rebuild_index(db)
        history = to_jsonable_python(person_history(db, people[0].id), fallback=str)
        user = User(collar="CH1001", name="T", role=Role.CALL_HANDLER)
    text = "\n".join(history_lines(history))
    assert "POSSIBLY THE SAME PERSON: Lizzie Thornbury" in text
    assert "Suspect against them: Darren Kettley: SERIAL PERPETRATOR" in text
    app = _Host(store, user, history)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("l")
        await pilot.wait_for_scheduled_animations()
        await pilot.press("f2")
        await pilot.pause()
    with store.session() as db:
        link = db.exec(select(PersonLink)).one()
    assert link.status == "confirmed" and link.decided_by == "CH1001"
    assert "DOB day/month swapped" in link.reasons
