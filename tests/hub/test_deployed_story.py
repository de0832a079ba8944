"""Each role's story on a deployed force: `firstresponse hub` in its own process (SQLite and
PostgreSQL), and the control room, the responder's laptop and the supervisor's terminal
each on its own store, signed in against the hub and syncing through the real sync worker
(`SyncLink`). Every step goes through the domain functions the screens call; the
supervisor's "Draw sample" is also pressed in the app itself (Pilot, 80x24).

Every wait here is a wait for a condition (polled), never a fixed sleep.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from firstresponse.attendance import terminal as responder
from firstresponse.attendance.drafts import FIRST_RESPONSE, RISK, save_answers, set_own
from firstresponse.attendance.submit import submit
from firstresponse.calls import terminal as control
from firstresponse.calls.details import CallDetails, ChildDetails
from firstresponse.calls.facts import facts_from_history
from firstresponse.calls.sources import LocalLookup
from firstresponse.checklist import Checklist, load_checklists
from firstresponse.cli import main
from firstresponse.config import Settings
from firstresponse.demo.answers import child_entry, first_response_answers, risk_answers
from firstresponse.hub import admin
from firstresponse.hub.db import hub_engine, transaction
from firstresponse.records import (
    Assessment,
    Assignment,
    Child,
    Decision,
    Incident,
    ProtectiveOrder,
    Review,
    User,
    utcnow,
)
from firstresponse.security.users import SignInError
from firstresponse.session.link import SyncLink
from firstresponse.session.signin import sign_in
from firstresponse.store import Store, outbox
from firstresponse.supervision import terminal as supervisor
from firstresponse.supervision.cases import window
from firstresponse.supervision.export import review_rows
from tests.hub.support import PIN, REPO, add_users, free_port, hub_process
from tests.hub.test_terminals import wait_for
from tests.unit.test_calls_support import calm_answers

#: THRIVE as the call handler completes it: children at the address, officers sent now.
THRIVE = calm_answers(
    "immediate",
    children_present="yes",
    children_details="Two children at the address, 6 and 3",
    vulnerability="Two young children at home",
)


@dataclass
class Terminal:
    """One enrolled terminal: its own store and settings, and who is signed in there."""

    store: Store
    settings: Settings
    link: SyncLink | None = None
    user: User | None = None

    def sign_in(self, collar: str) -> User:
        """Sign in against the hub, as the sign-in screen does; asked again while a hub
        busy with other tests' sign-ins answers later than the screen waits."""
        deadline = time.monotonic() + 60
        while True:
            try:
                signed = sign_in(self.store, self.settings, collar, PIN)
                break
            except SignInError:
                assert time.monotonic() < deadline, f"{collar} could not sign in"
        self.link = SyncLink.open(self.store, self.settings, signed, watch_config=False)
        self.user = signed.user
        return signed.user

    def synced(self, what: str, condition: Callable[[], object] = lambda: True) -> None:
        """Sync until a sync that began after this call has left nothing waiting here and
        `condition` holds; nothing may have been refused by the hub."""
        link = self.link
        assert link is not None
        asked = utcnow()

        def done() -> bool:
            status = link.status
            with self.store.session() as db:
                waiting = outbox.waiting(db)
            fresh = status.last_success is not None and status.last_success > asked
            if not (fresh and not waiting and condition()):
                link.sync_now()
                return False
            return True

        wait_for(done, 60, what)
        with self.store.session() as db:
            assert [row.last_error for row in outbox.quarantined(db)] == []

    def holds(self, model: type, record_id: str) -> bool:
        with self.store.session() as db:
            return db.get(model, record_id) is not None

    def ids(self, model: Any, **where: str) -> set[str]:
        with self.store.session() as db:
            query = select(model.id)
            for name, value in where.items():
                query = query.where(getattr(model, name) == value)
            return set(db.exec(query))


@dataclass
class Force:
    """A running hub and the terminals enrolled on it."""

    url: str
    target: str
    folder: Path
    made: list[Terminal] = field(default_factory=list)

    def terminal(self, name: str) -> Terminal:
        engine = hub_engine(self.target)
        try:
            with transaction(engine) as db:
                boss = db.exec(select(User).where(User.collar == "AD4001")).one()
                _device, token = admin.enrol(db, boss, name)
        finally:
            engine.dispose()
        folder = self.folder / name
        settings = Settings(
            data_dir=folder,
            config_dir=folder / "cfg",
            checklists_dir=REPO / "checklists",
            hub_url=self.url,
            device_token=token,
            sync_interval_seconds=1,
        )
        self.made.append(Terminal(Store(folder / "terminal.db"), settings))
        return self.made[-1]


@pytest.fixture
def force(hub_target: str, tmp_path: Path) -> Iterator[Force]:
    engine = hub_engine(hub_target)
    add_users(engine)
    engine.dispose()
    workers = 2 if hub_target.startswith("postgresql") else 1  # as the README deploys it
    with hub_process(hub_target, free_port(), workers=workers) as url:
        made = Force(url, hub_target, tmp_path)
        yield made
        for terminal in made.made:
            if terminal.link is not None:
                terminal.link.close(sign_out=False)
            terminal.store.close()


@pytest.fixture(scope="module")
def checklists() -> dict[str, Checklist]:
    return load_checklists(REPO / "checklists")


def take_call(room: Terminal, checklists: dict[str, Checklist], assignee: str) -> str:
    """The call handler opens a call for a new victim and two children, grades it and
    assigns it, as the new-call and THRIVE screens do."""
    assert room.user is not None
    surname = f"Story{uuid.uuid4().hex[:6]}"
    details = CallDetails(
        victim_forename="Testa",
        victim_surname=surname,
        phone="07700 900123",
        address="1 Synthetic Road, Testtown",
        postcode="TT1 1AA",
        caller_name="victim",
        relationship="partner",
        happening_now="Pushed earlier, partner has left",
        suspect_forename="Sample",
        suspect_surname=surname,
        suspect_present="no",
        weapons="no",
        children=[ChildDetails("Amy Example", 6), ChildDetails("Ben Example", 3)],
    )
    source = LocalLookup(room.store, room.user)  # nobody matching was chosen
    incident = control.start_call(
        room.store, room.user, details, victim=None, suspect=None, force_code="WM", source=source
    ).incident
    control.grade(
        room.store, room.user, incident.id, checklists["thrive"], dict(THRIVE),
        facts_from_history(None), override=None, history=None, suspect_markers=[],
        assignee=assignee,
    )  # fmt: skip
    return incident.id


def first_response(laptop: Terminal, checklists: dict[str, Checklist], incident_id: str) -> None:
    """The responder's first response: no grounds to arrest, one child not seen, a DVPN
    authorised; and the risk checklist, as the checklist screens save and submit them."""
    collar = "PC2001"
    facts = responder.incident_facts(laptop.store, incident_id)
    first = checklists[FIRST_RESPONSE]
    answers = first_response_answers(
        grounds_for_arrest="no",
        crime_recorded="yes",
        suspect_status="left",
        suspect_search="Area search; circulated on the briefing system",
        suspect_outcome="not_arrested",
        no_arrest_basis=["voluntary_interview"],
        notice_scheme="dvpn",
        notice_test_violence="yes",
        notice_test_necessary="yes",
        notice_test_age="yes",
        notice_decision="authorised",
        notice_authority="SP1001 Supt",
        notice_authority_rank="superintendent",
        notice_served_at="2026-01-11 01:00",
        order_hearing_at="2026-01-12 10:00",
        notice_terms="No contact; not within 100 m of 1 Synthetic Road",
        children_present="yes",
        children=[
            child_entry("Amy Example", 6),
            child_entry("Ben Example", 3, seen="no", spoken_to="no"),
        ],
    )
    answers.pop("arrested", None)
    answers.pop("arrested_at", None)
    answers["grounds_for_arrest.reason"] = "Push without injury; suspect had left, no witness"
    ben = answers["children"][1]
    ben["seen.reason"] = "Asleep at his grandmother's; children's services visit tomorrow"
    ben["spoken_to.reason"] = "Not present"
    draft = answer(laptop, incident_id, first, facts, answers)
    set_own(laptop.store, draft, "_referrals", {"childrens_services": {"accepted": True}})
    risk = checklists[RISK]
    ranswers = risk_answers(
        risk,
        yes=("very_frightened",),
        officer_level="medium",
        children_in_household="yes",
        children_at_school="no",
        childrens_services_referral="yes",
    )
    ranswers["officer_level.reason"] = "Frightened of what he will do tonight"
    ranswers["now_detail"] = "Shaking; says 'he will be back tonight'"
    answer(laptop, incident_id, risk, facts, ranswers)
    problems = responder.incident_overview(
        laptop.store, incident_id, collar, "Response A", checklists, facts
    ).problems
    assert not problems, "\n".join(problems)
    submit(laptop.store, incident_id, collar, checklists, facts)


def answer(
    laptop: Terminal,
    incident_id: str,
    checklist: Checklist,
    facts: dict[str, Any],
    answers: dict[str, Any],
) -> str:
    """Open the officer's draft and give these answers over what it was opened with (the
    children carried over from the call keep their records); returns the draft's id."""
    opened = responder.open_checklist(laptop.store, incident_id, checklist, "PC2001", facts)
    assert opened.draft is not None
    given = {**opened.draft.answers, **answers}
    if "children" in answers:
        carried = {entry["name"]: entry for entry in opened.draft.answers.get("children", [])}
        given["children"] = [{**carried.get(e["name"], {}), **e} for e in answers["children"]]
    save_answers(laptop.store, opened.draft.id, given, checklist, facts)
    return opened.draft.id


def test_a_responders_decisions_and_dvpn_reach_the_supervisors_sample_and_figures(
    force: Force, checklists: dict[str, Checklist]
) -> None:
    room, laptop, desk = (force.terminal(n) for n in ("CONTROL-1", "MDT-0417", "SGT-DESK"))
    other = force.terminal("MDT-0999")
    room.sign_in("CH1001")
    laptop.sign_in("PC2001")
    desk.sign_in("SG3001")
    other.sign_in("PC2002")

    incident_id = take_call(room, checklists, "PC2001")
    room.synced("the call handler's call sent")

    def assigned() -> bool:
        lines = responder.my_assignments(laptop.store, "PC2001", "Response A")
        return any(line.incident_id == incident_id for line in lines)

    laptop.synced("the assignment on PC2001's list", assigned)
    first_response(laptop, checklists, incident_id)
    with laptop.store.session() as db:
        made = {d.kind: d.id for d in db.exec(select(Decision))}
        (dvpn,) = db.exec(select(ProtectiveOrder).where(ProtectiveOrder.kind == "dvpn")).all()
    assert {"no_grounds_to_arrest", "child_not_seen", "child_not_spoken_to"} <= set(made)
    laptop.synced("the first response sent")

    desk.synced(
        "the laptop's decisions and DVPN on the supervisor's terminal",
        lambda: desk.ids(Decision) >= set(made.values()) and desk.holds(ProtectiveOrder, dvpn.id),
    )
    with desk.store.session() as db:
        incident = db.get(Incident, incident_id)
        assert incident is not None and incident.status == "attended"
        assert {c.name for c in db.exec(select(Child))} == {"Amy Example", "Ben Example"}
        submitted = db.exec(select(Assessment).where(Assessment.incident_id == incident_id))
        assert {a.checklist_id for a in submitted} == {"thrive", "first_response", "risk"}
        # the briefing the officer was sent, for the supervisor's review of the case
        (sent,) = db.exec(select(Assignment).where(Assignment.incident_id == incident_id))
        assert sent.assignee == "PC2001" and sent.briefing

    assert asyncio.run(draw_on_screen(desk)) == [incident_id]  # "n" on the supervisor's home
    desk.sign_in("SG3001")
    start, end = window(utcnow().date() - timedelta(days=1), utcnow().date())
    sample = supervisor.draw_sample(desk.store, start, end, 0.0, "SG3001")
    (item,) = [i for i in sample.items if i["subject_id"] == incident_id]
    assert item["reasons"] == ["no_arrest_crime"] and item["officer"] == "PC2001"
    assert set(item["decision_ids"]) >= set(made.values())
    assert [q.incident_id for q in supervisor.review_queue(desk.store)] == [incident_id]
    assert dip_sample(desk, start.date(), utcnow().date()) == {incident_id: ["no_arrest_crime"]}
    figures = supervisor.figures(desk.store, start, end, utcnow())
    assert (figures.overall["order:dvpn"], figures.overall["incidents"]) == (1, 1)

    # The supervisor reviews the case: the review reaches the officer's laptop as feedback
    review = supervisor.save_review(
        desk.store, checklists["dip_sample_review"], "SG3001", incident_id, "PC2001",
        review_answers(checklists["dip_sample_review"]), sample.id,
    )  # fmt: skip
    desk.synced("the review sent")
    laptop.synced("the review on PC2001's laptop", lambda: laptop.holds(Review, review.id))
    (feedback,) = supervisor.feedback_waiting(laptop.store, "PC2001", checklists)
    assert feedback.review_id == review.id
    supervisor.acknowledge_feedback(laptop.store, feedback, "PC2001")  # read on the laptop
    laptop.synced("the acknowledgement sent")
    desk.synced("the acknowledgement back", lambda: acknowledged(desk, review.id))
    with laptop.store.session() as db:
        assert all(d.reviewed for d in db.exec(select(Decision)))  # marked by the supervisor
    with desk.store.session() as db:
        rows, withheld = review_rows(db, start, end + timedelta(days=1), True)
    assert [r["review_id"] for r in rows] == [review.id] and withheld == 0

    # Another team's responder receives none of it
    other.synced("PC2002 up to date")
    assert other.ids(Decision) == set() and other.ids(ProtectiveOrder) == set()
    assert other.ids(Assessment) == set() and other.ids(Review) == set()


async def draw_on_screen(desk: Terminal) -> list[str]:
    """The supervisor signs in to the app on their terminal and presses "n" (Draw sample);
    returns the incidents then in the queue, after checking the line that reports the draw."""
    from textual.widgets import Label

    from firstresponse.tui.app import FirstResponseApp
    from firstresponse.tui.screens.supervisor import SupervisorHome
    from tests.functional.pilot import settle, sign_in_home

    assert desk.link is not None
    desk.link.close(sign_out=False)  # the app's own sign-in syncs from here
    app = FirstResponseApp(desk.settings, desk.store)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in_home(pilot, "SG3001")
        home = app.screen
        assert isinstance(home, SupervisorHome) and home.items == []
        await pilot.press("n")
        await settle(pilot, lambda: bool(home.items))
        said = str(home.query_one("#queue-status", Label).render())
        assert said.startswith("Drew 1 case from the last 28 days")
        assert said.endswith(": 1 new to the queue.")
        return [item.incident_id for item in home.items]


def dip_sample(terminal: Terminal, first: date, last: date) -> dict[str, list[str]]:
    """`firstresponse dip-sample` on the terminal's store: each case drawn, and why."""
    args = ["--db", str(terminal.store.path), "dip-sample", "--as", "SG3001", "--json"]
    args += ["--from", first.isoformat(), "--to", last.isoformat(), "--rate", "0"]
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as env, contextlib.redirect_stdout(out):
        env.setenv("FIRSTRESPONSE_PIN", PIN)  # the supervisor's PIN, as a script gives it
        assert main(args) == 0
    return {item["subject_id"]: item["reasons"] for item in json.loads(out.getvalue())["items"]}


def acknowledged(terminal: Terminal, review_id: str) -> bool:
    with terminal.store.session() as db:
        review = db.get(Review, review_id)
        return review is not None and review.acknowledged_at is not None


def review_answers(checklist: Checklist) -> dict[str, Any]:
    """A complete dip-sample review: every point met, advice as feedback."""
    answers: dict[str, Any] = {i.id: "met" for i in checklist.items if "review_point" in i.tags}
    answers["outcome"] = "advice"
    answers["feedback"] = "Good account of why Ben was not seen; book the follow-up visit"
    return answers
