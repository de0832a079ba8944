"""Referrals, amendments, the outbox view and the sync status bar, by keyboard at 80x24."""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import select
from textual.app import App
from textual.widgets import Input, OptionList

from firstresponse.attendance import submit
from firstresponse.checklist import load_checklists
from firstresponse.config import Settings
from firstresponse.demo.answers import child_entry, first_response_answers
from firstresponse.records import Assessment, Child, Decision, Incident, OutboxItem
from firstresponse.store import Store
from firstresponse.store.outbox import PRIORITY_HIGH_RISK
from firstresponse.tui.app import FirstResponseApp
from firstresponse.tui.screens.responder.checklist import ChecklistScreen
from firstresponse.tui.screens.responder.dialogs import AmendDialog, ReasonDialog
from firstresponse.tui.screens.responder.incident import IncidentScreen
from firstresponse.tui.screens.responder.outbox import OutboxScreen
from firstresponse.tui.screens.responder.referrals import ReferralsScreen
from firstresponse.tui.widgets.marked_list import MarkedList
from firstresponse.tui.widgets.marks import CURSOR
from firstresponse.tui.widgets.status_bar import StatusBar
from tests.functional.forms import burst, from_terminal
from tests.functional.pilot import settle, sign_in, type_text
from tests.functional.test_responder import OFFICER, _open_checklist, _open_incident, _prepare


def _with_child() -> dict:
    answers = first_response_answers(
        risk_checklist_done="no", children_present="yes", children=[child_entry("Robin", 7)]
    )
    answers["risk_checklist_done.reason"] = "Tomorrow"
    return answers


async def test_declining_a_referral_needs_a_reason(settings: Settings, store: Store) -> None:
    incident_id = _prepare(store, _with_child())
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_incident(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, ReferralsScreen)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press("enter")  # empty: refused, the dialog stays
        assert isinstance(app.screen, ReasonDialog)
        await type_text(pilot, "Already open to children's services")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReferralsScreen)
        await pilot.press("escape")
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, IncidentScreen)
    with store.session() as db:
        decision = db.exec(select(Decision).where(Decision.kind == "referral_declined")).one()
        assert decision.reason.endswith("Already open to children's services")
        assert decision.incident_id == incident_id


async def test_amending_a_submitted_checklist_starts_a_new_version(
    settings: Settings, store: Store
) -> None:
    incident_id = _prepare(store, _with_child())
    checklists = load_checklists(settings.checklists_dir)
    with store.session() as db:
        draft = db.exec(select(Assessment)).one()
        draft.answers = {
            **draft.answers,
            "_referrals": {"childrens_services": {"accepted": True, "reason": ""}},
        }
        db.add(draft)
    submit(store, incident_id, OFFICER, checklists)
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_incident(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AmendDialog)
        await type_text(pilot, "Wrong arrival time")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
        assert app.screen.draft_id is not None
        await pilot.press("escape")
        await settle(pilot)
        text = "\n".join(str(w.render()) for w in app.screen.query("Static"))
        assert "submitted v1" in text and "amendment v2, complete" in text
        await pilot.press("s")
        await settle(pilot)
        text = "\n".join(str(w.render()) for w in app.screen.query("Static"))
        assert "submitted v2" in text and "v2 amended: Wrong arrival time" in text
    with store.session() as db:
        rows = sorted(db.exec(select(Assessment)), key=lambda a: a.version)
        assert [(a.version, a.status) for a in rows] == [(1, "submitted"), (2, "submitted")]
        assert rows[1].replaces_id == rows[0].id
        assert rows[1].amendment_reason == "Wrong arrival time"


async def test_outbox_lists_high_risk_first(settings: Settings, store: Store) -> None:
    _prepare(store)
    with store.session() as db:
        db.add(OutboxItem(record_id="a", kind="person", content_hash="h", body="{}"))
        db.add(
            OutboxItem(
                record_id="b",
                kind="incident",
                content_hash="h",
                body='{"reference": "T-9", "status": "attended", "risk_level": "high"}',
                priority=PRIORITY_HIGH_RISK,
            )
        )
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, OFFICER)
        bar = app.screen.query_one(StatusBar)
        await settle(pilot, lambda: "2 waiting" in bar.text)  # read on a thread
        assert "2 waiting" in str(bar.render())
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, OutboxScreen)
        lines = str(app.screen.query_one("#outbox-lines").render()).splitlines()
        assert lines == ["• HIGH RISK · Incident: T-9, attended, risk high", "• Person: "]


async def test_status_bar_runs_sync_when_a_hub_is_set(settings: Settings, store: Store) -> None:
    _prepare(store)
    online = replace(settings, hub_url="http://127.0.0.1:9", device_token="t")
    app = FirstResponseApp(online, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, OFFICER)
        for _ in range(40):
            await settle(pilot)
            text = str(app.screen.query_one(StatusBar).render())
            if "hub not answering since" in text:
                break
        assert "Sync: hub not answering since " in text and "(no hub set)" not in text
        assert "unreachable" not in text and "Errno" not in text  # words, not the error
    log = (settings.log_dir / "terminal.log").read_text()
    assert "sync: hub unreachable" in log  # the detail is in the terminal's log


async def test_attending_an_incident_not_sent_to_me(settings: Settings, store: Store) -> None:
    _prepare(store)
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, OFFICER)
        await pilot.press("n")
        await settle(pilot)
        for text in ("Jo", "Sample", "5 Nowhere Lane", "ZZ9 9ZZ", "Flagged down in street"):
            await type_text(pilot, text)
            await pilot.press("enter")
        await settle(pilot)
        listing = app.screen.query_one("#assignments", OptionList)
        assert listing.option_count == 2
        bar = app.screen.query_one(StatusBar)
        await settle(pilot, lambda: "2 waiting" in bar.text)  # person, incident
        assert "2 waiting" in str(bar.render())
    with store.session() as db:
        incident = db.exec(select(Incident).where(Incident.source == "responder")).one()
        assert incident.address == "5 Nowhere Lane" and incident.created_by == OFFICER


async def test_risk_screen_shows_levels_and_factors(settings: Settings, store: Store) -> None:
    from firstresponse.demo.answers import risk_answers
    from firstresponse.tui.screens.responder.risk import RiskScreen

    incident_id = _prepare(store)
    risk = load_checklists(settings.checklists_dir)["risk"]
    answers = risk_answers(risk, yes=("strangulation",), officer_level="standard")
    with store.session() as db:
        db.add(
            Assessment(
                incident_id=incident_id,
                checklist_id="risk",
                checklist_version=risk.version,
                checklist_hash=risk.hash,
                author=OFFICER,
                answers=answers,
            )
        )
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_incident(pilot)
        await pilot.press("k")
        await settle(pilot)
        assert isinstance(app.screen, RiskScreen)
        text = "\n".join(str(w.render()) for w in app.screen.query("Static"))
        assert "From the answers and history: HIGH" in text  # strangulation suggests high
        assert "After your judgement:         STANDARD" in text
        assert "LOWERED below the computed level: REASON NEEDED" in text
        assert "stopped them breathing" in text


async def test_the_checklist_lists_the_children_the_call_handler_recorded(
    settings: Settings, store: Store
) -> None:
    incident_id = _prepare(store)
    with store.session() as db:
        db.add(Child(incident_id=incident_id, name="Robin Caller", age=7))
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_checklist(pilot)
        radios = app.screen.query_one("#c-children_present")
        radios.focus()
        await pilot.press("enter")  # "Yes": the officer's own answer
        await settle(pilot)
        names = [i.value for i in app.screen.query(Input) if i.id and i.id.endswith("-name")]
        assert names == ["Robin Caller"]
    with store.session() as db:
        draft = db.exec(select(Assessment)).one()
        child = db.exec(select(Child)).one()  # still one record for Robin
    assert draft.answers["children_present"] == "yes"
    assert draft.answers["children"] == [{"_id": child.id, "name": "Robin Caller", "age": 7}]


async def test_the_record_to_amend_is_chosen_by_its_mark_not_its_colour() -> None:
    chosen: list[tuple[str, str] | None] = []

    class Host(App[None]):
        def on_mount(self) -> None:
            choices = [("a1", "First response checklist v1"), ("a2", "Risk checklist v1")]
            self.push_screen(AmendDialog(choices), chosen.append)

    async with Host().run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(pilot.app.screen, AmendDialog))
        listed = pilot.app.screen.query_one(MarkedList)
        assert str(listed.get_option_at_index(0).prompt).startswith(f"{CURSOR} First response")
        await pilot.press("tab", "down", "enter")
        await settle(pilot, lambda: isinstance(pilot.app.focused, Input))
        assert str(listed.get_option_at_index(1).prompt).startswith(f"{CURSOR} Risk")
        assert not str(listed.get_option_at_index(0).prompt).startswith(CURSOR)
        await type_text(pilot, "Risk level typed wrongly")
        await pilot.press("enter")
        await settle(pilot, lambda: bool(chosen))
    assert chosen == [("a2", "Risk level typed wrongly")]


async def test_details_typed_ahead_of_enter_and_tab_land_in_their_own_boxes() -> None:
    from firstresponse.tui.screens.responder.new_attendance import NewAttendance
    from firstresponse.tui.widgets.type_ahead import TypeAheadApp

    saved: list[dict[str, str] | None] = []

    class Harness(TypeAheadApp, App[None]):
        def on_mount(self) -> None:
            self.push_screen(NewAttendance(), saved.append)

    app = Harness()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, NewAttendance))
        burst(app, "Ann\rLee\t1 High St\r\rShouting heard\r")
        await settle(pilot, lambda: bool(saved))
    assert saved == [
        {
            "forename": "Ann",
            "surname": "Lee",
            "address": "1 High St",
            "postcode": "",
            "summary": "Shouting heard",
        }
    ]


async def test_escape_and_a_key_arriving_together_leave_the_form_then_act(
    settings: Settings, store: Store
) -> None:
    """Escape and 'r' typed within the terminal's escape time reach the app as Alt+r:
    after F2 found nothing missing, the Escape was lost and the 'r' typed into the box."""
    from firstresponse.tui.widgets.checklist_form import ChecklistForm
    from firstresponse.tui.widgets.form.text import LongAnswerBox

    answers = first_response_answers(risk_checklist_done="no")
    answers["risk_checklist_done.reason"] = "Victim too distressed; booked for tomorrow"
    _prepare(store, answers)
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_checklist(pilot)
        checklist = app.screen
        form = checklist.query_one(ChecklistForm)
        assert not form.evaluation.missing_required
        box = list(form.query(LongAnswerBox))[-1]
        box.focus()
        await pilot.pause()
        before = box.text
        await pilot.press("f2")  # nothing missing: the bell
        await pilot.pause(0.35)
        from_terminal(app, "\x1br")
        await settle(pilot, lambda: checklist not in app.screen_stack)
        await settle(pilot, lambda: isinstance(app.screen, ChecklistScreen))
        assert app.screen.checklist_id == "risk"  # the 'r' on the incident: the risk checklist
        assert box.text == before
