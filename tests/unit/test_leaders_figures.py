"""The leaders' figures: each one from known records, by week, team and officer (fixed clock)."""

from __future__ import annotations

import json
from datetime import date

from firstresponse.followup.contacts import all_plans, record_contact
from firstresponse.followup.dvds import record_application, record_step
from firstresponse.followup.outcomes import record_outcome
from firstresponse.people.needs import save_needs
from firstresponse.records import HighRiskReview, Person, PersonMarker, ProtectiveOrder
from firstresponse.store import Store
from firstresponse.supervision.export import build_export
from firstresponse.supervision.figures import FIGURES, leader_rows, leaders_figures
from tests.followup_builders import OFFICER, SUPERVISOR, incident, submitted, users, utc

START, END, NOW = utc(2026, 1, 5), utc(2026, 1, 19), utc(2026, 1, 20)


def _seed(store: Store) -> None:
    with store.session() as db:
        made = users(db)
        repeat = Person(
            forename="Rae", surname="Testrepeat", dob=date(2009, 1, 10), gender="F",
            ethnicity="B2",
        )  # fmt: skip
        db.add(repeat)
        db.flush()
        db.add(PersonMarker(person_id=repeat.id, marker="disability"))
        incident(db, "OLD", utc(2025, 12, 1), victim=repeat, status="historic")
        a = incident(db, "A", utc(2026, 1, 6, 20), victim=repeat, grade="immediate",
                     crime_recorded=True, arrest_made=True)  # fmt: skip
        submitted(db, a, "first_response", utc(2026, 1, 6, 22),
                  answers={"arrived_at": "2026-01-06 20:12", "arrested": "yes",
                           "orders_in_force": [{"_id": "o-1", "breached": "yes"}]})  # fmt: skip
        submitted(db, a, "risk", utc(2026, 1, 6, 22), result={"risk_level": "high"},
                  answers={"marac_referral": "yes", "breached_conditions": "yes"})  # fmt: skip
        db.add(ProtectiveOrder(kind="dvpn", subject_id=repeat.id, incident_id=a.id))
        db.add(HighRiskReview(incident_id=a.id, reviewer=SUPERVISOR, submitted_at=NOW,
                              due_by=NOW, level_before="high", decision="confirm",
                              level_after="high", reason="Confirmed high"))  # fmt: skip
        b = incident(db, "B", utc(2026, 1, 13, 9), grade="priority", crime_recorded=True)
        submitted(db, b, "first_response", utc(2026, 1, 13, 11), author="PC2002",
                  answers={"arrived_at": "2026-01-13 09:40"})  # fmt: skip
        incident(db, "C", utc(2026, 1, 25), crime_recorded=True)  # outside the window
        record_outcome(db, made[OFFICER], b.id, "nfa_evidential", "No independent evidence",
                       utc(2026, 1, 14))  # fmt: skip
        app = record_application(
            db, made[OFFICER], route="right_to_know", victim_name="New Partner",
            subject_name="Max Test", concerns="History with an ex-partner",
            received_at=utc(2026, 1, 7, 10),
        )  # fmt: skip
        db.flush()
        record_step(
            db, made[OFFICER], app, "initial_checks", "progressed", done_at=utc(2026, 1, 7, 12)
        )
        record_step(db, made[SUPERVISOR], app, "categorised", "concern", done_at=utc(2026, 1, 8))
        record_step(db, made[SUPERVISOR], app, "decision", "disclosed", done_at=utc(2026, 1, 9))


def test_each_figure_from_known_records(store: Store) -> None:
    _seed(store)
    with store.session() as db:
        figures = leaders_figures(db, START, END, NOW)
    f = figures.overall
    assert f["incidents"] == 2 and f["repeat_victims"] == 1 and f["repeat_share"] == 50.0
    assert f["crimes"] == 2 and f["arrests"] == 1 and f["arrests_per_100"] == 50.0
    assert f["outcome:nfa_evidential"] == 1 and f["outcome:none"] == 1
    assert f["risk:high"] == 1 and f["risk:not_assessed"] == 1
    assert f["order:dvpn"] == 1 and f["order:dvpo"] == 0
    assert f["marac_referrals"] == 1 and f["breaches"] == 1
    assert f["dvds:right_to_know"] == 1 and f["dvds:disclosed"] == 1 and f["dvds:overdue"] == 0
    assert f["victim_age:16-17"] == 1 and f["victim_age:35-44"] == 1  # born May 1990
    assert f["victim_sex:F"] == 2 and f["victim_disability:recorded"] == 1
    assert f["victim_ethnicity:B2"] == 1 and f["victim_ethnicity:not recorded"] == 1
    assert f["attend_minutes:immediate"] == 12 and f["attend_minutes:priority"] == 40
    assert f["attend_minutes:scheduled"] is None
    assert set(f) == set(FIGURES)
    weeks = {w.isoformat(): v["incidents"] for w, v in figures.by_week.items()}
    assert weeks == {"2026-01-05": 1, "2026-01-12": 1}
    assert figures.by_team["Alpha"]["arrests"] == 1 and figures.by_team["Bravo"]["crimes"] == 1
    assert figures.by_officer["PC2002"]["arrests_per_100"] == 0.0


def test_export_carries_the_leaders_figures(store: Store) -> None:
    _seed(store)
    with store.session() as db:
        data = build_export(db, START, END, include_restricted=False)
    json.dumps(data)
    rows = leader_rows(data["leaders"])
    overall = {r["figure"]: r["value"] for r in rows if r["scope"] == "overall"}
    assert overall["arrests_per_100"] == 50.0
    assert overall["victim_ethnicity:B2"] == 1 and overall["victim_ethnicity:not recorded"] == 1
    assert {r["scope"] for r in rows} == {"overall", "by_week", "by_team", "by_officer"}
    assert all(r["label"] for r in rows)


def test_victims_by_ethnicity_never_drop_not_stated_or_not_recorded_and_disability_comes_from_needs(
    store: Store,
) -> None:
    with store.session() as db:
        made = users(db)
        for n, (ethnicity, needs) in enumerate(
            [("W1", ["disability"]), ("NS", ["mental_health"]), ("", []), ("W1", ["pregnant"])]
        ):
            victim = Person(forename="Vic", surname=f"Testeth{n}", ethnicity=ethnicity)
            db.add(victim)
            db.flush()
            save_needs(db, made[OFFICER], victim.id, {"vulnerabilities": needs}, "call")
            incident(db, f"E{n}", utc(2026, 1, 6 + n, 12), victim=victim)
    with store.session() as db:
        f = leaders_figures(db, START, END, NOW).overall
    counted = {k.split(":")[1]: v for k, v in f.items() if k.startswith("victim_ethnicity:") and v}
    assert counted == {"W1": 2, "NS": 1, "not recorded": 1}
    assert sum(v for k, v in f.items() if k.startswith("victim_ethnicity:")) == f["incidents"]
    assert f["victim_disability:recorded"] == 2  # disability and mental health, not pregnancy


def _issue26(store: Store) -> None:
    """Two DA crimes (three offences), a case outside the DA definition twice over, and the
    contacts and same-shift reviews of one high-risk case."""
    with store.session() as db:
        made = users(db)
        scene = incident(db, "S", utc(2026, 1, 9, 20), crime_recorded=True, arrest_made=True)
        submitted(db, scene, "first_response", utc(2026, 1, 9, 22),
                  answers={"arrested": "yes", "offences_disclosed": ["assault"],
                           "safeguarding_actions": ["support_referral"]})  # fmt: skip
        submitted(db, scene, "risk", utc(2026, 1, 9, 22), result={"risk_level": "high"})
        later = incident(db, "L", utc(2026, 1, 13, 9), crime_recorded=True, arrest_made=False)
        submitted(db, later, "first_response", utc(2026, 1, 13, 11),
                  answers={"offences_disclosed": ["assault", "criminal_damage"],
                           "no_arrest_basis": ["voluntary_interview"]})  # fmt: skip
        record_outcome(db, made[OFFICER], later.id, "charged", "Charged after interview",
                       utc(2026, 1, 15))  # fmt: skip
        for ref, answers in (("N", {"relationship": "not_connected"}),
                             ("U", {"relationship": "child_to_parent",
                                    "suspect_age_band": "under_16"})):  # fmt: skip
            row = incident(db, ref, utc(2026, 1, 14), crime_recorded=True, arrest_made=True)
            submitted(db, row, "first_response", utc(2026, 1, 14, 2), answers=answers)
        # the high-risk case's same-shift review came after its shift ended
        db.add(HighRiskReview(incident_id=scene.id, reviewer=SUPERVISOR, submitted_at=NOW,
                              due_by=NOW, level_before="high", decision="confirm",
                              level_after="high", reason="Confirmed high",
                              created_at=utc(2026, 1, 12, 12)))  # fmt: skip
        db.flush()
        update = next(d for d in all_plans(db) if (d.reference, d.key) == ("S", "initial"))
        record_contact(db, made[OFFICER], update, "phone", "spoke", made_at=utc(2026, 1, 13, 9))


def test_issue_26_figures_follow_the_home_office_and_count_timeliness(store: Store) -> None:
    _issue26(store)
    with store.session() as db:
        f = leaders_figures(db, START, END, NOW).overall
        data = build_export(db, START, END, include_restricted=False)
    assert f["incidents"] == 2 and f["not_domestic_abuse"] == 2
    # arrests per 100 offences: one at the scene, one charged after a later interview
    assert (f["crimes"], f["arrests"], f["arrests_per_100"]) == (3, 2, 66.7)
    assert f["support_referral:due"] == 2 and f["support_referral:on_time"] == 1
    assert f["contacts:on_time"] == 1  # the referral at the scene; the update was a day late
    assert f["contacts:due"] == f["contacts:on_time"] + f["contacts:late"]
    assert (f["same_shift:due"], f["same_shift:on_time"], f["same_shift:late"]) == (1, 0, 1)
    exported = {r["figure"]: r["value"] for r in leader_rows(data["leaders"])
                if r["scope"] == "overall"}  # fmt: skip
    # the export counts up to the real clock, when every contact of January has fallen due
    assert exported["same_shift:late"] == 1 and exported["contacts:due"] >= f["contacts:due"]
    assert exported["encompass:due"] == 0 and exported["support_referral:on_time"] == 1


def test_breaches_are_those_recorded_at_the_incident_not_the_history(store: Store) -> None:
    with store.session() as db:
        users(db)
        ever = incident(db, "EVER", utc(2026, 1, 7), crime_recorded=True)
        submitted(db, ever, "first_response", utc(2026, 1, 7, 2), answers={"arrested": "yes"})
        submitted(db, ever, "risk", utc(2026, 1, 7, 2), answers={"breached_conditions": "yes"})
        here = incident(db, "HERE", utc(2026, 1, 8), crime_recorded=True)
        submitted(db, here, "first_response", utc(2026, 1, 8, 2),
                  answers={"offences_disclosed": ["breach"]})  # fmt: skip
        f = leaders_figures(db, START, END, NOW).overall
    assert f["breaches"] == 1  # the history's "ever broken an order" is not this incident's


def test_repeat_perpetrators_and_repeat_marac_share(store: Store) -> None:
    with store.session() as db:
        users(db)
        sam = Person(forename="Sam", surname="Testsuspect", dob=date(1985, 2, 2))
        ivy = Person(forename="Ivy", surname="Testvictim", dob=date(1991, 3, 3), gender="F")
        db.add_all([sam, ivy])
        db.flush()
        earlier = incident(db, "E", utc(2025, 11, 2), suspect=sam, status="historic")
        db.add(ProtectiveOrder(kind="marac", subject_id=sam.id, protected_id=ivy.id,
                               incident_id=earlier.id, starts_on=date(2025, 11, 20)))  # fmt: skip
        incident(db, "R", utc(2026, 1, 9), victim=ivy, suspect=sam, crime_recorded=True)
        incident(db, "N", utc(2026, 1, 10), suspect=sam)  # after R: R is N's earlier one
        incident(db, "F", utc(2026, 1, 11), crime_recorded=True)  # nobody known
        f = leaders_figures(db, START, END, NOW).overall
    assert f["incidents"] == 3  # R, N, F: each with its own victim
    assert f["repeat_perpetrators"] == 2  # R (after E) and N (after E and R)
    assert f["repeat_marac"] == 1 and f["repeat_marac_share"] == round(100 / 3, 1)
