"""Compliance figures on three small synthetic cases, against hand-computed values."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session

from firstresponse.demo.cases import assessment, incident, person
from firstresponse.records import User
from firstresponse.store import Store
from firstresponse.supervision import compliance
from firstresponse.supervision.cases import window
from firstresponse.supervision.compliance import Observation, summarise

START, END = window(date(2026, 3, 1), date(2026, 3, 31))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def _seed(db: Session) -> None:
    db.add(User(collar="PC2001", name="Officer One", role="responder", team="Alpha"))
    db.add(User(collar="PC2002", name="Officer Two", role="responder", team="Bravo"))
    db.add(User(collar="CH1001", name="Handler", role="call_handler", team="Control"))
    v1, v2 = person(db, "Ava", "Sample"), person(db, "Bea", "Sample")
    incident(db, "HIST-1", datetime(2026, 1, 10, tzinfo=UTC), v1, status="historic")
    # Case 1: week of 2 March, PC2001.
    c1 = incident(db, "C1", at(2, 10), v1)
    assessment(db, c1, "thrive", {}, "CH1001", result={"flags": ["repeat_victim"]})
    first = {
        "arrived_at": "2026-03-02 10:12",
        "bwv_on": "yes",
        "children_present": "yes",
        "children": [{"name": "A", "seen": "yes"}, {"name": "B", "seen": "no"}],
        "grounds_for_arrest": "yes",
        "arrested": "yes",
    }
    assessment(db, c1, "first_response", first, "PC2001")
    risk = {
        "officer_view": "Frightened, new threats",
        "now_detail": "She said he would come back",
        "marac_referral": "yes",
        "childrens_services_referral": "no",
    }
    referrals = [{"id": "marac"}, {"id": "childrens_services"}, {"id": "school_notification"}]
    assessment(db, c1, "risk", risk, "PC2001", result={"complete": True, "referrals": referrals})
    # Case 2: week of 2 March, PC2002; victim with no history.
    c2 = incident(db, "C2", at(4, 8), v2)
    thrive = {
        "floor_override_reason": "Caller at a safe address",
        "floor_override_supervisor": "SG3001",
    }
    assessment(db, c2, "thrive", thrive, "CH1001", result={"flags": ["grade_below_floor"]})
    first = {
        "arrived_at": "2026-03-04T08:30:00",
        "bwv_on": "no",
        "children_present": "no",
        "grounds_for_arrest": "yes",
        "arrested": "no",
    }
    assessment(db, c2, "first_response", first, "PC2002")
    assessment(db, c2, "risk", {"officer_view": " ", "now_detail": "x"}, "PC2002", result={})
    # Case 3: week of 9 March, PC2001; repeat victim missed at the call.
    c3 = incident(db, "C3", at(10, 9), v1)
    assessment(db, c3, "thrive", {}, "CH1001", result={"flags": []})
    first = {
        "arrived_at": "2026-03-10 09:20",
        "bwv_on": "yes",
        "children_present": "yes",
        "children": [],
        "grounds_for_arrest": "yes",
        "arrested": "no",
        "arrested.reason": "Suspect had left; circulated as wanted",
    }
    assessment(db, c3, "first_response", first, "PC2001")


@pytest.fixture
def db(store: Store):
    with store.session() as session:
        _seed(session)
    with store.session() as session:
        yield session


def _pairs(figures: dict) -> dict[str, tuple[int, int]]:
    return {k: (f.hits, f.count) for k, f in figures.items() if f.count}


def test_overall_figures(db: Session) -> None:
    report = compliance(db, START, END)
    assert _pairs(report.overall) == {
        "bwv_used": (2, 3),
        "children_recorded": (1, 2),
        "children_seen": (1, 2),
        "risk_with_text": (1, 2),
        "arrest_where_grounds": (1, 3),
        "no_arrest_reason": (1, 2),
        "referrals_made": (1, 2),
        "repeat_identified": (1, 2),
        "override_recorded": (1, 1),
        "minutes_to_arrival": (0, 3),
    }
    assert report.overall["minutes_to_arrival"].median == 20
    assert report.overall["bwv_used"].rate == pytest.approx(2 / 3)
    assert report.overall["bwv_used"].text() == "2/3 67%"


def test_by_team_and_officer(db: Session) -> None:
    report = compliance(db, START, END)
    assert set(report.by_team) == {"Alpha", "Bravo", "Control"}
    alpha, bravo = report.by_team["Alpha"], report.by_team["Bravo"]
    assert (alpha["bwv_used"].hits, alpha["bwv_used"].count) == (2, 2)
    assert (bravo["bwv_used"].hits, bravo["bwv_used"].count) == (0, 1)
    assert alpha["minutes_to_arrival"].median == 16  # median of 12 and 20
    assert bravo["minutes_to_arrival"].median == 30
    control = report.by_team["Control"]["repeat_identified"]
    assert (control.hits, control.count) == (1, 2)
    assert report.by_officer["PC2001"]["arrest_where_grounds"].count == 2
    assert report.by_officer["PC2002"]["no_arrest_reason"].hits == 0


def test_weekly_series(db: Session) -> None:
    report = compliance(db, START, END)
    assert report.weeks[0] == date(2026, 2, 23) and len(report.weeks) == 6
    assert report.series("bwv_used") == [None, 50.0, 100.0, None, None, None]
    assert report.series("bwv_used", "team", "Alpha")[1:3] == [100.0, 100.0]
    assert report.series("bwv_used", "officer", "PC2002")[1:3] == [0.0, None]
    assert report.series("minutes_to_arrival")[1:3] == [21.0, 20.0]  # median(12, 30), 20
    exported = report.as_dict()
    assert exported["by_week"]["2026-03-02"]["bwv_used"]["rate"] == 0.5


def test_summarise_counts_empty_metrics() -> None:
    figures = summarise([Observation("bwv_used", "X", at(2, 1), hit=False)])
    assert figures["bwv_used"].rate == 0 and figures["children_seen"].rate is None
    assert figures["children_seen"].text() == "—"


def test_batched_loading_gives_the_same_figures(
    db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from firstresponse.supervision import cases

    whole = compliance(db, START, END).as_dict()
    monkeypatch.setattr(cases, "BATCH", 1)
    assert compliance(db, START, END).as_dict() == whole
