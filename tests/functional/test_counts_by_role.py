"""Issue 25: the call handler's matches and a person's history count incidents by role: a
suspect is not a repeat victim, and a child who was there is not "0 in 12m"."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from textual.widgets import OptionList

from firstresponse.config import Settings
from firstresponse.lookup import index_person
from firstresponse.records import Child, Incident, Person, User
from firstresponse.security.pins import hash_pin
from firstresponse.store import Store
from firstresponse.tui.app import FirstResponseApp
from firstresponse.tui.screens.call_handler.history import history_lines
from tests.functional.pilot import press_to, settle, sign_in, type_text

SIZE = (80, 24)


def _people(store: Store) -> None:
    """Rex Testrole: victim twice and suspect once in the last year; Kit Testrole: the
    child at two of those incidents."""
    now = datetime.now(UTC)
    with store.session() as db:
        db.add(User(collar="CH1001", name="CH1001", role="call_handler", pin_hash=hash_pin("1234")))
        rex = Person(forename="Rex", surname="Testrole", dob=date(1985, 2, 3))
        kit = Person(forename="Kit", surname="Testrole", dob=date(2018, 6, 7))
        other = Person(forename="Dana", surname="Otherperson")
        db.add_all([rex, kit, other])
        db.flush()
        for n, (victim, suspect) in enumerate([(rex, other), (rex, other), (other, rex)]):
            incident = Incident(
                reference=f"R-{n}",
                occurred_at=now - timedelta(days=30 * (n + 1)),
                victim_id=victim.id,
                suspect_id=suspect.id,
                relationship="partner",
                source="import",
            )
            db.add(incident)
            db.flush()
            if n < 2:
                db.add(Child(incident_id=incident.id, person_id=kit.id, name="Kit Testrole"))
        for person in (rex, kit, other):
            index_person(db, person.id)


def _matches(app: FirstResponseApp) -> str:
    listing = app.screen.query_one("#matches", OptionList)
    return "\n".join(
        str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)
    )


async def _history_of(pilot, app: FirstResponseApp, name: str) -> str:  # type: ignore[no-untyped-def]
    await sign_in(pilot, "CH1001")
    await press_to(pilot, "n", "NewCallScreen")
    await type_text(pilot, name)
    await settle(pilot, lambda: name in _matches(app))
    matches = _matches(app)
    await pilot.press("f3", "enter")
    await settle(pilot, lambda: type(app.screen).__name__ == "HistoryScreen")
    return matches + "\n" + str(app.screen.query_one("#history-text").render())


async def test_the_matches_and_history_count_each_role(settings: Settings, store: Store) -> None:
    _people(store)
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        shown = await _history_of(pilot, app, "Rex Testrole")
    assert "2 as victim, 1 as suspect in 12m" in shown  # the matches line
    assert "DA in 12m" not in shown
    assert "DA incidents in last 12 months: 2 as victim, 1 as suspect" in shown


async def test_a_childs_history_says_they_were_there(settings: Settings, store: Store) -> None:
    _people(store)
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        shown = await _history_of(pilot, app, "Kit Testrole")
    assert "DA incidents in last 12 months: 2 as child" in shown
    assert "months: 0" not in shown


def test_a_history_from_before_the_counts_by_role_still_shows_its_count() -> None:
    (_, counts, *_) = history_lines({"name": "Old Record", "da_incidents_12m": 3})
    assert counts.startswith("DA incidents in last 12 months: 3 ·")
