"""Follow-through records sync: pushed by the roles allowed them, pulled by whom they concern."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import select

from firstresponse.followup.contacts import due_contacts
from firstresponse.followup.dvds import applications, load, record_application, record_step
from firstresponse.hub.db import transaction
from firstresponse.lookup import person_history
from firstresponse.records import (
    Assessment,
    Assignment,
    DvdsApplication,
    DvdsStep,
    HighRiskReview,
    Incident,
    Notification,
    Person,
    Role,
    User,
    utcnow,
)
from firstresponse.store import Store, outbox
from firstresponse.supervision.high_risk import (
    Submission,
    acknowledge_review,
    record_high_risk_review,
    review_queue,
)
from firstresponse.sync.pull import pull_changes
from firstresponse.sync.push import push_outbox
from tests.hub.support import Hub, pin_hash


def dispatch(store: Store, assignee: str) -> str:
    """A call handler's terminal: a victim, a high-risk incident assigned to `assignee`."""
    with store.session() as db:
        victim = Person(forename="Nia", surname="Followup-Test")
        outbox.enqueue_record(db, victim)
        db.flush()
        incident = Incident(
            reference=f"CAD-{uuid.uuid4().hex[:8]}",
            occurred_at=datetime.now(UTC),
            victim_id=victim.id,
            status="attended",
            risk_level="high",
        )
        outbox.enqueue_record(db, incident)
        db.flush()
        outbox.enqueue_record(db, Assignment(incident_id=incident.id, assignee=assignee))
    return incident.id


def pull_until(store: Store, client: object, model: type, record_id: str) -> None:
    """Pull until `record_id` arrives: on PostgreSQL the feed holds back entries while any
    older transaction in the cluster is still running (other tests may share it)."""
    deadline = time.monotonic() + 20
    while True:
        pull_changes(store, client)  # type: ignore[arg-type]
        with store.session() as db:
            if db.get(model, record_id) is not None:
                return
        assert time.monotonic() < deadline, f"{model.__name__} {record_id} never arrived"
        time.sleep(0.1)


def submission(incident_id: str) -> Submission:
    now = utcnow()
    return Submission(incident_id, "CAD-x", "PC2001", "Response A", now, now, "high", "high", None)


def test_a_same_shift_review_reaches_the_officer_and_only_supervisors_send_one(
    hub: Hub, tmp_path: Path
) -> None:
    control = Store(tmp_path / "control.db")
    incident_id = dispatch(control, "PC2001")
    with hub.client(hub.enrol(), "CH1001") as client:
        assert push_outbox(control, client).accepted == 3

    supervisor = Store(tmp_path / "sg3001.db")
    with hub.client(hub.enrol(), "SG3001") as client:
        pull_until(supervisor, client, Incident, incident_id)
        with supervisor.session() as db:
            me = User(collar="SG3001", name="Test", role=Role.SUPERVISOR, team="Response A")
            db.add(me)
            review = record_high_risk_review(
                db, me, submission(incident_id), "confirm", "Threats to kill, recent separation",
                escalate_to="duty_inspector",
            )  # fmt: skip
        result = push_outbox(supervisor, client)
        assert result.accepted == 1 and not result.quarantined
    with transaction(hub.engine) as db:
        (note,) = db.exec(select(Notification).where(Notification.kind == "escalation")).all()
        assert note.recipient == "inspector" and note.subject_id == incident_id

    officer = Store(tmp_path / "pc2001.db")
    with hub.client(hub.enrol(), "PC2001") as client:
        pull_until(officer, client, HighRiskReview, review.id)
        with officer.session() as db:
            held = db.get(HighRiskReview, review.id)
            assert held is not None and held.escalate_to == "duty_inspector"
            # a responder's terminal may not send a supervisor's review
            forged = HighRiskReview.model_validate(
                {**held.model_dump(), "id": str(uuid.uuid4()), "reviewer": "PC2001"}
            )
            outbox.enqueue_record(db, forged)
        result = push_outbox(officer, client)
        assert result.accepted == 0 and result.quarantined == 1
        with officer.session() as db:
            (refused,) = outbox.quarantined(db)
            assert "may not send highriskreview" in refused.last_error
        # ... but the officer it is about acknowledges it, once (read back from their store)
        with officer.session() as db:
            acknowledge_review(db, review.id, "PC2001")
        assert push_outbox(officer, client).accepted == 1
    with transaction(hub.engine) as db:
        stored = db.get(HighRiskReview, review.id)
        assert stored is not None and stored.acknowledged_at is not None
        assert stored.reason == "Threats to kill, recent separation"
        escalations = db.exec(select(Notification).where(Notification.kind == "escalation"))
        assert len(escalations.all()) == 1  # the acknowledgement raises no second one

    other = Store(tmp_path / "pc2002.db")
    with hub.client(hub.enrol(), "PC2002") as client:
        pull_changes(other, client)
    with other.session() as db:
        assert db.exec(select(HighRiskReview)).all() == []


def assessment(
    incident_id: str, checklist: str, status: str = "submitted", **result: str
) -> Assessment:
    now = utcnow()
    return Assessment(
        incident_id=incident_id,
        checklist_id=checklist,
        checklist_version="1",
        checklist_hash="x",
        answers={"contact_method": "phone"} if checklist == "first_response" else {},
        result=dict(result),
        status=status,
        author="PC2001",
        submitted_at=now if status == "submitted" else None,
    )


def test_submitted_assessments_reach_supervisors_and_the_author_so_their_lists_show_them(
    hub: Hub, tmp_path: Path
) -> None:
    control = Store(tmp_path / "control.db")
    incident_id = dispatch(control, "PC2001")
    with hub.client(hub.enrol(), "CH1001") as client:
        assert push_outbox(control, client).accepted == 3

    laptop = Store(tmp_path / "pc2001.db")
    with hub.client(hub.enrol(), "PC2001") as client:
        pull_until(laptop, client, Incident, incident_id)
        with laptop.session() as db:
            first = assessment(incident_id, "first_response")
            risk = assessment(incident_id, "risk", risk_level="high")
            draft = assessment(incident_id, "safety", status="draft")
            for row in (first, risk, draft):
                outbox.enqueue_record(db, row)
        assert push_outbox(laptop, client).accepted == 3

    supervisor = Store(tmp_path / "sg3001.db")
    with hub.client(hub.enrol(), "SG3001") as client:
        pull_until(supervisor, client, Assessment, risk.id)
        pull_until(supervisor, client, Assessment, first.id)
    with supervisor.session() as db:
        assert db.get(Assessment, draft.id) is None  # a draft is nobody else's business
        (queued,) = review_queue(db)
        assert (queued.incident_id, queued.assessment_id) == (incident_id, risk.id)
        due = due_contacts(db, utcnow(), owner="PC2001")
        keys = [(incident_id, "initial"), (incident_id, "support_referral")]  # Victims' Code
        assert [(d.incident_id, d.key) for d in due] == keys
        assert outbox.waiting(db) == []  # pulled, not sent back

    spare = Store(tmp_path / "pc2001-spare.db")  # the author on another terminal
    with hub.client(hub.enrol(), "PC2001") as client:
        pull_until(spare, client, Assessment, first.id)

    other = Store(tmp_path / "pc2002.db")
    with hub.client(hub.enrol(), "PC2002") as client:
        pull_changes(other, client)
    with other.session() as db:
        assert db.exec(select(Assessment)).all() == []


def officer(store: Store, collar: str, role: Role, team: str) -> User:
    """The signed-in officer as a terminal holds them."""
    with store.session() as db:
        user = User(collar=collar, name=f"Test {collar}", role=role, team=team)
        db.add(user)
    return user


def call_with_suspect(
    hub: Hub, tmp_path: Path, victim: Person, suspect: Person, **details: object
) -> Incident:
    """A call handler's terminal (CH1001): a victim, a suspect and their incident assigned
    to PC2001, pushed to the hub."""
    control = Store(tmp_path / "control.db")
    with control.session() as db:
        for person in (victim, suspect):
            outbox.enqueue_record(db, person)
        db.flush()
        incident = Incident(
            reference=f"CAD-{uuid.uuid4().hex[:8]}",
            occurred_at=datetime.now(UTC),
            victim_id=victim.id,
            suspect_id=suspect.id,
            created_by="CH1001",
            **details,
        )
        outbox.enqueue_record(db, incident)
        db.flush()
        outbox.enqueue_record(db, Assignment(incident_id=incident.id, assignee="PC2001"))
    with hub.client(hub.enrol(), "CH1001") as client:
        assert push_outbox(control, client).accepted == 4
    return incident


def test_a_dvds_disclosure_made_on_one_terminal_shows_in_the_history_on_others(
    hub: Hub, tmp_path: Path
) -> None:
    with transaction(hub.engine) as db:
        db.add(User(collar="PC2003", name="Test", role="responder", team="Response A",
                    pin_hash=pin_hash()))  # fmt: skip
    victim = Person(forename="Ada", surname="Dvds-Test", ethnicity="W2")
    subject = Person(forename="Rex", surname="Dvds-Test")
    incident = call_with_suspect(hub, tmp_path, victim, subject, status="attended")

    laptop = Store(tmp_path / "pc2001.db")  # the officer logs Right to Know, does the checks
    me = officer(laptop, "PC2001", Role.RESPONDER, "Response A")
    with hub.client(hub.enrol(), "PC2001") as client:
        pull_until(laptop, client, Incident, incident.id)
        with laptop.session() as db:
            application = record_application(
                db, me, route="right_to_know", victim_name="Ada Dvds-Test",
                subject_name="Rex Dvds-Test", concerns="Two earlier partners assaulted",
                victim_id=victim.id, subject_id=subject.id, incident_id=incident.id,
            )  # fmt: skip
            checks = record_step(db, me, application, "initial_checks", "progressed")
        assert push_outbox(laptop, client).accepted == 2

    supervisor = Store(tmp_path / "sg3001.db")  # the supervisor categorises and decides
    boss = officer(supervisor, "SG3001", Role.SUPERVISOR, "Response A")
    with hub.client(hub.enrol(), "SG3001") as client:
        pull_until(supervisor, client, DvdsStep, checks.id)
        with supervisor.session() as db:
            held = load(db, application.id)
            assert held is not None
            record_step(db, boss, held.record, "categorised", "concern")
            decision = record_step(db, boss, held.record, "decision", "disclosed", "In person")
        assert push_outbox(supervisor, client).accepted == 2
        said = f"DVDS right to know, protecting Ada Dvds-Test: {application.reference}"
        online = client.person_history(subject.id)  # the hub's own lookup
        assert [line.startswith(said) for line in online.dvds] == [True]

    def shows_disclosure(store: Store, collar: str) -> None:
        with hub.client(hub.enrol(), collar) as client:
            pull_until(store, client, DvdsStep, decision.id)
        with store.session() as db:
            history = person_history(db, subject.id)
            assert history is not None and [d.startswith(said) for d in history.dvds] == [True]
            victim_side = person_history(db, victim.id)
            assert victim_side is not None and len(victim_side.dvds) == 1
            held = db.get(Person, victim.id)
            assert held is not None and held.ethnicity == "W2"  # travels with the person
            (closed,) = applications(db, utcnow(), include_closed=True)
            assert closed.outcome == "Disclosure made: In person"

    shows_disclosure(Store(tmp_path / "control-2.db"), "CH1001")  # another control room seat
    shows_disclosure(Store(tmp_path / "pc2003.db"), "PC2003")  # the team: people come along
    elsewhere = Store(tmp_path / "pc2002.db")
    with hub.client(hub.enrol(), "PC2002") as client:
        pull_changes(elsewhere, client)
    with elsewhere.session() as db:
        assert db.exec(select(DvdsApplication)).all() == []


def test_a_restricted_cases_decisions_and_orders_reach_supervisors_not_other_terminals(
    hub: Hub, tmp_path: Path
) -> None:
    from firstresponse.records import Decision, ProtectiveOrder

    victim = Person(forename="Pia", surname="Restricted-Test")
    suspect = Person(forename="Ray", surname="Restricted-Test")
    # the suspect is police workforce: the call handler's THRIVE restricted the case
    incident = call_with_suspect(hub, tmp_path, victim, suspect, status="graded", restricted=True)

    laptop = Store(tmp_path / "pc2001.db")
    with hub.client(hub.enrol(), "PC2001") as client:
        pull_until(laptop, client, Incident, incident.id)
        with laptop.session() as db:
            first = assessment(incident.id, "first_response")
            decision = Decision(
                incident_id=incident.id, kind="no_arrest", reason="Left before arrival",
                made_by="PC2001", assessment_id=first.id,
            )  # fmt: skip
            dvpn = ProtectiveOrder(
                kind="dvpn", subject_id=suspect.id, protected_id=victim.id, incident_id=incident.id
            )
            for row in (first, decision, dvpn):
                outbox.enqueue_record(db, row)
        assert push_outbox(laptop, client).accepted == 3

    supervisor = Store(tmp_path / "sg3001.db")
    with hub.client(hub.enrol(), "SG3001") as client:
        pull_until(supervisor, client, Decision, decision.id)
        pull_until(supervisor, client, ProtectiveOrder, dvpn.id)
        pull_until(supervisor, client, Assessment, first.id)

    for collar in ("PC2002", "CH1001"):  # another team; the call handler, who holds the call
        elsewhere = Store(tmp_path / f"{collar}.db")
        with hub.client(hub.enrol(), collar) as client:
            pull_changes(elsewhere, client)
        with elsewhere.session() as db:
            assert db.get(Decision, decision.id) is None and db.get(Assessment, first.id) is None
            assert db.get(ProtectiveOrder, dvpn.id) is None
            assert (db.get(Incident, incident.id) is not None) is (collar == "CH1001")


def test_a_dvpo_granted_recorded_by_a_supervisor_reaches_the_hub_and_the_officer(
    hub: Hub, tmp_path: Path
) -> None:
    """Issue 25: the hearing's outcome syncs like other follow-up records; the hub's history
    of the victim then has the DVPO in force."""
    from datetime import timedelta

    from firstresponse.followup.orders import record_order_outcome
    from firstresponse.records import OrderOutcome, ProtectiveOrder

    control = Store(tmp_path / "control.db")
    incident_id = dispatch(control, "PC2001")
    with hub.client(hub.enrol(), "CH1001") as client:
        assert push_outbox(control, client).accepted == 3
    officer = Store(tmp_path / "pc2001.db")
    today = datetime.now(UTC).date()
    with hub.client(hub.enrol(), "PC2001") as client:
        pull_until(officer, client, Incident, incident_id)
        with officer.session() as db:
            victim = db.get(Incident, incident_id).victim_id  # type: ignore[union-attr]
            suspect = Person(forename="Rex", surname="Followup-Test")
            outbox.enqueue_record(db, suspect)
            db.flush()
            notice = ProtectiveOrder(
                kind="dvpn", subject_id=suspect.id, protected_id=victim,
                incident_id=incident_id, starts_on=today, ends_on=today,
            )  # fmt: skip
            outbox.enqueue_record(db, notice)
        assert push_outbox(officer, client).accepted == 2
    supervisor = Store(tmp_path / "sg3001.db")
    with hub.client(hub.enrol(), "SG3001") as client:
        pull_until(supervisor, client, ProtectiveOrder, notice.id)
        with supervisor.session() as db:
            me = User(collar="SG3001", name="Test", role=Role.SUPERVISOR, team="Response A")
            db.add(me)
            granted = record_order_outcome(db, me, notice.id, "granted", today,
                                           ends_on=today + timedelta(days=28))  # fmt: skip
        result = push_outbox(supervisor, client)
        assert result.accepted == 1 and not result.quarantined
    with transaction(hub.engine) as db:
        history = person_history(db, victim, today=today + timedelta(days=8))
        assert history is not None
        assert [o.kind for o in history.orders if o.in_force] == ["dvpo"]
    with hub.client(hub.enrol(), "PC2001") as client:
        pull_until(officer, client, OrderOutcome, granted.id)
