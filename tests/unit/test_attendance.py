"""The responder's offline workflow: drafts, reasons, children, submission, amendments."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from firstresponse.attendance import (
    FIRST_RESPONSE,
    RISK,
    RecordImmutable,
    SubmissionRefused,
    assignments_for,
    attend_unassigned,
    briefing_sections,
    history,
    open_draft,
    outbox_lines,
    referral_choices,
    risk_summary,
    save_answers,
    set_referral,
    start_amendment,
    submission_problems,
    submit,
)
from firstresponse.checklist import Checklist, load_checklists
from firstresponse.config import Settings
from firstresponse.demo.answers import (
    child_entry,
    first_response_answers,
    no_charge_answers,
    risk_answers,
)
from firstresponse.records import (
    Assessment,
    Assignment,
    Child,
    Decision,
    Incident,
    Notification,
    OutboxItem,
    Role,
    User,
)
from firstresponse.store import Store
from firstresponse.store.outbox import PRIORITY_CHILD, PRIORITY_HIGH_RISK, waiting
from tests.builders import assigned_incident

OFFICER = "PC2001"


@pytest.fixture
def checklists(settings: Settings) -> dict[str, Checklist]:
    return load_checklists(settings.checklists_dir)


@pytest.fixture
def incident_id(store: Store) -> str:
    with store.session() as db:
        incident = assigned_incident(db, OFFICER, ("Risks", ["Threats to kill"]))
        return incident.id


def _draft(store: Store, incident_id: str, cl: Checklist, answers: dict) -> str:
    with store.session() as db:
        draft_id = open_draft(db, incident_id, cl, OFFICER).id
    save_answers(store, draft_id, answers, cl)
    return draft_id


def test_assignment_list_and_briefing_read_offline(store: Store, incident_id: str) -> None:
    with store.session() as db:
        views = assignments_for(db, OFFICER)
        assert [v.incident_id for v in views] == [incident_id]
        assert views[0].victim == "Alex Testperson"
        assert briefing_sections(views[0].briefing) == [("Risks", ["Threats to kill"])]
        assert assignments_for(db, "PC9999") == []
        db.add(Assignment(incident_id=incident_id, assignee="Bravo"))
    with store.session() as db:
        assert len(assignments_for(db, "PC9999", team="Bravo")) == 1


def test_attending_an_incident_not_dispatched_creates_it_locally(store: Store) -> None:
    with store.session() as db:
        attend_unassigned(db, OFFICER, "Sam", "Example", "2 Sample Street", summary="Flagged down")
    with store.session() as db:
        views = assignments_for(db, OFFICER)
        assert len(views) == 1 and views[0].local
        kinds = sorted(i.kind for i in waiting(db))
        assert kinds == ["incident", "person"]  # the assignment stays on the terminal


def test_every_answer_is_committed_and_a_reopened_store_has_it(
    settings: Settings, store: Store, incident_id: str, checklists: dict[str, Checklist]
) -> None:
    cl = checklists[FIRST_RESPONSE]
    draft_id = _draft(store, incident_id, cl, {"scene_safe": "yes"})
    save_answers(store, draft_id, {"scene_safe": "yes", "bwv_on": "no"}, cl)
    other = Store(settings.store_path)  # as if the terminal restarted after a crash
    with other.session() as db:
        row = db.get(Assessment, draft_id)
        assert row is not None and row.answers == {"scene_safe": "yes", "bwv_on": "no"}
        assert row.status == "draft"
        # reopening resumes the same draft rather than starting another
        assert open_draft(db, incident_id, cl, OFFICER).id == draft_id
    other.close()


def test_submission_is_refused_with_a_list_while_anything_is_missing(
    store: Store, incident_id: str, checklists: dict[str, Checklist]
) -> None:
    cl = checklists[FIRST_RESPONSE]
    _draft(store, incident_id, cl, first_response_answers(bwv_on="no", risk_checklist_done="no"))
    with pytest.raises(SubmissionRefused) as refused:
        submit(store, incident_id, OFFICER, checklists)
    text = "\n".join(refused.value.problems)
    assert "body-worn video" in text
    assert "when will it be completed" in text
    with store.session() as db:
        assert waiting(db) == []
        assert db.exec(select(Assessment)).one().status == "draft"


@pytest.mark.parametrize(
    ("changes", "kind"),
    [
        ({"bwv_on": "no"}, "bwv_off"),
        (
            {
                "grounds_for_arrest": "yes",
                "arrested": "no",
                "no_arrest_basis": ["voluntary_interview"],
                "suspect_outcome": "not_arrested",
                **no_charge_answers(),
            },
            "no_arrest",
        ),
    ],
)
def test_protection_reducing_choices_need_a_reason_and_become_decisions(
    store: Store, incident_id: str, checklists: dict[str, Checklist], changes: dict, kind: str
) -> None:
    cl = checklists[FIRST_RESPONSE]
    answers = first_response_answers(risk_checklist_done="no", **changes)
    answers["risk_checklist_done.reason"] = "Victim too distressed; booked for tomorrow"
    draft_id = _draft(store, incident_id, cl, answers)
    with pytest.raises(SubmissionRefused):
        submit(store, incident_id, OFFICER, checklists)
    item = next(iter(changes)) if kind == "bwv_off" else "arrested"
    answers[f"{item}.reason"] = "Recorded reason"
    save_answers(store, draft_id, answers, cl)
    submit(store, incident_id, OFFICER, checklists)
    with store.session() as db:
        # the skipped risk assessment and the notice not sought are decisions of their own
        others = {"risk_assessment_not_done", "protective_notice_not_sought"}
        decisions = [d for d in db.exec(select(Decision)) if d.kind not in others]
        assert [(d.kind, d.reason) for d in decisions] == [(kind, "Recorded reason")]
        assert decisions[0].assessment_id == draft_id and decisions[0].made_by == OFFICER
        incident = db.get(Incident, incident_id)
        assert incident is not None and incident.status == "attended"
        if kind == "no_arrest":
            assert incident.arrest_made is False and incident.crime_recorded is True


def test_each_child_is_recorded_individually_with_reasons(
    store: Store, incident_id: str, checklists: dict[str, Checklist]
) -> None:
    cl = checklists[FIRST_RESPONSE]
    answers = first_response_answers(
        children_present="yes",
        risk_checklist_done="no",
        children=[
            child_entry("Robin", 7),
            child_entry("Kit", 3, seen="no", spoken_to="no"),
        ],
    )
    answers["risk_checklist_done.reason"] = "Tomorrow"
    draft_id = _draft(store, incident_id, cl, answers)
    with store.session() as db:
        problems = submission_problems(db, incident_id, OFFICER, checklists)
    assert sum("child" in p.lower() for p in problems) >= 2  # both reasons for Kit
    answers["children"][1]["seen.reason"] = "Asleep at grandmother's; social worker to visit"
    answers["children"][1]["spoken_to.reason"] = "Not seen"
    save_answers(store, draft_id, answers, cl)
    with store.session() as db:
        draft = db.get(Assessment, draft_id)
        assert draft is not None
        choices = referral_choices(draft, cl)
    assert {c.id for c in choices} == {"childrens_services"}
    set_referral(store, draft_id, "childrens_services", True, checklist=cl)
    submit(store, incident_id, OFFICER, checklists)
    with store.session() as db:
        children = {c.name: c for c in db.exec(select(Child))}
        assert set(children) == {"Robin", "Kit"}
        assert children["Kit"].seen is False and "grandmother" in children["Kit"].reason
        assert children["Robin"].seen is True and children["Robin"].age == 7
        kinds = sorted((d.kind, d.reason.split(":")[0]) for d in db.exec(select(Decision)))
        assert kinds == [
            ("child_not_seen", "Kit"),
            ("child_not_spoken_to", "Kit"),
            ("risk_assessment_not_done", "Tomorrow"),
        ]
        assert {i.priority for i in waiting(db)} == {PRIORITY_CHILD}
        note = db.exec(select(Notification)).one()
        assert note.recipient == "childrens_services" and note.subject_id == incident_id
        assert "Robin, age 7" in note.body and "Kit, age 3" in note.body


def test_children_the_call_handler_recorded_are_the_same_records_the_officer_completes(
    store: Store, incident_id: str, checklists: dict[str, Checklist]
) -> None:
    with store.session() as db:
        db.add(Child(incident_id=incident_id, name="Robin", age=7))
        db.add(Child(incident_id=incident_id, name="Kit"))
    cl = checklists[FIRST_RESPONSE]
    with store.session() as db:
        draft = open_draft(db, incident_id, cl, OFFICER)
        draft_id, known = draft.id, draft.answers["children"]
    assert [(e["name"], e.get("age")) for e in known] == [("Kit", None), ("Robin", 7)]
    assert "children_present" not in draft.answers  # still the officer's own answer
    # The form fills in the entries it was given, as an officer does on scene.
    children = [{**known[0], **child_entry("Kit", 3)}, {**known[1], **child_entry("Robin", 7)}]
    answers = first_response_answers(
        children_present="yes", risk_checklist_done="no", children=children
    )
    answers["risk_checklist_done.reason"] = "Tomorrow"
    save_answers(store, draft_id, answers, cl)
    set_referral(store, draft_id, "childrens_services", True, checklist=cl)
    submit(store, incident_id, OFFICER, checklists)
    with store.session() as db:
        rows = {c.id: c for c in db.exec(select(Child))}
        sent = {o.record_id: o.version for o in db.exec(select(OutboxItem)) if o.kind == "child"}
    assert set(rows) == {e["_id"] for e in known}  # completed, not recorded twice
    assert sent == dict.fromkeys(rows, 2)  # after the call handler's 1 (the hub did not say)
    assert {(c.name, c.age, c.seen) for c in rows.values()} == {
        ("Kit", 3, True),
        ("Robin", 7, True),
    }


def test_a_referral_decided_in_one_checklist_is_not_asked_again_in_the_other(
    store: Store, incident_id: str, checklists: dict[str, Checklist]
) -> None:
    fr, risk = checklists[FIRST_RESPONSE], checklists[RISK]
    at_school = child_entry("Robin", 7, at_school="yes", school="Hill Primary")
    answers = first_response_answers(children_present="yes", children=[at_school])
    fr_id = _draft(store, incident_id, fr, answers)
    for referral in ("childrens_services", "school_notification"):
        set_referral(store, fr_id, referral, True, checklist=fr)
    answers = risk_answers(
        risk,
        children_in_household="yes",
        children_at_school="yes",
        childrens_services_referral="yes",
    )
    risk_id = _draft(store, incident_id, risk, answers)
    with store.session() as db:
        draft = db.get(Assessment, risk_id)
        assert draft is not None
        asked = {c.id: c.accepted for c in referral_choices(draft, risk)}
        problems = submission_problems(db, incident_id, OFFICER, checklists)
    assert asked["school_notification"] is None  # suggested by the risk checklist too
    assert not [p for p in problems if "School notification" in p]
    submit(store, incident_id, OFFICER, checklists)
    with store.session() as db:
        notes = [n.recipient for n in db.exec(select(Notification)) if n.kind == "referral"]
    assert sorted(notes) == ["childrens_services", "school_notification"]  # once each


def test_submission_goes_to_the_outbox_in_one_transaction_high_risk_first(
    store: Store, incident_id: str, checklists: dict[str, Checklist]
) -> None:
    fr, risk = checklists[FIRST_RESPONSE], checklists[RISK]
    _draft(store, incident_id, fr, first_response_answers())
    high = risk_answers(risk, yes=("very_frightened",), officer_level="high")
    high["officer_level.reason"] = "Threats with a knife last week"
    high["now_detail"] = "Shaking; says he will be back tonight"
    risk_id = _draft(store, incident_id, risk, high)
    with store.session() as db:
        draft = db.get(Assessment, risk_id)
        assert draft is not None
        choices = referral_choices(draft, risk)
    for choice in choices:
        set_referral(store, risk_id, choice.id, choice.id != "idva", "Already has an adviser", risk)
    submitted = submit(store, incident_id, OFFICER, checklists)
    assert {a.checklist_id for a in submitted} == {FIRST_RESPONSE, RISK}
    with store.session() as db:
        items = waiting(db)
        assert {i.priority for i in items} == {PRIORITY_HIGH_RISK}
        kinds = sorted(i.kind for i in items)
        assert kinds.count("assessment") == 2 and "incident" in kinds
        bodies = {i.kind: json.loads(i.body) for i in items if i.kind == "incident"}
        assert bodies["incident"]["risk_level"] == "high"
        decisions = {d.kind for d in db.exec(select(Decision))}
        assert {"risk_raised", "referral_declined"} <= decisions
        # every record has its envelope: nothing was written without one
        for kind, model in (("assessment", Assessment), ("decision", Decision)):
            ids = {r.id for r in db.exec(select(model))}
            assert ids == {i.record_id for i in items if i.kind == kind}
        # and the outbox lists high risk before a later ordinary record
        db.add(OutboxItem(record_id="x", kind="person", content_hash="h", body="{}"))
    with store.session() as db:
        assert waiting(db)[-1].record_id == "x"
        assert outbox_lines(db)[0].tag == "HIGH RISK"


def test_risk_cannot_be_lowered_below_computed_without_a_reason(
    store: Store, incident_id: str, checklists: dict[str, Checklist]
) -> None:
    fr, risk = checklists[FIRST_RESPONSE], checklists[RISK]
    _draft(store, incident_id, fr, first_response_answers())
    answers = risk_answers(risk, yes=("strangulation",), officer_level="standard")
    answers["serious_detail"] = "Hand round throat"
    answers["serious_harm_judgement"] = "Once, two years ago; he has since moved abroad"
    summary = risk_summary(risk, answers)
    assert summary.computed == "high" and summary.final == "standard" and summary.lowered
    assert any("Strangulation" in r for r in summary.rules)
    assert any("neck" in f for f in summary.factors)
    risk_id = _draft(store, incident_id, risk, answers)
    set_referral(store, risk_id, "medical_forensic", True, checklist=risk)
    with pytest.raises(SubmissionRefused) as refused:
        submit(store, incident_id, OFFICER, checklists)
    assert any("lowered below the high" in p for p in refused.value.problems)
    answers["officer_level.reason"] = "Suspect remanded in custody"
    save_answers(store, risk_id, answers, risk)
    with store.session() as db:
        draft = db.get(Assessment, risk_id)
        assert draft is not None
        pending = [c for c in referral_choices(draft, risk) if c.accepted is None]
    assert pending == []  # medical examination still accepted
    submit(store, incident_id, OFFICER, checklists)
    with store.session() as db:
        lowered = db.exec(select(Decision).where(Decision.kind == "risk_lowered")).one()
        assert lowered.reason == "Suspect remanded in custody"


def test_submitted_is_immutable_and_amendment_is_a_new_version(
    store: Store, incident_id: str, checklists: dict[str, Checklist]
) -> None:
    fr = checklists[FIRST_RESPONSE]
    answers = first_response_answers(risk_checklist_done="no")
    answers["risk_checklist_done.reason"] = "Tomorrow"
    first_id = _draft(store, incident_id, fr, answers)
    submit(store, incident_id, OFFICER, checklists)
    with pytest.raises(RecordImmutable):
        save_answers(store, first_id, {"scene_safe": "no"}, fr)
    with pytest.raises(ValueError):
        start_amendment(store, first_id, OFFICER, "  ")
    amendment = start_amendment(store, first_id, OFFICER, "Arrival time was wrong")
    assert amendment.version == 2 and amendment.replaces_id == first_id
    changed = dict(amendment.answers, arrived_at="2026-01-10 21:50")
    save_answers(store, amendment.id, changed, fr)
    submit(store, incident_id, OFFICER, checklists)
    with store.session() as db:
        chain = history(db, amendment.id)
        assert [(a.version, a.status) for a in chain] == [(1, "submitted"), (2, "submitted")]
        assert chain[0].answers["arrived_at"] == "2026-01-10 21:40"
        assert chain[1].answers["arrived_at"] == "2026-01-10 21:50"
        assert chain[1].amendment_reason == "Arrival time was wrong"
        envelopes = [i for i in waiting(db) if i.kind == "assessment"]
        assert sorted(i.version for i in envelopes) == [1, 2]
        incident_versions = sorted(i.version for i in waiting(db) if i.kind == "incident")
        assert incident_versions == [3, 4]
    with pytest.raises(ValueError):
        start_amendment(store, first_id, OFFICER, "again")  # amend the newest, not the old


def test_demo_seed_gives_a_draft_for_pc2001_and_a_submission_by_pc2002(
    settings: Settings, store: Store
) -> None:
    from firstresponse.demo.attendance import seed

    with store.session() as db:
        for collar in ("PC2001", "PC2002"):
            db.add(User(collar=collar, name="Demo Officer", role=Role.RESPONDER))
        seed(db, settings)
    with store.session() as db:
        rows = list(db.exec(select(Assessment)))
        assert {(a.author, a.status) for a in rows} == {
            ("PC2001", "draft"),
            ("PC2002", "submitted"),
        }
        kinds = {d.kind for d in db.exec(select(Decision))}
        assert {"no_arrest", "child_not_seen"} <= kinds
        assert len(list(db.exec(select(Child)))) == 2
        assert assignments_for(db, "PC2001") and assignments_for(db, "PC2002")


def test_an_opened_but_untouched_draft_does_not_block_submission(
    store: Store, incident_id: str, checklists: dict[str, Checklist]
) -> None:
    answers = first_response_answers(risk_checklist_done="no")
    answers["risk_checklist_done.reason"] = "Tomorrow"
    _draft(store, incident_id, checklists[FIRST_RESPONSE], answers)
    with store.session() as db:
        open_draft(db, incident_id, checklists[RISK], OFFICER)  # opened by mistake
    submitted = submit(store, incident_id, OFFICER, checklists)
    assert [a.checklist_id for a in submitted] == [FIRST_RESPONSE]


def test_only_a_role_allowed_to_submit_can_submit(
    store: Store, incident_id: str, checklists: dict[str, Checklist]
) -> None:
    answers = first_response_answers(risk_checklist_done="no")
    answers["risk_checklist_done.reason"] = "Tomorrow"
    with store.session() as db:
        db.add(User(collar="CH1", name="Call Handler", role=Role.CALL_HANDLER))
        draft = open_draft(db, incident_id, checklists[FIRST_RESPONSE], "CH1")
        draft.answers = answers
    with pytest.raises(PermissionError):
        submit(store, incident_id, "CH1", checklists)
    with pytest.raises(PermissionError):
        submit(store, incident_id, "NOBODY", checklists)


def test_every_envelope_of_a_submission_is_one_the_hub_accepts(
    store: Store, incident_id: str, checklists: dict[str, Checklist]
) -> None:
    from firstresponse.hub.kinds import KINDS, may_push
    from firstresponse.records import content_hash

    fr = checklists[FIRST_RESPONSE]
    answers = first_response_answers(
        children_present="yes",
        risk_checklist_done="no",
        bwv_on="no",
        children=[child_entry("Robin", 7, at_school="yes", school="Hill Primary")],
    )
    answers["risk_checklist_done.reason"] = "Tomorrow"
    answers["bwv_on.reason"] = "Camera failed"
    answers["_referrals"] = {
        "childrens_services": {"accepted": False, "reason": "Known"},
        "school_notification": {"accepted": True, "reason": ""},
    }
    _draft(store, incident_id, fr, answers)
    with store.session() as db:
        draft = db.exec(select(Assessment)).one()
        draft.answers = {**draft.answers, "_referrals": answers["_referrals"]}
    submit(store, incident_id, OFFICER, checklists)
    officer = User(collar=OFFICER, name="Pat Officer", role=Role.RESPONDER)
    with store.session() as db:
        items = waiting(db)
    kinds = {"assessment", "child", "decision", "incident", "notification"}
    assert {i.kind for i in items} == kinds  # the declined referral is a decision
    for item in items:
        body = json.loads(item.body)
        assert content_hash(body) == item.content_hash and body["id"] == item.record_id
        KINDS[item.kind].model.model_validate(body)
        assert may_push(officer, KINDS[item.kind]), item.kind
