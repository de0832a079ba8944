"""Call intake, THRIVE facts from the history, and the briefing content."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from firstresponse.calls import build_briefing, facts_from_history, grade_call, shift_calls
from firstresponse.calls.details import parse_children, parse_dob, split_name
from firstresponse.calls.intake import LIVE
from firstresponse.checklist import evaluate
from firstresponse.records import AuditEvent, Child, Incident, Person
from tests.unit.test_calls_support import NO_FACTS, add_users, calm_answers, lists, new_call

HISTORY = {
    "person_id": "p1",
    "name": "Testa Example",
    "markers": ["repeat_victim", "firearms"],
    "last_risk_level": "medium",
    "da_incidents_12m": 4,
    "incidents_12m_as_victim": 3,
    "previous_partners": ["Former Partner"],
    "orders": [
        {
            "kind": "non_molestation_order",
            # as lookup.history words it: the end date already in the line
            "detail": "Non-molestation order against Former Partner: No contact (until 2027-01-01)",
            "in_force": True,
            "ends_on": "2027-01-01",
        },
        {"kind": "dvpo", "detail": "Expired order", "in_force": False, "ends_on": "2025-01-01"},
    ],
    "on_marac": True,
    "bail_conditions": ["Not to enter Synthetic Road"],
    "dvds": ["Right to know disclosure 2026-02-01"],
    "incidents": [
        {"incident_id": "i1", "role": "victim", "reference": "WM-1"},
        {
            "incident_id": "i2",
            "role": "victim",
            "occurred_at": "2026-03-01T20:00:00Z",
            "risk_level": "medium",
        },
        {
            "incident_id": "i3",
            "role": "victim",
            "occurred_at": "2024-03-01T20:00:00Z",
            "risk_level": "high",
        },
    ],
    "narrative": ["2026-10-01 assault by partner, high risk", "2026-06-01 verbal argument"],
}


def test_facts_from_history() -> None:
    facts = facts_from_history(
        HISTORY, {"markers": ["police_workforce_suspect"]}, today=date(2026, 6, 1)
    )
    assert facts == {
        "repeat_victim": True,
        "markers": ["firearms", "police_workforce_suspect", "repeat_victim"],
        "incidents_12m": 3,
        "police_workforce_suspect": True,
        "live_orders": 1,
        "previous_risk_level": "medium",
        "suspect_markers": ["police_workforce_suspect"],
        "serial_perpetrator": False,
        "suspect_wanted": False,
    }
    assert facts_from_history(None) == NO_FACTS


def test_incidents_as_suspect_are_not_the_victims_count() -> None:
    """Issue 25: THRIVE's incidents_12m counts incidents as victim only."""
    as_suspect = {"da_incidents_12m": 3, "incidents_12m_as_victim": 0, "incidents": []}
    assert facts_from_history(as_suspect)["incidents_12m"] == 0
    older = {  # a hub from before the counts by role: counted from the incidents
        "da_incidents_12m": 2,
        "incidents": [
            {"role": "suspect", "occurred_at": "2026-05-01T20:00:00Z"},
            {"role": "victim", "occurred_at": "2026-04-01T20:00:00Z"},
        ],
    }
    assert facts_from_history(older, today=date(2026, 6, 1))["incidents_12m"] == 1


def test_the_suspects_own_side_gives_its_facts() -> None:
    suspect = {"markers": ["violence"], "perpetrator": {"serial": True, "wanted": True}}
    facts = facts_from_history(HISTORY, suspect, today=date(2026, 6, 1))
    assert facts["suspect_markers"] == ["violence"]
    assert facts["serial_perpetrator"] is True and facts["suspect_wanted"] is True


def test_previously_high_counts_only_within_12_months() -> None:
    """A high level two years ago is history: it does not set today's floor."""
    assert facts_from_history(HISTORY, today=date(2024, 6, 1))["previous_risk_level"] == "high"
    assert facts_from_history(HISTORY, today=date(2026, 6, 1))["previous_risk_level"] == "medium"
    assert facts_from_history(HISTORY, today=date(2027, 6, 1))["previous_risk_level"] == ""


def test_history_facts_raise_the_floor(settings) -> None:
    thrive = lists(settings)["thrive"]
    ev = evaluate(thrive, calm_answers("scheduled"), facts_from_history(HISTORY))
    assert ev.grade_floor.value == "immediate"  # firearms marker
    assert "grade_below_floor" in ev.flags


def test_open_call_creates_person_incident_children_and_audits(store) -> None:
    users = add_users(store)
    incident = new_call(store, users["CH1001"], children=True)
    with store.session() as db:
        row = db.get(Incident, incident.id)
        assert row.status == "open" and row.source == "call" and row.reference.startswith("WM-")
        victim = db.get(Person, row.victim_id)
        assert victim.full_name == "Testa Example" and victim.postcode == "TT1 1AA"
        assert db.get(Person, row.suspect_id).full_name == "Sample Person"
        kids = db.exec(select(Child).where(Child.incident_id == row.id)).all()
        assert sorted((c.name, c.age) for c in kids) == [("Amy", 6), ("Ben", 3)]
        events = db.exec(select(AuditEvent).where(AuditEvent.action == "open_call")).all()
        assert [e.subject_id for e in events] == [row.id]
        assert [i.id for i in shift_calls(db)] == [row.id]


def test_open_call_uses_the_looked_up_person(store) -> None:
    from firstresponse.calls import open_call
    from tests.unit.test_calls_support import details

    users = add_users(store)
    with store.session() as db:
        known = Person(
            forename="Known", surname="Victim", address="2 Old Street", postcode="TT2 2BB"
        )
        db.add(known)
    with store.session() as db:
        d = details()
        d.address, d.postcode = "", ""
        incident = open_call(db, users["CH1001"], d, victim_id=known.id)
    with store.session() as db:
        assert db.get(Incident, incident.id).victim_id == known.id
        assert db.get(Incident, incident.id).postcode == "TT2 2BB"
        assert len(db.exec(select(Person)).all()) == 2  # known victim + new suspect


def test_briefing_sections(store, settings) -> None:
    users = add_users(store)
    thrive = lists(settings)["thrive"]
    incident = new_call(store, users["CH1001"], children=True)
    answers = calm_answers(
        "immediate",
        children_present="yes",
        children_details="Amy 6 upstairs, Ben 3 asleep",
        weapons="yes",
        strangulation="yes",
    )
    facts = facts_from_history(HISTORY)
    with store.session() as db:
        graded = grade_call(
            db,
            users["CH1001"],
            incident.id,
            thrive,
            answers,
            facts,
            history=HISTORY,
            assignee="Alpha",
        )
    briefing = graded.briefing
    assert set(briefing) == {
        "summary",
        "sections",
        "generated_at",
        "incident_reference",
        "grade",
        "restricted",
    }
    assert briefing["summary"].startswith("IMMEDIATE: Testa Example, 1 Synthetic Road")
    assert briefing["incident_reference"] == incident.reference and not briefing["restricted"]
    sections = {s["title"]: s["lines"] for s in briefing["sections"]}
    assert list(sections)[:8] == [
        "Call",
        "Risks",
        "Suspect",
        "Weapons",
        "Children",
        "Orders",
        "History",
        "Markers",
    ]
    assert "Strangulation or restricted breathing reported" in sections["Risks"]
    assert not any("not sending anyone" in line for line in sections["Risks"])
    assert "Last assessed risk: medium" in sections["Risks"]
    assert "Victim is on the MARAC list" in sections["Risks"]
    assert "FIREARMS marker on a person linked to the call" in sections["Weapons"]
    assert "Amy, 6 - see and speak to" in sections["Children"]
    assert any("No contact" in line for line in sections["Orders"])
    assert [line.count("2027-01-01") for line in sections["Orders"] if "No contact" in line] == [1]
    assert not any("Expired" in line for line in sections["Orders"])
    assert "Bail: Not to enter Synthetic Road" in sections["Orders"]
    assert "DA incidents in the last 12 months: 3 as victim" in sections["History"]
    assert "2026-10-01 assault by partner, high risk" in sections["History"]
    assert "repeat victim" in sections["Markers"]
    assert graded.assignment.assignee == "Alpha"


def test_briefing_without_history_says_so(settings) -> None:
    thrive = lists(settings)["thrive"]
    incident = Incident(
        reference="WM-X", occurred_at=date(2026, 1, 1), victim_id="v", summary="Row"
    )
    ev = evaluate(thrive, calm_answers("priority"), NO_FACTS)
    out = build_briefing(incident, None, calm_answers("priority"), ev)
    sections = {s["title"]: s["lines"] for s in out["sections"]}
    assert sections["History"] == ["No previous record found for the person at risk"]
    assert sections["Children"] == ["None known"] and sections["Weapons"] == ["None reported"]


def test_detail_parsers() -> None:
    assert split_name("Mary Ann Testcase") == ("Mary Ann", "Testcase")
    assert [(c.name, c.age) for c in parse_children("Amy 6, Ben aged 3; baby")] == [
        ("Amy", 6),
        ("Ben", 3),
        ("baby", None),
    ]
    assert parse_dob("03/04/1990") == date(1990, 4, 3)
    assert parse_dob("1990-04-03") == date(1990, 4, 3)
    assert parse_dob("1990") is None


def test_the_call_list_keeps_a_night_shift_across_midnight(store) -> None:
    """A call at 23:50 is still on the list at 00:10; one from thirteen hours ago is not."""
    from datetime import UTC, datetime, timedelta

    midnight = datetime(2026, 11, 30, tzinfo=UTC)
    with store.session() as db:
        victim = Person(forename="Night", surname="Shift")
        db.add(victim)
        db.flush()
        for reference, ago in (("N-1", timedelta(minutes=10)), ("N-2", timedelta(hours=13))):
            db.add(Incident(reference=reference, occurred_at=midnight - ago,
                            victim_id=victim.id, source=LIVE))  # fmt: skip
    with store.session() as db:
        listed = shift_calls(db, now=midnight + timedelta(minutes=10))
    assert [i.reference for i in listed] == ["N-1"]
