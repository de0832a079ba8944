"""Grading a call: floors, overrides, decisions, outbox rows in the same transaction."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from firstresponse.calls import GradeRefused, Override, grade_call
from firstresponse.records import Assessment, Assignment, Decision, Incident, OutboxItem
from firstresponse.security import audit
from tests.unit.test_calls_support import NO_FACTS, PIN, add_users, calm_answers, lists, new_call


@pytest.fixture
def setup(store, settings):
    users = add_users(store)
    return store, users, lists(settings)["thrive"]


def _grade(store, user, incident, thrive, answers, facts=NO_FACTS, **kw):
    with store.session() as db:
        return grade_call(db, user, incident.id, thrive, answers, facts, **kw)


def test_priority_grade_with_no_indicators_writes_assignment_and_no_decision(setup) -> None:
    store, users, thrive = setup
    incident = new_call(store, users["CH1001"])
    graded = _grade(
        store, users["CH1001"], incident, thrive, calm_answers("priority"), assignee="PC2001"
    )
    with store.session() as db:
        row = db.get(Incident, incident.id)
        assert row.status == "graded" and row.grade == "priority"
        assert db.exec(select(Decision)).all() == []
        (assignment,) = db.exec(select(Assignment)).all()
        assert assignment.assignee == "PC2001" and assignment.briefing == graded.briefing
        (assessment,) = db.exec(select(Assessment)).all()
        assert assessment.status == "submitted" and assessment.checklist_hash == thrive.hash
        assert assessment.result["grade_floor"] == "scheduled"


@pytest.mark.parametrize(
    ("facts", "extra", "why"),
    [
        ({**NO_FACTS, "repeat_victim": True}, {}, "Repeat victim"),
        (
            NO_FACTS,
            {"children_present": "yes"},
            "Children are present or normally live at the address",
        ),
        (NO_FACTS, {"strangulation": "yes"}, "Strangulation or restricted breathing reported"),
        (
            {**NO_FACTS, "markers": ["firearms"]},
            {},
            "Firearms marker on a person linked to the call",
        ),
    ],
)
def test_floor_refuses_a_lower_grade_without_override(setup, facts, extra, why) -> None:
    store, users, thrive = setup
    incident = new_call(store, users["CH1001"])
    answers = calm_answers("scheduled", **extra)
    with pytest.raises(GradeRefused) as refused:
        _grade(store, users["CH1001"], incident, thrive, answers, facts)
    assert why in refused.value.problems
    with store.session() as db:
        assert db.get(Incident, incident.id).status == "open"
        assert db.exec(select(Assessment)).all() == []
        assert db.exec(select(Decision)).all() == []


@pytest.mark.parametrize(
    ("collar", "pin", "rationale", "message"),
    [
        ("SG3001", "9999", "Agreed", "PIN"),
        ("CH1001", PIN, "Agreed", "not an active supervisor"),
        ("SG9999", PIN, "Agreed", "not an active supervisor"),
        ("SG3001", PIN, "  ", "rationale"),
    ],
)
def test_override_needs_a_valid_supervisor(setup, collar, pin, rationale, message) -> None:
    store, users, thrive = setup
    incident = new_call(store, users["CH1001"])
    with pytest.raises(GradeRefused, match=message):
        _grade(
            store,
            users["CH1001"],
            incident,
            thrive,
            calm_answers("scheduled"),
            {**NO_FACTS, "repeat_victim": True},
            override=Override(collar, pin, rationale),
        )
    with store.session() as db:
        assert db.get(Incident, incident.id).status == "open"


def test_valid_override_records_grade_override_and_low_grade(setup) -> None:
    store, users, thrive = setup
    incident = new_call(store, users["CH1001"])
    graded = _grade(
        store,
        users["CH1001"],
        incident,
        thrive,
        calm_answers("scheduled"),
        {**NO_FACTS, "repeat_victim": True},
        override=Override("sg3001", PIN, "Caller is away at her sister's until tomorrow"),
    )
    kinds = sorted(d.kind for d in graded.decisions)
    assert kinds == ["grade_override", "low_grade"]
    with store.session() as db:
        override = db.exec(select(Decision).where(Decision.kind == "grade_override")).one()
        assert override.authorised_by == "SG3001"
        assert override.reason == "Caller is away at her sister's until tomorrow"
        assert not override.reviewed
        low = db.exec(select(Decision).where(Decision.kind == "low_grade")).one()
        assert low.reason == "Rationale for the grade"
        assessment = db.exec(select(Assessment)).one()
        assert assessment.answers["floor_override_supervisor"] == "SG3001"
        assert db.exec(select(Assignment)).one().grade == "scheduled"


def test_no_deployment_always_needs_override_and_writes_decision(setup) -> None:
    store, users, thrive = setup
    incident = new_call(store, users["CH1001"])
    answers = calm_answers("resolved_without_deployment")
    with pytest.raises(GradeRefused, match="supervisor"):
        _grade(store, users["CH1001"], incident, thrive, answers)
    graded = _grade(
        store,
        users["CH1001"],
        incident,
        thrive,
        answers,
        override=Override("SG3001", PIN, "Third-party call; victim safe with family"),
    )
    assert sorted(d.kind for d in graded.decisions) == ["grade_override", "no_deployment"]
    assert graded.assignment is None
    with store.session() as db:
        assert db.exec(select(Assignment)).all() == []


def test_incomplete_thrive_is_refused(setup) -> None:
    store, users, thrive = setup
    incident = new_call(store, users["CH1001"])
    answers = calm_answers("priority")
    del answers["grade.reason"]
    with pytest.raises(GradeRefused, match="not complete") as refused:
        _grade(store, users["CH1001"], incident, thrive, answers)
    assert any("rationale" in p for p in refused.value.problems)


def test_outbox_rows_written_with_records(setup) -> None:
    store, users, thrive = setup
    incident = new_call(store, users["CH1001"], children=True)
    graded = _grade(
        store,
        users["CH1001"],
        incident,
        thrive,
        calm_answers("immediate", children_present="yes", children_details="Amy 6, Ben 3"),
    )
    with store.session() as db:
        items = db.exec(select(OutboxItem)).all()
        by_record = {(i.record_id, i.kind, i.version) for i in items}
        assert (incident.id, "incident", 1) in by_record
        assert (incident.id, "incident", 2) in by_record
        assert (graded.assessment.id, "assessment", 1) in by_record
        assert (graded.assignment.id, "assignment", 1) in by_record
        assert sum(1 for i in items if i.kind == "child") == 2
        assert sum(1 for i in items if i.kind == "person") == 2  # victim + suspect


def test_failed_grading_writes_nothing_to_the_outbox(setup) -> None:
    store, users, thrive = setup
    incident = new_call(store, users["CH1001"])
    with store.session() as db:
        before = len(db.exec(select(OutboxItem)).all())
    with pytest.raises(GradeRefused):
        _grade(
            store,
            users["CH1001"],
            incident,
            thrive,
            calm_answers("scheduled"),
            {**NO_FACTS, "live_orders": 1},
        )
    with store.session() as db:
        assert len(db.exec(select(OutboxItem)).all()) == before


def test_grading_twice_is_refused(setup) -> None:
    store, users, thrive = setup
    incident = new_call(store, users["CH1001"])
    _grade(store, users["CH1001"], incident, thrive, calm_answers("priority"))
    with pytest.raises(GradeRefused, match="already graded"):
        _grade(store, users["CH1001"], incident, thrive, calm_answers("priority"))


def test_responder_may_not_grade(setup) -> None:
    store, users, thrive = setup
    incident = new_call(store, users["CH1001"])
    with pytest.raises(PermissionError):
        _grade(store, users["PC2001"], incident, thrive, calm_answers("priority"))


def test_workforce_suspect_flags_restricted_and_notifies(setup) -> None:
    from firstresponse.records import Notification

    store, users, thrive = setup
    incident = new_call(store, users["CH1001"])
    _grade(
        store, users["CH1001"], incident, thrive, calm_answers("priority", suspect_workforce="yes")
    )
    with store.session() as db:
        assert db.get(Incident, incident.id).restricted
        recipients = {n.recipient for n in db.exec(select(Notification))}
        assert {"inspector", "PSD"} <= {r if r == "PSD" else r.lower() for r in recipients}
        assessment = db.exec(select(Assessment)).one()
        assert "police_workforce_suspect" in assessment.result["flags"]
        assert audit.verify(db) == []
        assignment = db.exec(select(Assignment)).one()
        assert assignment.briefing["restricted"] is True


@pytest.mark.parametrize(
    ("facts", "extra", "why"),
    [
        (
            {**NO_FACTS, "suspect_markers": ["violence"]},
            {},
            "The suspect has a violence or weapons warning marker",
        ),
        (
            {**NO_FACTS, "suspect_markers": ["weapons"]},
            {},
            "The suspect has a violence or weapons warning marker",
        ),
        (
            {**NO_FACTS, "serial_perpetrator": True},
            {},
            "The suspect is a serial perpetrator (abuse of two or more victims)",
        ),
        ({**NO_FACTS, "suspect_wanted": True}, {}, "The suspect is wanted on a live warrant"),
        (
            NO_FACTS,
            {"honour_abuse": "yes"},
            "Honour-based abuse feared: one chance, see the caller alone, no family or"
            " community interpreters",
        ),
        (
            NO_FACTS,
            {"honour_abuse": "unknown"},
            "Honour-based abuse feared: one chance, see the caller alone, no family or"
            " community interpreters",
        ),
    ],
)
def test_suspect_side_and_honour_abuse_floors_refuse_a_scheduled_grade(
    setup, facts, extra, why
) -> None:
    """Issue 26: the suspect's markers, a serial perpetrator, a live warrant and an
    honour-based abuse concern each set a priority floor."""
    store, users, thrive = setup
    incident = new_call(store, users["CH1001"])
    with pytest.raises(GradeRefused) as refused:
        _grade(store, users["CH1001"], incident, thrive, calm_answers("scheduled", **extra), facts)
    assert why in refused.value.problems
    graded = _grade(
        store, users["CH1001"], incident, thrive, calm_answers("priority", **extra), facts,
        assignee="PC2001",
    )  # fmt: skip
    assert why in json.dumps(graded.briefing)  # the attending officer is told why
