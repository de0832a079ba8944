"""Issue 25: what became of an order, recorded by the officer or supervisor who learns it
(w from either home), and the supervisor's week ahead of hearings and orders ending."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from firstresponse.config import Settings
from firstresponse.followup.orders import week_ahead
from firstresponse.records import Incident, OrderOutcome, Person, ProtectiveOrder, Role, User
from firstresponse.security.pins import hash_pin
from firstresponse.store import Store
from firstresponse.store.form_drafts import FormDraft
from firstresponse.tui.app import FirstResponseApp
from firstresponse.tui.screens.followup import orders
from firstresponse.tui.screens.followup.orders import OrderOutcomeForm, OrderOutcomesScreen
from firstresponse.tui.widgets.picker import Picker
from tests.builders import assigned_incident
from tests.functional.pilot import press_to, settle, sign_in, type_text

SIZE = (80, 24)
NOW = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)  # the morning of the DVPN's hearing


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(orders, "utcnow", lambda: NOW)


def _orders(store: Store, *, against_victim: bool = False) -> dict[str, str]:
    """PC2001's incident T-1 against Rex Testsuspect with a DVPN heard today and bail to
    the 15th; a supervisor; and (if asked) a DVPN stored against the victim to review."""
    pin = hash_pin("1234")
    with store.session() as db:
        incident = assigned_incident(db, "PC2001", ("Risks", []), pin_hash=pin)
        db.add(User(collar="SG3001", name="Sgt Test", role=Role.SUPERVISOR, pin_hash=pin))
        rex = Person(forename="Rex", surname="Testsuspect", dob=date(1988, 5, 1))
        db.add(rex)
        db.flush()
        row = db.get(Incident, incident.id)
        assert row is not None
        row.suspect_id = rex.id
        made = dict(subject_id=rex.id, protected_id=row.victim_id, incident_id=row.id,
                    starts_on=date(2026, 1, 10))  # fmt: skip
        dvpn = ProtectiveOrder(kind="dvpn", ends_on=date(2026, 1, 12), **made)  # type: ignore[arg-type]
        bail = ProtectiveOrder(kind="bail_conditions", ends_on=date(2026, 1, 15), **made)  # type: ignore[arg-type]
        db.add_all([dvpn, bail])
        ids = {"dvpn": dvpn.id, "bail": bail.id, "incident": row.id}
        if against_victim:
            wrong = ProtectiveOrder(
                kind="dvpn",
                subject_id=row.victim_id,
                incident_id=row.id,
                starts_on=date(2025, 11, 2),
                ends_on=date(2025, 11, 4),
            )
            db.add(wrong)
            db.flush()
            db.connection().execute(
                text("INSERT INTO order_party_review (order_id, reason) VALUES (:id, :why)"),
                {"id": wrong.id, "why": "Recorded against the victim: who does it restrain?"},
            )
        return ids


def _text(pilot: Pilot[Any]) -> str:
    return "\n".join(str(w.render()) for w in pilot.app.screen.query(Static))


async def _form(pilot: Pilot[Any], collar: str = "PC2001") -> OrderOutcomeForm:
    await sign_in(pilot, collar)
    await press_to(pilot, "w", "OrderOutcomesScreen")
    listing = pilot.app.screen
    assert isinstance(listing, OrderOutcomesScreen)
    assert [a.kind for a in listing.items] == ["dvpn", "bail_conditions"]  # soonest first
    await press_to(pilot, "enter", "OrderOutcomeForm")
    form = pilot.app.screen
    assert isinstance(form, OrderOutcomeForm)
    return form


async def test_the_officer_records_the_dvpo_granted(settings: Settings, store: Store) -> None:
    ids = _orders(store)
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        form = await _form(pilot)
        assert form.query_one("#oo-outcome", Picker).has_focus
        await pilot.press("right")  # Granted
        assert form.query_one("#oo-outcome", Picker).value == "granted"
        await pilot.press("ctrl+s")  # no end given: refused, with why
        status = form.query_one("#fu-status")
        await settle(pilot, lambda: "14 to 28 days" in str(status.render()))
        assert app.screen is form
        await pilot.press("tab", "tab")  # past the day (today) to the end
        await type_text(pilot, "2026-02-05")
        await press_to(pilot, "ctrl+s", "OrderOutcomesScreen")
        listing = app.screen
        assert isinstance(listing, OrderOutcomesScreen)
        await settle(pilot, lambda: [a.kind for a in listing.items] == ["bail_conditions"])
    with store.session() as db:
        (outcome,) = db.exec(select(OrderOutcome)).all()
        assert db.exec(select(FormDraft)).all() == []
    assert (outcome.order_id, outcome.outcome) == (ids["dvpn"], "granted")
    assert (outcome.outcome_on, outcome.ends_on) == (date(2026, 1, 12), date(2026, 2, 5))
    assert outcome.decided_by == "PC2001"


async def test_escape_keeps_the_outcome_typed(settings: Settings, store: Store) -> None:
    _orders(store)
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        form = await _form(pilot)
        await pilot.press("right", "right", "enter")  # Refused; Enter moves on
        await type_text(pilot, "2026-01-12")
        await pilot.press("enter")
        assert form.query_one("#oo-ends", Input).has_focus
        await press_to(pilot, "escape", "OrderOutcomesScreen")
        await press_to(pilot, "enter", "OrderOutcomeForm")
        again = app.screen
        assert isinstance(again, OrderOutcomeForm)
        await settle(pilot, lambda: again.query_one("#oo-on", Input).value == "2026-01-12")
        assert again.query_one("#oo-outcome", Picker).value == "refused"
        await pilot.press("ctrl+s")  # refused needs the court's reason
        await settle(
            pilot, lambda: "say why the court" in str(again.query_one("#fu-status").render())
        )
    with store.session() as db:
        assert db.exec(select(OrderOutcome)).all() == []


async def test_the_supervisors_week_ahead(settings: Settings, store: Store) -> None:
    _orders(store, against_victim=True)
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "SG3001")
        assert "w week ahead" in _text(pilot) or "w week ahead" in str(
            app.screen.query_one("#queue-hint").render()
        )
        await press_to(pilot, "w", "WeekAheadScreen")
        await settle(pilot, lambda: "Hearings due this week: 1" in _text(pilot))
        shown = _text(pilot)
        assert (
            "2026-01-12 hearing: DVPN against Rex Testsuspect, protecting Alex Testperson" in shown
        )
        assert "Orders and bail ending this week: 1" in shown
        assert "2026-01-15 ends: Bail conditions against Rex Testsuspect" in shown
        assert "Orders to review: stored against the victim, no suspect named: 1" in shown
        assert "DVPN against Alex Testperson made 2025-11-02 at T-1: Recorded against" in shown
        assert "Hearings past with no outcome recorded: 1" in shown  # the one to review
        await press_to(pilot, "o", "OrderOutcomesScreen")  # the supervisor records one too
        listing = app.screen
        assert isinstance(listing, OrderOutcomesScreen)
        assert "OVERDUE hearing 04 Nov" in str(listing.query_one("#oo-list").render_line(1))
        await pilot.press("down")  # past the overdue one stored against the victim
        await press_to(pilot, "enter", "OrderOutcomeForm")
        form = app.screen
        form.query_one("#oo-outcome", Picker).value = "adjourned"
        form.query_one("#oo-next", Input).value = "2026-01-14"
        await press_to(pilot, "ctrl+s", "OrderOutcomesScreen")
        await press_to(pilot, "escape", "WeekAheadScreen")
        await settle(pilot, lambda: "2026-01-14 hearing: DVPN against Rex" in _text(pilot))
    with store.session() as db:
        (outcome,) = db.exec(select(OrderOutcome)).all()
    assert (outcome.outcome, outcome.next_hearing_on) == ("adjourned", date(2026, 1, 14))
    assert outcome.decided_by == "SG3001"


def test_notices_from_imported_history_are_not_waiting_for_an_outcome(store: Store) -> None:
    """A force's history holds what became of its notices (a DVPO is its own record): an
    imported DVPN from years ago is neither awaiting an outcome nor a hearing this week."""
    from firstresponse.followup.orders import awaiting_outcome

    ids = _orders(store)
    with store.session() as db:
        live = db.get(Incident, ids["incident"])
        assert live is not None
        old = Incident(reference="H-1", occurred_at=datetime(2022, 1, 3, tzinfo=UTC),
                       victim_id=live.victim_id, suspect_id=live.suspect_id)  # fmt: skip
        db.add(old)
        db.flush()
        assert old.status == "historic"
        db.add(ProtectiveOrder(kind="dvpn", subject_id=live.suspect_id or "",
                               protected_id=live.victim_id, incident_id=old.id,
                               starts_on=date(2022, 1, 3), ends_on=date(2022, 1, 5)))  # fmt: skip
    with store.session() as db:
        waiting = awaiting_outcome(db)
        week = week_ahead(db, NOW.date())
    assert sorted(a.order_id for a in waiting) == sorted([ids["dvpn"], ids["bail"]])
    assert week.hearings_overdue == []
    assert [line[:10] for line in week.hearings_due] == ["2026-01-12"]


async def test_a_marac_referral_is_listed_then_heard(settings: Settings, store: Store) -> None:
    ids = _orders(store)
    with store.session() as db:
        incident = db.get(Incident, ids["incident"])
        assert incident is not None
        marac = ProtectiveOrder(kind="marac", subject_id=incident.suspect_id or "",
                                protected_id=incident.victim_id, incident_id=incident.id,
                                starts_on=date(2026, 1, 10), ends_on=date(2027, 1, 10))  # fmt: skip
        db.add(marac)
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "PC2001")
        await press_to(pilot, "w", "OrderOutcomesScreen")
        listing = app.screen
        assert isinstance(listing, OrderOutcomesScreen)
        assert [a.kind for a in listing.items] == ["dvpn", "bail_conditions", "marac"]
        assert "to be listed" in str(listing.query_one("#oo-list").render_line(3))
        await pilot.press("down", "down")
        await press_to(pilot, "enter", "OrderOutcomeForm")
        form = app.screen
        assert "MARAC referral for Alex Testperson" in _text(pilot)
        await pilot.press("right", "enter", "enter")  # Listed; today; on to its date
        await type_text(pilot, "2026-01-20")
        await press_to(pilot, "ctrl+s", "OrderOutcomesScreen")
        await settle(pilot, lambda: listing.items[2].due == date(2026, 1, 20))
        with store.session() as db:  # the supervisor's week ahead (from the 14th) lists it
            week = week_ahead(db, date(2026, 1, 14))
        assert week.conferences == [
            "2026-01-20 conference: MARAC referral for Alex Testperson (suspect Rex Testsuspect)"
        ]
        assert "MARAC 20 Jan" in str(listing.query_one("#oo-list").render_line(3))
        listing.query_one("#oo-list", DataTable).move_cursor(row=2)
        await press_to(pilot, "enter", "OrderOutcomeForm")
        form = app.screen
        assert "so far: Listed at MARAC on 2026-01-12 for 2026-01-20" in _text(pilot)
        form.query_one("#oo-outcome", Picker).value = "marac_heard"
        await pilot.press("ctrl+s")  # heard needs what was agreed
        status = form.query_one("#fu-status")
        await settle(pilot, lambda: "what the conference agreed" in str(status.render()))
        form.query_one("#oo-note", Input).value = "IDVA allocated; safety plan; flag on address"
        await press_to(pilot, "ctrl+s", "OrderOutcomesScreen")
        await settle(pilot, lambda: "marac" not in [a.kind for a in listing.items])
    with store.session() as db:
        done = db.exec(select(OrderOutcome).where(OrderOutcome.order_id == marac.id)).all()
    assert [(d.outcome, d.next_hearing_on) for d in done] == [
        ("marac_listed", date(2026, 1, 20)), ("marac_heard", None)
    ]  # fmt: skip


async def test_the_outcome_typed_at_full_speed_survives_ctrl_q(
    settings: Settings, store: Store
) -> None:
    from tests.functional.forms import burst

    _orders(store)
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        await _form(pilot)
        burst(app, "<right><right><right>\r2026-01-12\r\r2026-01-19\tNorth Court<ctrl+q>")
        await settle(pilot, lambda: not app.is_running)
    again = FirstResponseApp(settings, store)
    async with again.run_test(size=SIZE) as pilot:
        form = await _form(pilot)
        await settle(pilot, lambda: form.query_one("#oo-court", Input).value == "North Court")
        assert form.query_one("#oo-outcome", Picker).value == "adjourned"
        assert form.query_one("#oo-next", Input).value == "2026-01-19"
        await press_to(pilot, "ctrl+s", "OrderOutcomesScreen")
    with store.session() as db:
        (outcome,) = db.exec(select(OrderOutcome)).all()
        assert db.exec(select(FormDraft)).all() == []
    assert (outcome.outcome, outcome.next_hearing_on, outcome.court) == (
        "adjourned", date(2026, 1, 19), "North Court"
    )  # fmt: skip
