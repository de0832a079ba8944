"""Dip-sample selection: the must-check rules, the random share and reproducibility."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session

from firstresponse.demo.cases import assessment, decision, incident, person
from firstresponse.records import DipSample, PersonMarker
from firstresponse.store import Store
from firstresponse.supervision import choose, draw, queue
from firstresponse.supervision.cases import load_cases, window
from firstresponse.supervision.sampling import REASONS, SHORT_REASONS, candidates

DAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
START, END = window(date(2026, 3, 1), date(2026, 3, 31))


def _seed(db: Session) -> None:
    v = person(db, "Ava", "Testcase")
    s = person(db, "Rex", "Testcase")
    at = iter(DAY + timedelta(hours=n) for n in range(100))
    incident(db, "MUST-SCHED", next(at), v, grade="scheduled")
    nd = incident(db, "MUST-NODEP", next(at), v, grade="resolved_without_deployment")
    decision(db, nd, "no_deployment", "caller safe with family", "CH1001")
    na = incident(db, "MUST-NOARREST", next(at), v, crime_recorded=True)
    decision(db, na, "no_arrest", "suspect left", "PC2001")
    na2 = incident(db, "NOARREST-NOCRIME", next(at), v, crime_recorded=False)
    decision(db, na2, "no_arrest", "no offence", "PC2001")
    bwv = incident(db, "BWV-OFF", next(at), v)
    decision(db, bwv, "bwv_off", "camera battery flat", "PC2002")
    raised = incident(db, "RISK-RAISED-ONLY", next(at), v)
    decision(db, raised, "risk_raised", "officer's judgement: stalking", "PC2002")
    incident(db, "MUST-RESTRICTED", next(at), v, restricted=True)
    incident(db, "MUST-MARKER", next(at), v, suspect_id=s.id)
    db.add(PersonMarker(person_id=s.id, marker="police_workforce_suspect"))
    rl = incident(db, "MUST-RISKLOW", next(at), v)
    decision(db, rl, "risk_lowered", "victim now at refuge", "PC2002")
    go = incident(db, "MUST-OVERRIDE", next(at), v, grade="scheduled")
    decision(db, go, "grade_below_floor", "agreed by SG3001", "CH1001")
    for n in range(10):
        inc = incident(db, f"RISK-{n:02d}", next(at), v)
        level = "standard" if n % 2 else "medium"
        assessment(db, inc, "risk", {"officer_level": level}, "PC2001")
    for n in range(2):
        inc = incident(db, f"HIGH-{n}", next(at), v)
        assessment(db, inc, "risk", {"officer_level": "high"}, "PC2001")
    incident(db, "OLD-HISTORIC", next(at), v, grade="scheduled", status="historic")
    incident(db, "OUT-OF-WINDOW", DAY - timedelta(days=40), v, grade="scheduled")


@pytest.fixture
def db(store: Store):
    with store.session() as session:
        _seed(session)
    with store.session() as session:
        yield session


def _by_ref(items: list[dict]) -> dict[str, list[str]]:
    return {i["reference"]: i["reasons"] for i in items}


def test_every_must_check_case_is_drawn_with_why(db: Session) -> None:
    items = _by_ref(choose(candidates(load_cases(db, START, END)), 0.0, 1))
    assert items == {
        "MUST-SCHED": ["scheduled"],
        "MUST-NODEP": ["no_deployment"],
        "MUST-NOARREST": ["no_arrest_crime"],
        "MUST-RESTRICTED": ["police_workforce_suspect"],
        "MUST-MARKER": ["police_workforce_suspect"],
        "MUST-RISKLOW": ["risk_lowered"],
        "MUST-OVERRIDE": ["scheduled", "grade_override"],
        "NOARREST-NOCRIME": ["reduced_protection"],
        "BWV-OFF": ["reduced_protection"],
    }


def test_random_share_comes_only_from_standard_and_medium(db: Session) -> None:
    pool = candidates(load_cases(db, START, END))
    items = choose(pool, 0.3, 7)
    drawn = [i for i in items if i["reasons"] == ["random"]]
    assert len(drawn) == 3  # ceil(0.3 * 10 standard/medium cases)
    assert all(i["reference"].startswith("RISK-") for i in drawn)
    assert all(i["risk_level"] in {"standard", "medium"} for i in drawn)
    assert all(i["why"] == ["Random share of standard and medium risk assessments"] for i in drawn)
    everything = choose(pool, 1.0, 7)
    assert len([i for i in everything if i["reasons"] == ["random"]]) == 10


def test_same_seed_same_sample_and_seeds_differ(db: Session) -> None:
    pool = candidates(load_cases(db, START, END))
    assert choose(pool, 0.3, 42) == choose(list(reversed(pool)), 0.3, 42)
    picks = {tuple(i["reference"] for i in choose(pool, 0.3, seed)) for seed in range(10)}
    assert len(picks) > 1


def test_draw_records_the_seed_and_replays(store: Store) -> None:
    with store.session() as db:
        _seed(db)
    with store.session() as db:
        first = draw(db, START, END, rate=0.3, created_by="SG3001")
    with store.session() as db:
        stored = db.get(DipSample, first.id)
        assert stored is not None and stored.seed == first.seed and stored.rate == 0.3
        again = draw(db, START, END, rate=stored.rate, seed=stored.seed)
        assert again.items == stored.items
        listed = queue(db)  # the same cases drawn twice are listed once, from the newest
        assert sorted(q.incident_id for q in listed) == sorted(
            i["subject_id"] for i in stored.items
        )
        assert {q.sample_id for q in listed} == {again.id}


def test_bad_rate_is_refused() -> None:
    with pytest.raises(ValueError):
        choose([], 1.5, 1)


def test_every_reason_a_case_is_drawn_for_has_a_short_form_for_the_queue() -> None:
    assert set(SHORT_REASONS) == set(REASONS)
    assert all(0 < len(short) <= 18 for short in SHORT_REASONS.values())
