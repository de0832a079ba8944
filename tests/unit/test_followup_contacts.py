"""Working days, the victim's contact plan, contacts made and case outcomes (fixed clocks)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from firstresponse.followup.contacts import (
    ContactRefused,
    all_plans,
    due_contacts,
    made_within,
    record_contact,
)
from firstresponse.followup.outcomes import OutcomeRefused, record_outcome
from firstresponse.followup.working_days import (
    add_working_days,
    bank_holidays,
    easter_sunday,
    next_school_day_start,
    working_days_after,
)
from firstresponse.records import Decision, OutboxItem, VictimContact
from firstresponse.store import Store
from firstresponse.supervision.cases import load_case
from firstresponse.supervision.sampling import candidates
from tests.followup_builders import (
    CALL_HANDLER,
    OFFICER,
    SUPERVISOR,
    incident,
    submitted,
    users,
    utc,
)


def test_bank_holidays_2026_and_2027_as_published() -> None:
    assert easter_sunday(2026) == date(2026, 4, 5)
    assert sorted(bank_holidays(2026)) == [
        date(2026, 1, 1), date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 4),
        date(2026, 5, 25), date(2026, 8, 31), date(2026, 12, 25), date(2026, 12, 28),
    ]  # fmt: skip
    assert sorted(bank_holidays(2027)) == [
        date(2027, 1, 1), date(2027, 3, 26), date(2027, 3, 29), date(2027, 5, 3),
        date(2027, 5, 31), date(2027, 8, 30), date(2027, 12, 27), date(2027, 12, 28),
    ]  # fmt: skip
    assert date(2023, 5, 8) in bank_holidays(2023)  # the coronation
    assert date(2022, 5, 30) not in bank_holidays(2022)  # moved for the jubilee


def test_working_days_skip_weekends_and_holidays() -> None:
    assert add_working_days(date(2026, 1, 9), 1) == date(2026, 1, 12)  # Friday -> Monday
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)  # over Easter
    assert add_working_days(date(2026, 12, 24), 2) == date(2026, 12, 30)
    assert add_working_days(date(2026, 1, 12), 10) == date(2026, 1, 26)
    # 23:30 UTC on Friday 10 July 2026 is already Saturday in the UK (BST)
    assert working_days_after(utc(2026, 7, 10, 23, 30), 1) == utc(2026, 7, 13, 22, 59, 59)
    assert working_days_after(utc(2026, 1, 12, 9), 1) == utc(2026, 1, 13, 23, 59, 59)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 1), -1)


FIRST = {"contact_method": "text", "contact_safety": "Texts only after 6pm", "arrested": "yes"}


def _case(store: Store):  # type: ignore[no-untyped-def]
    with store.session() as db:
        made = users(db)
        row = incident(db, "C-1", utc(2026, 1, 9, 20, 0), crime_recorded=True)
        submitted(db, row, "first_response", utc(2026, 1, 9, 22, 0), answers=FIRST)
        submitted(db, row, "risk", utc(2026, 1, 9, 22, 5), answers={"marac_referral": "yes"})
        other = incident(db, "C-2", utc(2026, 1, 9, 20, 0))
        submitted(db, other, "first_response", utc(2026, 1, 9, 22, 0), author="PC2002")
    return made, row.id


def test_plan_follows_the_victims_code(store: Store) -> None:
    _case(store)
    with store.session() as db:
        mine = due_contacts(db, utc(2026, 1, 10), owner=OFFICER)
        team = due_contacts(db, utc(2026, 1, 10), team="Bravo")
    keys = {d.key: d for d in mine}
    assert sorted(keys) == [
        "arrest", "initial", "marac", "special_measures", "support_referral", "vps",
    ]  # fmt: skip
    # submitted on Friday evening: one working day is Monday, five the next Friday
    assert keys["initial"].due_at == utc(2026, 1, 12, 23, 59, 59)
    assert keys["vps"].due_at == utc(2026, 1, 16, 23, 59, 59)
    assert keys["initial"].method == "text" and "after 6pm" in keys["initial"].safety
    assert all(d.team == "Alpha" for d in mine)
    # another team's case: no crime, no arrest; the update and the support referral
    assert [(d.reference, d.key) for d in team] == [("C-2", "initial"), ("C-2", "support_referral")]


def test_a_contact_completes_a_due_and_an_attempt_does_not(store: Store) -> None:
    made, _ = _case(store)
    with store.session() as db:
        initial = next(d for d in due_contacts(db, utc(2026, 1, 10)) if d.key == "initial")
        record_contact(
            db, made[OFFICER], initial, "phone", "no_answer", made_at=utc(2026, 1, 12, 9)
        )
    with store.session() as db:
        late = due_contacts(db, utc(2026, 1, 14), owner=OFFICER, overdue_only=True)
        # attempt only; the support referral (2 working days) was due on Tuesday
        assert {d.key for d in late} == {"initial", "arrest", "marac", "support_referral"}
        initial = next(d for d in late if d.key == "initial")
        assert len(initial.attempts) == 1
        record_contact(db, made[OFFICER], initial, "phone", "spoke", made_at=utc(2026, 1, 14, 9))
    with store.session() as db:
        late = due_contacts(db, utc(2026, 1, 14), team="Alpha", overdue_only=True)
        assert {d.key for d in late} == {"arrest", "marac", "support_referral"}
        kinds = [o.kind for o in db.exec(select(OutboxItem))]
        assert kinds == ["victimcontact", "victimcontact"]


def test_outcomes_add_contacts_and_nfa_is_sampled(store: Store) -> None:
    made, incident_id = _case(store)
    with store.session() as db:
        record_outcome(
            db, made[OFFICER], incident_id, "nfa_evidential", "No independent evidence",
            decided_at=utc(2026, 1, 20, 10),
        )  # fmt: skip
    with store.session() as db:
        dues = due_contacts(db, utc(2026, 1, 21), owner=OFFICER)
        outcome = next(d for d in dues if d.key.startswith("outcome:"))
        assert "Victims' Right to Review" in outcome.what
        assert outcome.due_at == utc(2026, 1, 21, 23, 59, 59)
        (decision,) = db.exec(select(Decision)).all()
        assert decision.kind == "no_further_action"
        case = load_case(db, incident_id)
        assert case is not None and "reduced_protection" in candidates([case])[0].reasons


@pytest.mark.parametrize(
    ("method", "result", "note", "message"),
    [
        ("pigeon", "spoke", "", "choose how"),
        ("phone", "maybe", "", "choose what happened"),
        ("phone", "declined", "", "say why"),
        ("phone", "unsafe", " ", "say why"),
    ],
)
def test_bad_contacts_are_refused(
    store: Store, method: str, result: str, note: str, message: str
) -> None:
    made, _ = _case(store)
    with store.session() as db:
        due = due_contacts(db, utc(2026, 1, 10))[0]
    with pytest.raises(ContactRefused, match=message), store.session() as db:
        record_contact(db, made[OFFICER], due, method, result, note)
    with store.session() as db:
        assert db.exec(select(VictimContact)).all() == []


def test_who_may_record_and_what_outcomes_need(store: Store) -> None:
    made, incident_id = _case(store)
    with store.session() as db:
        due = due_contacts(db, utc(2026, 1, 10))[0]
    with pytest.raises(PermissionError), store.session() as db:
        record_contact(db, made[CALL_HANDLER], due, "phone", "spoke")
    with pytest.raises(OutcomeRefused, match="reason"), store.session() as db:
        record_outcome(db, made[SUPERVISOR], incident_id, "cautioned", "")
    with pytest.raises(OutcomeRefused, match="future"), store.session() as db:
        record_outcome(db, made[SUPERVISOR], incident_id, "charged", "", utc(2099, 1, 1))
    with store.session() as db:
        record_contact(db, made[SUPERVISOR], due, "letter", "written", made_at=utc(2026, 1, 13))
    with store.session() as db:
        done = next(d for d in _all(db) if d.key == due.key and d.incident_id == due.incident_id)
        assert done.done and made_within(done) is not None


def _all(db):  # type: ignore[no-untyped-def]
    from firstresponse.followup.contacts import all_plans

    return all_plans(db)


def test_the_next_school_day_starts_at_nine_on_a_working_day() -> None:
    # Friday 9 January 2026 at 20:00: Monday 09:00 (UK is UTC in winter)
    assert next_school_day_start(utc(2026, 1, 9, 20)) == utc(2026, 1, 12, 9)
    # before nine on a school day: that morning; Thursday before Easter: Tuesday, in BST
    assert next_school_day_start(utc(2026, 1, 13, 2)) == utc(2026, 1, 13, 9)
    assert next_school_day_start(utc(2026, 4, 2, 12)) == utc(2026, 4, 7, 8)


SCHOOL_CHILD = {"_id": "c-1", "name": "Kit", "at_school": "yes", "school": "Elm Primary"}


def test_support_referral_and_encompass_are_on_the_plan(store: Store) -> None:
    with store.session() as db:
        users(db)
        done = incident(db, "E-1", utc(2026, 1, 9, 20, 0))
        answers = {
            "safeguarding_actions": ["support_referral"],
            "children": [SCHOOL_CHILD],
            "_referrals": {"school_notification": {"accepted": True, "reason": ""}},
        }
        submitted(db, done, "first_response", utc(2026, 1, 9, 22, 0), answers=answers)
        owed = incident(db, "E-2", utc(2026, 1, 9, 20, 0))
        removed = {**SCHOOL_CHILD, "_id": "c-2", "connected": "recorded_in_error"}
        answers = {"safeguarding_actions": ["safety_plan"], "children": [SCHOOL_CHILD, removed]}
        submitted(db, owed, "first_response", utc(2026, 1, 9, 22, 0), answers=answers)
        plans = {(d.reference, d.key): d for d in all_plans(db)}
        late = {(d.reference, d.key) for d in due_contacts(db, utc(2026, 1, 12, 10),
                                                           overdue_only=True)}  # fmt: skip
    referral, school = plans[("E-1", "support_referral")], plans[("E-1", "encompass:c-1")]
    assert referral.due_at == utc(2026, 1, 13, 23, 59, 59) and referral.done
    assert school.due_at == utc(2026, 1, 12, 9) and school.done
    assert "Elm Primary" in school.what and "Kit" in school.what
    assert made_within(school) is not None and made_within(school) < timedelta(0)
    assert not plans[("E-2", "support_referral")].done
    assert ("E-2", "encompass:c-2") not in plans  # a child removed from the incident
    assert late == {("E-2", "encompass:c-1")}  # Monday 10:00: the school was not told
