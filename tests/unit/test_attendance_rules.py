"""Issue 14 in the responder's workflow: facts from the history, orders in force and made,
crime recording, declined risk assessments always sampled, and answers stored against
older checklist versions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from firstresponse.attendance import open_draft, save_answers, start_amendment, submit
from firstresponse.attendance.drafts import FIRST_RESPONSE
from firstresponse.attendance.facts import facts_for
from firstresponse.attendance.orders import order_id
from firstresponse.checklist import Checklist, load_checklists
from firstresponse.config import Settings
from firstresponse.demo.answers import first_response_answers
from firstresponse.demo.cases import assessment, incident, person
from firstresponse.records import (
    Assessment,
    Decision,
    Incident,
    OutboxItem,
    Person,
    ProtectiveOrder,
)
from firstresponse.store import Store
from firstresponse.supervision.cases import load_case
from firstresponse.supervision.sampling import must_check_reasons
from tests.builders import assigned_incident

OFFICER = "PC2001"
#: The risk checklist is left for another day, so these tests need only the first response.
LATER = {"risk_checklist_done": "no", "risk_checklist_done.reason": "Tomorrow"}
WHEN = datetime(2026, 1, 10, 21, 0, tzinfo=UTC)


@pytest.fixture
def checklists(settings: Settings) -> dict[str, Checklist]:
    return load_checklists(settings.checklists_dir)


@pytest.fixture
def incident_id(store: Store) -> str:
    with store.session() as db:
        found = assigned_incident(db, OFFICER, ("Risks", ["Threats to kill"]))
        suspect = Person(forename="Rex", surname="Testperson")
        db.add(suspect)
        db.flush()
        found.suspect_id = suspect.id
        db.add(found)
        return found.id


def _parties(db: Session, incident_id: str) -> tuple[str, str]:
    found = db.get(Incident, incident_id)
    assert found is not None and found.suspect_id
    return found.victim_id, found.suspect_id


def _order(db: Session, incident_id: str, kind: str, **fields: object) -> ProtectiveOrder:
    victim, suspect = _parties(db, incident_id)
    fields.setdefault("subject_id", suspect)
    fields.setdefault("protected_id", victim)
    row = ProtectiveOrder(kind=kind, **fields)  # type: ignore[arg-type]
    db.add(row)
    db.flush()
    return row


def test_facts_list_each_breachable_order_in_force_on_the_day(
    store: Store, incident_id: str
) -> None:
    with store.session() as db:
        live = _order(db, incident_id, "restraining_order", detail="No contact",
                      starts_on=date(2025, 6, 1), ends_on=date(2027, 6, 1))  # fmt: skip
        _order(db, incident_id, "bail_conditions", detail="Expired", ends_on=date(2025, 12, 1))
        _order(db, incident_id, "warrant", detail="Not breachable")
        other = Person(forename="Other", surname="Partner")
        db.add(other)
        db.flush()
        # bail conditions protecting someone else still bind this suspect
        _order(db, incident_id, "bail_conditions", detail="Not to contact Other Partner",
               protected_id=other.id, starts_on=date(2026, 1, 1))  # fmt: skip
        facts = facts_for(db, incident_id)
    assert facts["live_orders"] == 2
    labels = [o["label"] for o in facts["orders_in_force"]]
    assert labels == [
        "Restraining order: No contact (until 2027-06-01)",
        "Bail conditions: Not to contact Other Partner",
    ]
    assert facts["orders_in_force"][0]["id"] == live.id


def test_previous_level_and_marac_count_only_within_12_months(
    store: Store, incident_id: str
) -> None:
    with store.session() as db:
        victim, _ = _parties(db, incident_id)
        row = db.get(Person, victim)
        assert row is not None
        incident(db, "OLD-HIGH", WHEN - timedelta(days=500), row, risk_level="high")
        _order(db, incident_id, "marac", starts_on=date(2024, 9, 1), ends_on=date(2024, 9, 2))
        facts = facts_for(db, incident_id)
        assert facts["previous_risk_level"] is None and facts["on_marac"] is False
        assert facts["incidents_12m"] == 0 and facts["repeat_victim"] is True
        incident(db, "RECENT", WHEN - timedelta(days=100), row, risk_level="medium")
        _order(db, incident_id, "marac", starts_on=date(2025, 11, 1), ends_on=date(2025, 11, 2))
        facts = facts_for(db, incident_id)
    assert facts["previous_risk_level"] == "medium" and facts["on_marac"] is True
    assert facts["incidents_12m"] == 1


def test_the_draft_lists_every_order_in_force_even_one_added_later(
    store: Store, incident_id: str, checklists: dict[str, Checklist]
) -> None:
    cl = checklists[FIRST_RESPONSE]
    with store.session() as db:
        first = _order(db, incident_id, "non_molestation_order", detail="Stay away")
        draft = open_draft(db, incident_id, cl, OFFICER, facts_for(db, incident_id))
        assert [e["_id"] for e in draft.answers["orders_in_force"]] == [first.id]
        draft_id = draft.id
    answers = dict(draft.answers)
    answers["orders_in_force"] = [{**answers["orders_in_force"][0], "breached": "no"}]
    save_answers(store, draft_id, answers, cl)
    with store.session() as db:
        later = _order(db, incident_id, "dvpo", detail="28 days", starts_on=date(2026, 1, 5))
        draft = open_draft(db, incident_id, cl, OFFICER, facts_for(db, incident_id))
        entries = draft.answers["orders_in_force"]
    assert [e["_id"] for e in entries] == [first.id, later.id]
    assert entries[0]["breached"] == "no"  # the answer given is kept


def test_crime_recording_is_the_officers_answer_not_the_arrest(
    store: Store, incident_id: str, checklists: dict[str, Checklist]
) -> None:
    cl = checklists[FIRST_RESPONSE]
    answers = first_response_answers(crime_recorded="no", **LATER)
    answers["crime_recorded.reason"] = "Recorded as a non-crime incident after the account"
    with store.session() as db:
        draft_id = open_draft(db, incident_id, cl, OFFICER).id
    save_answers(store, draft_id, answers, cl)
    submit(store, incident_id, OFFICER, checklists)
    with store.session() as db:
        found = db.get(Incident, incident_id)
        assert found is not None and found.arrest_made is True and found.crime_recorded is False
        assert found.relationship == "partner"
        kinds = sorted(d.kind for d in db.exec(select(Decision)))
    assert kinds == ["crime_not_recorded", "risk_assessment_not_done"]


def test_orders_made_at_the_scene_become_order_records_once(
    store: Store, incident_id: str, checklists: dict[str, Checklist]
) -> None:
    cl = checklists[FIRST_RESPONSE]
    answers = first_response_answers(
        grounds_for_arrest="yes", arrested="yes", suspect_outcome="bailed",
        bail_conditions="Not to enter Test Row", bail_until="2026-02-07",
        release_victim_views="Wants conditions; told by phone 23:10",
        notice_scheme="dvpn", notice_test_violence="yes", notice_test_necessary="yes",
        notice_test_age="yes", notice_decision="authorised",
        notice_authority="SP1001 Supt", notice_authority_rank="superintendent",
        notice_served_at="2026-01-11 01:00", order_hearing_at="2026-01-12 10:00",
        notice_terms="No contact; not within 100 m of 1 Test Row", **LATER,
    )  # fmt: skip
    with store.session() as db:
        draft_id = open_draft(db, incident_id, cl, OFFICER).id
    save_answers(store, draft_id, answers, cl)
    submit(store, incident_id, OFFICER, checklists)
    with store.session() as db:
        victim, suspect = _parties(db, incident_id)
        rows = {o.kind: o for o in db.exec(select(ProtectiveOrder))}
        assert set(rows) == {"dvpn", "bail_conditions"}
        dvpn, bail = rows["dvpn"], rows["bail_conditions"]
        assert (dvpn.subject_id, dvpn.protected_id) == (suspect, victim)
        assert dvpn.starts_on == date(2026, 1, 11) and dvpn.ends_on == date(2026, 1, 12)
        assert "SP1001" in dvpn.detail and "100 m" in dvpn.detail
        assert bail.detail == "Not to enter Test Row" and bail.ends_on == date(2026, 2, 7)
        assert dvpn.id == order_id(incident_id, "dvpn")
        queued = [i for i in db.exec(select(OutboxItem)) if i.kind == "order"]
        assert sorted(i.record_id for i in queued) == sorted([dvpn.id, bail.id])
        # the next attendance is asked whether they were breached
        later = Incident(reference="T-2", occurred_at=WHEN + timedelta(days=1),
                         victim_id=victim, suspect_id=suspect)  # fmt: skip
        db.add(later)
        db.flush()
        assert facts_for(db, later.id)["live_orders"] == 2
    # an amendment that changes the conditions updates the same record, a new version
    amended = start_amendment(store, draft_id, OFFICER, "Bail conditions varied by custody")
    save_answers(store, amended.id, {**answers, "bail_conditions": "Not to enter Testshire"}, cl)
    submit(store, incident_id, OFFICER, checklists)
    with store.session() as db:
        rows = list(db.exec(select(ProtectiveOrder)))
        assert len(rows) == 2
        assert db.get(ProtectiveOrder, bail.id).detail == "Not to enter Testshire"  # type: ignore[union-attr]
        versions = sorted(i.version for i in db.exec(select(OutboxItem)) if i.record_id == bail.id)
    assert versions == [1, 2]


def test_answers_stored_against_an_older_version_still_load_and_submit(
    store: Store, incident_id: str, checklists: dict[str, Checklist]
) -> None:
    cl = checklists[FIRST_RESPONSE]
    old = {"arrived_at": "2026-01-10 21:40", "grounds_for_arrest": "no", "bwv_on": "yes",
           "offences": "Common assault"}  # fmt: skip
    with store.session() as db:
        draft = open_draft(db, incident_id, cl, OFFICER)
        draft.checklist_version, draft.checklist_hash = "1.1", "c7d93c282d9f" + "0" * 52
        draft.answers = old
        db.add(draft)
        draft_id = draft.id
    with store.session() as db:
        reopened = open_draft(db, incident_id, cl, OFFICER)
        assert reopened.id == draft_id and reopened.answers == old  # loads, nothing lost
    with pytest.raises(Exception, match="offences disclose"):
        submit(store, incident_id, OFFICER, checklists)
    save_answers(store, draft_id, first_response_answers(**LATER), cl)
    submit(store, incident_id, OFFICER, checklists)
    with store.session() as db:
        row = db.get(Assessment, draft_id)
        assert row is not None and row.status == "submitted"
        assert (row.checklist_version, row.checklist_hash) == (cl.version, cl.hash)


# --- Always drawn: declined or skipped risk assessments ------------------------------------
def _case(db: Session, ref: str, risk: dict | None, first: dict | None, kinds: list[str]):
    victim = person(db, "Ava", ref)
    inc = incident(db, ref, WHEN, victim)
    if first is not None:
        assessment(db, inc, "first_response", first, OFFICER)
    if risk is not None:
        assessment(db, inc, "risk", risk, OFFICER)
    for kind in kinds:
        db.add(Decision(incident_id=inc.id, kind=kind, reason="r", made_by=OFFICER))
    db.flush()
    case = load_case(db, inc.id)
    assert case is not None
    return case


@pytest.mark.parametrize(
    ("risk", "first", "kinds", "drawn"),
    [
        ({"participation": "declined"}, {}, ["risk_assessment_declined"], True),
        ({"participation": "declined"}, {}, [], True),  # stored before the decision existed
        (None, {"risk_checklist_done": "no"}, ["risk_assessment_not_done"], True),
        (None, {"risk_checklist_done": "yes"}, [], True),  # attended, never assessed
        ({"participation": "full", "officer_level": "standard"},
         {"risk_checklist_done": "yes"}, [], False),
    ],
)  # fmt: skip
def test_declined_or_skipped_risk_assessments_are_always_drawn(
    store: Store, risk: dict | None, first: dict | None, kinds: list[str], drawn: bool
) -> None:
    with store.session() as db:
        case = _case(db, "RISK-SKIP", risk, first, kinds)
        assert ("risk_not_assessed" in must_check_reasons(case)) is drawn
