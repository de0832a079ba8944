"""DVDS (Clare's Law): applications, APP deadlines in working days (fixed clocks), steps."""

from __future__ import annotations

import pytest
from sqlmodel import select

from firstresponse.followup.dvds import (
    DvdsRefused,
    applications,
    deadlines,
    load,
    record_application,
    record_step,
    right_to_know_prompts,
)
from firstresponse.lookup import person_history
from firstresponse.records import DvdsApplication, DvdsStep, OutboxItem, Person, ProtectiveOrder
from firstresponse.store import Store
from tests.followup_builders import CALL_HANDLER, OFFICER, SUPERVISOR, incident, users, utc

ASK = {
    "route": "right_to_ask",
    "victim_name": "Sam Testvictim",
    "subject_name": "Lee Testsubject",
    "concerns": "Controlling behaviour, checks her phone",
    "applicant_is_victim": True,
    "safe_contact": "Work phone, weekdays 9-5",
}


def _app(**fields: object) -> DvdsApplication:
    return DvdsApplication(
        reference="D-1", **{**ASK, "received_at": utc(2026, 1, 12, 10), **fields}
    )


def _step(step: str, at, outcome: str = "") -> DvdsStep:  # type: ignore[no-untyped-def]
    return DvdsStep(application_id="a", step=step, done_at=at, outcome=outcome)


def test_right_to_ask_deadlines_from_first_contact() -> None:
    # received Monday 12 January 2026, 10:00 (UK time is UTC in winter)
    due = {d.step: d for d in deadlines(_app(imminent_risk=True), [])}
    assert list(due) == [
        "safeguarding", "initial_checks", "meeting", "risk_assessment", "categorised", "decision",
    ]  # fmt: skip
    assert due["safeguarding"].due_at == utc(2026, 1, 12, 10)
    assert due["initial_checks"].due_at == utc(2026, 1, 13, 10)
    assert due["meeting"].due_at == utc(2026, 1, 26, 23, 59, 59)
    assert due["risk_assessment"].due_at == utc(2026, 1, 19, 23, 59, 59)
    assert due["categorised"].due_at is None and due["categorised"].waits_for == "meeting"
    assert due["decision"].waits_for == "categorised"
    assert due["safeguarding"].overdue(utc(2026, 1, 12, 10, 1))
    # the statutory 28 days to a decision run from the application, whatever waits
    assert due["decision"].due_at == utc(2026, 2, 9, 10)
    assert not due["decision"].overdue(utc(2026, 2, 9, 10))
    assert due["decision"].overdue(utc(2026, 2, 9, 10, 1))


def test_categorisation_runs_from_the_meeting_over_easter() -> None:
    steps = [_step("initial_checks", utc(2026, 3, 30, 9), "progressed")]
    steps.append(_step("meeting", utc(2026, 4, 1, 14)))  # Wednesday before Good Friday
    due = {d.step: d for d in deadlines(_app(applicant_is_victim=False), steps)}
    assert "risk_assessment" not in due  # a third party asked
    assert due["categorised"].due_at == utc(2026, 4, 10, 22, 59, 59)  # BST; skips 3 and 6 April


def test_right_to_know_and_not_progressed() -> None:
    know = _app(route="right_to_know", received_at=utc(2026, 1, 16, 12))  # a Friday
    due = {d.step: d for d in deadlines(know, [])}
    assert list(due) == ["initial_checks", "categorised", "decision"]
    assert due["categorised"].due_at == utc(2026, 1, 23, 23, 59, 59)
    stopped = deadlines(_app(), [_step("initial_checks", utc(2026, 1, 12, 12), "not_progressed")])
    assert [d.step for d in stopped] == ["initial_checks"]


def test_late_step_is_marked_late() -> None:
    due = {d.step: d for d in deadlines(_app(), [_step("initial_checks", utc(2026, 1, 14, 9))])}
    assert due["initial_checks"].late() and not due["initial_checks"].overdue(utc(2026, 2, 1))


def test_a_full_application_to_disclosure(store: Store) -> None:
    with store.session() as db:
        made = users(db)
        subject = Person(forename="Lee", surname="Testsubject")
        db.add(subject)
        db.flush()
        row = record_application(
            db, made[CALL_HANDLER], **ASK, subject_id=subject.id, received_at=utc(2026, 1, 12, 10)
        )
    with store.session() as db:
        for step, outcome in [
            ("initial_checks", "progressed"),
            ("meeting", ""),
            ("risk_assessment", ""),
        ]:
            record_step(db, made[OFFICER], row, step, outcome, done_at=utc(2026, 1, 13, 9))
        with pytest.raises(PermissionError, match="only a supervisor"):
            record_step(db, made[OFFICER], row, "categorised", "concern")
    with store.session() as db:
        with pytest.raises(DvdsRefused, match="give the reason"):
            record_step(db, made[SUPERVISOR], row, "decision", "not_disclosed")
        with pytest.raises(DvdsRefused, match="categorised: concern or no concern first"):
            record_step(db, made[SUPERVISOR], row, "decision", "disclosed")
        record_step(db, made[SUPERVISOR], row, "categorised", "concern", done_at=utc(2026, 1, 14))
        record_step(db, made[SUPERVISOR], row, "decision", "disclosed", "To Sam in person")
    with store.session() as db:
        held = load(db, row.id)
        assert held is not None and held.closed
        assert held.outcome == "Disclosure made: To Sam in person"
        assert applications(db, utc(2026, 1, 20)) == []
        assert len(applications(db, utc(2026, 1, 20), include_closed=True)) == 1
        assert db.exec(select(ProtectiveOrder)).all() == []  # read from the steps, not copied
        said = f"{row.reference}: disclosure made to Sam Testvictim"
        history = person_history(db, subject.id)
        assert history is not None and history.dvds == [f"DVDS right to ask: {said}"]
        assert history.perpetrator is not None and history.perpetrator.dvds[0].endswith(said)
        kinds = [o.kind for o in db.exec(select(OutboxItem))]
        assert kinds.count("dvdsstep") == 5 and kinds.count("dvdsapplication") == 1
        with pytest.raises(DvdsRefused, match="already recorded"):
            record_step(db, made[OFFICER], row, "meeting")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"route": "maybe"}, "Right to Ask or Right to Know"),
        ({"applicant_is_victim": False}, "name who is asking"),
        ({"victim_name": " "}, "name the potential victim"),
        ({"concerns": ""}, "why the information is sought"),
        ({"safe_contact": ""}, "safe way to contact"),
        ({"received_at": utc(2099, 1, 1)}, "not in the future"),
        ({"subject_id": "nobody"}, "subject is not held"),
    ],
)
def test_bad_applications_are_refused(store: Store, change: dict, message: str) -> None:
    with store.session() as db:
        made = users(db)
    with pytest.raises(DvdsRefused, match=message), store.session() as db:
        record_application(db, made[OFFICER], **{**ASK, **change})
    with store.session() as db:
        assert db.exec(select(DvdsApplication)).all() == []


def test_right_to_know_prompt_for_a_suspect_with_a_new_partner(store: Store) -> None:
    with store.session() as db:
        made = users(db)
        suspect = Person(forename="Max", surname="Testabuser")
        db.add(suspect)
        db.flush()
        incident(db, "OLD-1", utc(2024, 5, 1), suspect=suspect, status="historic")
        new = incident(db, "NEW-1", utc(2026, 1, 10), suspect=suspect)
        incident(db, "NEW-2", utc(2026, 1, 11))  # no suspect history
    with store.session() as db:
        (prompt,) = right_to_know_prompts(db, utc(2026, 1, 1))
        assert prompt.reference == "NEW-1" and prompt.earlier_victims == 1
        record_application(
            db, made[OFFICER], route="right_to_know", victim_name="New Partner",
            subject_name="Max Testabuser", subject_id=suspect.id,
            concerns="Prior DA against an ex-partner", incident_id=new.id,
        )  # fmt: skip
    with store.session() as db:
        assert right_to_know_prompts(db, utc(2026, 1, 1)) == []


def test_a_disclosure_stored_as_an_order_by_an_older_terminal_is_shown_once(store: Store) -> None:
    with store.session() as db:
        made = users(db)
        subject = Person(forename="Lee", surname="Testsubject")
        db.add(subject)
        db.flush()
        row = record_application(db, made[CALL_HANDLER], **ASK, subject_id=subject.id)
        for step, outcome in [("initial_checks", "progressed"), ("meeting", "")]:
            record_step(db, made[OFFICER], row, step, outcome)
        record_step(db, made[OFFICER], row, "risk_assessment")
        record_step(db, made[SUPERVISOR], row, "categorised", "concern")
        step = record_step(db, made[SUPERVISOR], row, "decision", "disclosed")
        db.add(
            ProtectiveOrder(
                kind="dvds_right_to_ask",
                subject_id=subject.id,
                detail=f"{row.reference}: disclosure made to Sam Testvictim",
                starts_on=step.done_at.date(),
            )
        )
    with store.session() as db:
        history = person_history(db, subject.id)
        assert history is not None and len(history.dvds) == 1
