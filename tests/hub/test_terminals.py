"""Terminals and a hub end to end: each terminal signs its officer in against the hub and
syncs through its own SyncLink, as the app does, for every role.

Every wait here is a wait for a condition (polled), never a fixed sleep.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from firstresponse.attendance import assignments_for
from firstresponse.config import Settings
from firstresponse.hub.auth import token_hash
from firstresponse.hub.db import transaction
from firstresponse.hub.models import HubEnvelope, HubSession
from firstresponse.records import Assessment, Assignment, Incident, OutboxItem, Person
from firstresponse.session import courier
from firstresponse.session.link import SyncLink
from firstresponse.session.signin import sign_in
from firstresponse.store import Store, outbox
from firstresponse.sync import held, signouts
from tests.hub.support import PIN, Hub


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> float:
    """Poll `condition` until it holds; returns the seconds it took."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"not within {timeout:.0f} s: {what}")
        time.sleep(0.05)
    return time.monotonic() - start


@dataclass
class Terminal:
    store: Store
    settings: Settings
    link: SyncLink | None = None

    def sign_in(self, collar: str) -> SyncLink:
        self.link = SyncLink.open(
            self.store,
            self.settings,
            sign_in(self.store, self.settings, collar, PIN),
            watch_config=False,
        )
        return self.link

    def sign_out(self) -> None:
        assert self.link is not None
        self.link.close(sign_out=True)
        self.link = None


@pytest.fixture
def terminals(hub: Hub, tmp_path: Path) -> Iterator[Callable[[str], Terminal]]:
    made: list[Terminal] = []

    def make(name: str) -> Terminal:
        folder = tmp_path / name
        settings = Settings(
            data_dir=folder,
            config_dir=folder / "cfg",
            hub_url=hub.url,
            device_token=hub.enrol(name),
            sync_interval_seconds=3,
        )
        made.append(Terminal(Store(folder / "terminal.db"), settings))
        return made[-1]

    yield make
    for terminal in made:
        if terminal.link is not None:
            terminal.link.close(sign_out=False)
        terminal.store.close()


def call_with_assignment(
    store: Store, assignee: str = "", *, assign: bool = True, author: str = "CH1001"
) -> str:
    """What a call handler's graded call queues: the victim, the incident, the assignment
    (without `assign`: an incident a responder attends unassigned)."""
    with store.session() as db:
        victim = Person(forename="Ivy", surname=f"Case{uuid.uuid4().hex[:6]}")
        outbox.enqueue_record(db, victim)
        db.flush()
        incident = Incident(
            reference=f"T-{uuid.uuid4().hex[:8]}",
            occurred_at=datetime.now(UTC),
            victim_id=victim.id,
            status="graded" if assign else "live",
            grade="immediate" if assign else None,
            source="call" if assign else "attendance",
            created_by=author,
        )
        outbox.enqueue_record(db, incident, priority=outbox.PRIORITY_HIGH_RISK)
        db.flush()
        if not assign:
            return incident.id
        assignment = Assignment(
            incident_id=incident.id,
            assignee=assignee,
            grade="immediate",
            briefing={"summary": "Immediate: test", "sections": []},
        )
        outbox.enqueue_record(db, assignment, priority=outbox.PRIORITY_HIGH_RISK)
        return incident.id


def checklist_for(store: Store, incident_id: str, author: str) -> str:
    with store.session() as db:
        assessment = Assessment(
            incident_id=incident_id,
            checklist_id="first_response",
            checklist_version="1",
            checklist_hash="0" * 64,
            status="submitted",
            author=author,
            submitted_at=datetime.now(UTC),
        )
        outbox.enqueue_record(db, assessment, priority=outbox.PRIORITY_HIGH_RISK)
        return assessment.id


def on_hub(hub: Hub, model: type, record_id: str) -> bool:
    with transaction(hub.engine, read_only=True) as db:
        return db.get(model, record_id) is not None


def envelope(hub: Hub, record_id: str) -> HubEnvelope | None:
    with transaction(hub.engine, read_only=True) as db:
        return db.exec(select(HubEnvelope).where(HubEnvelope.record_id == record_id)).first()


def test_a_call_handlers_assignment_reaches_the_responders_list_within_10_s(
    hub: Hub, terminals: Callable[[str], Terminal]
) -> None:
    control, laptop = terminals("CONTROL-1"), terminals("MDT-1")
    control.sign_in("CH1001")
    laptop.sign_in("PC2001")
    incident_id = call_with_assignment(control.store, "PC2001")
    assert control.link is not None
    control.link.sync_now()  # the status bar does this when the outbox grows

    def listed() -> bool:
        with laptop.store.session() as db:
            return any(v.incident_id == incident_id for v in assignments_for(db, "PC2001"))

    seconds = wait_for(listed, 10, "the assignment on PC2001's list")
    assert seconds < 10
    row = envelope(hub, incident_id)
    assert row is not None and (row.pushed_by, row.sent_by) == ("CH1001", "CH1001")


def test_a_checklist_submitted_offline_is_filed_within_30_s_of_the_hub_returning(
    hub: Hub, terminals: Callable[[str], Terminal]
) -> None:
    laptop = terminals("MDT-2")
    link = laptop.sign_in("PC2001")
    wait_for(lambda: link.status.connected, 10, "online")
    hub.stop()
    incident_id = call_with_assignment(
        laptop.store, assign=False, author="PC2001"
    )  # attended unassigned
    assessment_id = checklist_for(laptop.store, incident_id, "PC2001")
    link.sync_now()
    offline = lambda: link.status.connected is False and link.status.waiting == 3  # noqa: E731
    wait_for(offline, 10, "the terminal sees the hub gone, 3 records waiting")
    assert "offline since" in link.status.label
    hub.start()  # no key is pressed from here on
    seconds = wait_for(lambda: on_hub(hub, Assessment, assessment_id), 30, "checklist filed")
    assert seconds < 30
    wait_for(lambda: link.status.connected and link.status.waiting == 0, 10, "synced")
    assert link.status.label.startswith("synced ")


def test_records_of_an_officer_who_signed_out_sync_under_that_officer(
    hub: Hub, terminals: Callable[[str], Terminal]
) -> None:
    laptop = terminals("MDT-SHARED")
    laptop.sign_in("PC2001")
    hub.stop()  # PC2001 works offline, then signs out at the end of the shift
    incident_id = call_with_assignment(laptop.store, assign=False, author="PC2001")
    assessment_id = checklist_for(laptop.store, incident_id, "PC2001")
    laptop.sign_out()
    hub.start()
    with laptop.store.session() as db:
        rows = db.exec(select(OutboxItem).where(OutboxItem.status == "pending")).all()
    assert rows and {row.author for row in rows} == {"PC2001"} and all(r.signature for r in rows)
    link = laptop.sign_in("CH1001")  # the next shift: a call handler on the shared laptop
    wait_for(lambda: on_hub(hub, Assessment, assessment_id), 30, "PC2001's checklist filed")
    row = envelope(hub, assessment_id)
    assert row is not None and (row.pushed_by, row.sent_by) == ("PC2001", "CH1001")
    wait_for(lambda: link.status.waiting == 0 and link.status.connected, 10, "all sent")
    assert link.status.quarantined == 0


def session_ended(hub: Hub, token: str) -> bool:
    with transaction(hub.engine, read_only=True) as db:
        row = db.exec(select(HubSession).where(HubSession.token_hash == token_hash(token))).one()
        return row.revoked_at is not None


def signed_out_while_the_hub_is_away(hub: Hub, laptop: Terminal) -> str:
    """PC2001 signs in online, the hub goes, PC2001 signs out; returns their session token."""
    link = laptop.sign_in("PC2001")
    wait_for(lambda: link.status.connected, 10, "online")
    assert link.worker.session is not None
    token = link.worker.session.token
    hub.stop()
    laptop.sign_out()
    assert signouts.waiting(laptop.store) == [token_hash(token)]  # kept, not the token
    assert not session_ended(hub, token)
    return token


def test_a_sign_out_made_while_the_hub_is_away_reaches_it_when_it_returns(
    hub: Hub, terminals: Callable[[str], Terminal]
) -> None:
    laptop = terminals("MDT-OUT")
    token = signed_out_while_the_hub_is_away(hub, laptop)
    hub.start()  # nobody signs in: the courier sends it
    seconds = wait_for(lambda: session_ended(hub, token), 30, "the session ended on the hub")
    assert seconds < 30
    wait_for(lambda: signouts.waiting(laptop.store) == [], 10, "the terminal forgets it")
    with hub.client(laptop.settings.device_token) as client:
        from firstresponse.sync.client import AuthFailure, SessionToken

        client.use_session(SessionToken("PC2001", token))
        with pytest.raises(AuthFailure, match="session ended"):
            client.whoami()


def test_a_sign_out_left_waiting_is_sent_by_the_next_officers_sync(
    hub: Hub, terminals: Callable[[str], Terminal]
) -> None:
    laptop = terminals("MDT-OUT2")
    token = signed_out_while_the_hub_is_away(hub, laptop)
    courier.stop(laptop.store)  # as if the terminal was shut down meanwhile
    hub.start()
    assert not session_ended(hub, token)
    laptop.sign_in("CH1001")
    wait_for(lambda: session_ended(hub, token), 15, "the session ended on the hub")
    wait_for(lambda: signouts.waiting(laptop.store) == [], 10, "the terminal forgets it")


def test_nobody_can_push_a_record_as_someone_else(
    hub: Hub, terminals: Callable[[str], Terminal]
) -> None:
    laptop = terminals("MDT-FORGE")
    incident_id = call_with_assignment(laptop.store, "PC2001")
    with laptop.store.session() as db:  # claimed for SG3001, signed by nobody
        for row in db.exec(select(OutboxItem)):
            row.author = "SG3001"
            db.add(row)
    link = laptop.sign_in("PC2001")
    wait_for(lambda: link.status.quarantined == 3, 15, "refused")
    with laptop.store.session() as db:
        reasons = {row.last_error for row in outbox.quarantined(db)}
    assert all("without SG3001's signature" in reason for reason in reasons)
    assert envelope(hub, incident_id) is None


def test_parents_only_on_the_terminal_are_sent_and_the_record_filed(
    hub: Hub, terminals: Callable[[str], Terminal]
) -> None:
    laptop = terminals("MDT-HIST")
    with laptop.store.session() as db:  # victim and suspect from the terminal's history only
        person = Person(forename="Rosa", surname="Onlyhere")
        suspect = Person(forename="Vic", surname="Alsohere")
        db.add_all([person, suspect])
        db.flush()
        incident = Incident(
            reference="T-HIST-1",
            occurred_at=datetime.now(UTC),
            victim_id=person.id,
            suspect_id=suspect.id,  # the hub asks for it only once the victim has arrived
            status="live",
            source="attendance",
            created_by="PC2001",
        )
        outbox.enqueue_record(db, incident, priority=outbox.PRIORITY_HIGH_RISK)
    assessment_id = checklist_for(laptop.store, incident.id, "PC2001")
    link = laptop.sign_in("PC2001")
    wait_for(lambda: on_hub(hub, Assessment, assessment_id), 20, "the checklist filed")
    assert on_hub(hub, Person, person.id) and on_hub(hub, Person, suspect.id)
    assert on_hub(hub, Incident, incident.id)
    wait_for(lambda: link.status.connected and link.status.held == 0, 10, "nothing held")


def test_a_record_whose_parent_nobody_has_is_shown_held(
    hub: Hub, terminals: Callable[[str], Terminal]
) -> None:
    laptop = terminals("MDT-HELD")
    ghost = str(uuid.uuid4())
    with laptop.store.session() as db:  # an incident whose person this terminal lacks
        incident = Incident(
            reference="T-GHOST",
            occurred_at=datetime.now(UTC),
            status="live",
            source="attendance",
            created_by="PC2001",
        )
        body = {**incident.model_dump(mode="json"), "victim_id": ghost}
        outbox.enqueue(db, "incident", incident.id, body, priority=outbox.PRIORITY_HIGH_RISK)
    supervisor = terminals("SUP-1")
    link = laptop.sign_in("PC2001")
    wait_for(lambda: link.status.held == 1, 15, "held shown on the terminal")
    assert "held on the hub: 1" in link.status.label
    with laptop.store.session() as db:
        [row] = held.held(db)
    assert row.waits_for == f"person:{ghost}" and "waiting for person" in row.describe
    watch = supervisor.sign_in("SG3001")
    wait_for(lambda: watch.status.held == 1, 15, "held shown on the supervisor's list")
    with supervisor.store.session() as db:
        [seen] = held.held(db)
    assert (seen.record_id, seen.author, seen.device) == (incident.id, "PC2001", "MDT-HELD")


def test_first_sign_in_needs_the_hub_later_ones_work_offline(
    hub: Hub, terminals: Callable[[str], Terminal]
) -> None:
    from firstresponse.security.users import SignInError, get_user

    laptop = terminals("MDT-FRESH")
    hub.stop()
    with pytest.raises(SignInError, match="connect to the hub"):
        sign_in(laptop.store, laptop.settings, "PC2001", PIN)  # never seen here
    hub.start()
    online = sign_in(laptop.store, laptop.settings, "PC2001", PIN)
    assert online.online and online.session is not None and online.attestor.key is not None
    hub.stop()
    offline = sign_in(laptop.store, laptop.settings, "PC2001", PIN)
    assert not offline.online and offline.session is None
    assert offline.pending is not None  # the PIN, in memory, until the hub takes it
    assert offline.attestor.key_id == online.attestor.key_id  # unwrapped with the PIN
    for _ in range(3):
        with pytest.raises(SignInError):
            sign_in(laptop.store, laptop.settings, "PC2001", "0000")
    with pytest.raises(SignInError, match="wait") as info:  # the same throttle offline
        sign_in(laptop.store, laptop.settings, "PC2001", PIN)
    assert info.value.wait_seconds > 0 and not info.value.locked
    with laptop.store.session() as db:
        user = get_user(db, "PC2001")
        assert user is not None and not user.locked and user.failed_attempts == 3
    hub.start()


def test_deactivation_and_pin_changes_on_the_hub_reach_the_terminal(
    hub: Hub, terminals: Callable[[str], Terminal]
) -> None:
    from firstresponse.security.pins import hash_pin
    from firstresponse.security.users import SignInError, get_user

    laptop = terminals("MDT-ADMIN")
    sign_in(laptop.store, laptop.settings, "PC2002", PIN)  # PC2002 has signed in here before
    link = laptop.sign_in("PC2001")
    wait_for(lambda: link.status.connected, 10, "online")
    with transaction(hub.engine) as db:
        from firstresponse.records import User

        pc1 = db.exec(select(User).where(User.collar == "PC2001")).one()
        pc2 = db.exec(select(User).where(User.collar == "PC2002")).one()
        pc1.pin_hash, pc2.active = hash_pin("5678"), False
        db.add_all([pc1, pc2])
    link.sync_now()

    def refreshed() -> bool:
        with laptop.store.session() as db:
            one, two = get_user(db, "PC2001"), get_user(db, "PC2002")
            return bool(one and two and not one.pin_hash and not two.active)

    wait_for(refreshed, 15, "the hub's changes on the terminal")
    wait_for(lambda: link.status.auth_failed, 15, "PC2001's session ended with the PIN change")
    assert "sign in again" in link.status.label
    hub.stop()
    with pytest.raises(SignInError, match="connect to the hub"):
        sign_in(laptop.store, laptop.settings, "PC2001", PIN)  # the old PIN no longer works
    with pytest.raises(SignInError, match="not recognised"):
        sign_in(laptop.store, laptop.settings, "PC2002", PIN)
    hub.start()


def graded_call(control: Terminal, assignee: str, *, children: bool = False, **answers: str) -> str:
    """A call taken and graded on a control-room terminal as the call handler does (with
    `children`, two children named on the call: Amy, 6, and Ben, 3)."""
    from firstresponse.calls import grade_call, open_call
    from firstresponse.checklist import load_checklists
    from firstresponse.security.users import get_user
    from tests.unit.test_calls_support import NO_FACTS, calm_answers, details

    thrive = load_checklists(control.settings.checklists_dir)["thrive"]
    with control.store.session() as db:
        handler = get_user(db, "CH1001")
        assert handler is not None
        incident = open_call(db, handler, details(children))
        grade_call(
            db,
            handler,
            incident.id,
            thrive,
            calm_answers("priority", **answers),
            NO_FACTS,
            assignee=assignee,
        )
        return incident.id


def attend(laptop: Terminal, incident_id: str, collar: str, **changes: object) -> str:
    """The attending officer's first-response checklist, submitted; returns its id. The
    children the call named (on the laptop from the briefing) are each recorded as seen
    and spoken with; `changes` override answers."""
    from firstresponse.attendance import (
        FIRST_RESPONSE,
        open_draft,
        save_answers,
        set_referral,
        submit,
    )
    from firstresponse.checklist import load_checklists
    from firstresponse.demo.answers import child_entry, first_response_answers

    checklists = load_checklists(laptop.settings.checklists_dir)
    answers = first_response_answers(risk_checklist_done="no", **changes)
    answers["risk_checklist_done.reason"] = "Victim too distressed; booked for tomorrow"
    with laptop.store.session() as db:
        draft = open_draft(db, incident_id, checklists[FIRST_RESPONSE], collar)
        draft_id, known = draft.id, (draft.answers or {}).get("children", [])
    if known:
        answers["children_present"] = "yes"
        answers["children"] = [
            {**child_entry(entry["name"], entry["age"]), "_id": entry["_id"]} for entry in known
        ]
    save_answers(laptop.store, draft_id, answers, checklists[FIRST_RESPONSE])
    if known:
        set_referral(laptop.store, draft_id, "childrens_services", True)
    submit(laptop.store, incident_id, collar, checklists)
    return draft_id


def attended_on_hub(hub: Hub, incident_id: str) -> bool:
    with transaction(hub.engine, read_only=True) as db:
        incident = db.get(Incident, incident_id)
        return incident is not None and incident.status == "attended"


@pytest.mark.parametrize("workforce", [False, True], ids=["ordinary", "restricted"])
def test_the_control_rooms_call_list_shows_a_call_attended_once_its_checklist_is_filed(
    hub: Hub, terminals: Callable[[str], Terminal], workforce: bool
) -> None:
    from firstresponse.calls.terminal import shift_call_lines

    control, laptop = terminals("CONTROL-2"), terminals("MDT-3")
    watch = control.sign_in("CH1001")
    extra = {"suspect_workforce": "yes"} if workforce else {}
    incident_id = graded_call(control, "PC2001", **extra)
    watch.sync_now()
    link = laptop.sign_in("PC2001")

    def assigned() -> bool:
        with laptop.store.session() as db:
            return any(v.incident_id == incident_id for v in assignments_for(db, "PC2001"))

    wait_for(assigned, 15, "the assignment on PC2001's laptop")

    def status() -> str:
        lines = {line.incident_id: line for line in shift_call_lines(control.store)}
        return lines[incident_id].status

    assert status() == "graded"
    assessment_id = attend(laptop, incident_id, "PC2001")
    link.sync_now()
    wait_for(lambda: on_hub(hub, Assessment, assessment_id), 15, "the checklist filed")
    wait_for(lambda: attended_on_hub(hub, incident_id), 15, "the attended incident filed")
    with laptop.store.session() as db:
        assert outbox.quarantined(db) == []
    # no key pressed in the control room: its terminal waits on the hub for changes
    wait_for(lambda: status() == "attended", 15, "the call shown attended in the control room")


def add_officer(hub: Hub, collar: str, team: str, role: str = "responder") -> None:
    from firstresponse.records import User
    from tests.hub.support import pin_hash

    with transaction(hub.engine) as db:
        db.add(
            User(collar=collar, name=f"Test {collar}", role=role, team=team, pin_hash=pin_hash())
        )


def roster_of(hub: Hub, token: str, collar: str) -> list[dict]:
    import httpx

    response = httpx.get(hub.url + "/v1/roster", headers=hub.headers(token, collar))
    response.raise_for_status()
    return list(response.json()["officers"])


def test_the_roster_names_teams_without_pin_material_a_responder_only_their_own(
    hub: Hub, terminals: Callable[[str], Terminal]
) -> None:
    add_officer(hub, "PC2003", "Response A")
    token = hub.enrol("ROSTER-1")
    force = roster_of(hub, token, "SG3001")
    assert {o["collar"] for o in force} == {"CH1001", "PC2001", "PC2002", "PC2003", "SG3001"}
    assert all(set(o) == {"collar", "name", "role", "team", "active"} for o in force)
    assert {o["collar"] for o in roster_of(hub, token, "CH1001")} == {o["collar"] for o in force}
    own = roster_of(hub, token, "PC2002")  # Response B
    assert [o["collar"] for o in own] == ["PC2002"]
    with hub.client(token, "SG3001") as client:
        held = client.roster()
        assert held is not None and client.roster(held.digest) is None  # 304: unchanged
        add_officer(hub, "PC2004", "Response B")
        newer = client.roster(held.digest)
        assert newer is not None and "PC2004" in {o.collar for o in newer.officers}


def test_an_officer_known_from_the_roster_is_listed_by_team_but_cannot_sign_in_offline(
    hub: Hub, terminals: Callable[[str], Terminal]
) -> None:
    from firstresponse.followup.contacts import due_contacts
    from firstresponse.records import User
    from firstresponse.security.users import SignInError, get_user

    add_officer(hub, "PC2003", "Response A")  # never signs in on the supervisor's terminal
    control, laptop, desk = terminals("CONTROL-3"), terminals("MDT-4"), terminals("SUP-2")
    watch = control.sign_in("CH1001")
    incident_id = graded_call(control, "PC2003")
    watch.sync_now()
    link = laptop.sign_in("PC2003")

    def assigned() -> bool:
        with laptop.store.session() as db:
            return any(v.incident_id == incident_id for v in assignments_for(db, "PC2003"))

    wait_for(assigned, 15, "the assignment on PC2003's laptop")
    assessment_id = attend(laptop, incident_id, "PC2003")
    link.sync_now()
    wait_for(lambda: on_hub(hub, Assessment, assessment_id), 15, "the checklist filed")

    supervisor = desk.sign_in("SG3001")
    supervisor.sync_now()

    def team_list() -> set[str]:
        with desk.store.session() as db:
            due = due_contacts(db, datetime.now(UTC), team="Response A")
            return {d.incident_id for d in due}

    wait_for(lambda: incident_id in team_list(), 15, "PC2003's case on Response A's list")
    with desk.store.session() as db:
        known = get_user(db, "PC2003")
        assert known is not None and known.team == "Response A" and not known.pin_hash
    desk.sign_out()
    hub.stop()
    with pytest.raises(SignInError, match="connect to the hub"):
        sign_in(desk.store, desk.settings, "PC2003", PIN)
    hub.start()

    with transaction(hub.engine) as db:
        officer = db.exec(select(User).where(User.collar == "PC2003")).one()
        officer.active = False
        db.add(officer)
    supervisor = desk.sign_in("SG3001")
    supervisor.sync_now()

    def deactivated() -> bool:
        with desk.store.session() as db:
            found = get_user(db, "PC2003")
            return found is not None and not found.active

    wait_for(deactivated, 15, "PC2003's deactivation on the supervisor's terminal")
    assert incident_id in team_list()  # still named on their cases
