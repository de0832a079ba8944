"""One person's history: every incident as victim or suspect, partners, orders, MARAC, DVDS."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session, select

from firstresponse.lookup import person_history
from firstresponse.records import (
    Child,
    Incident,
    OrderKind,
    Person,
    PersonAlias,
    PersonMarker,
    ProtectiveOrder,
)
from firstresponse.store import Store

TODAY = date(2026, 6, 1)


def _at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 21, 30, tzinfo=UTC)


def _seed(db: Session) -> dict[str, str]:
    ada = Person(forename="Ada", surname="Quill", dob=date(1990, 4, 1))
    dan = Person(forename="Dan", surname="Fogg")
    rob = Person(forename="Rob", surname="Tyne")
    new = Person(forename="Cal", surname="Ives")
    db.add_all([ada, dan, rob, new])
    db.flush()
    db.add(PersonAlias(person_id=ada.id, surname="Fogg", kind="married_surname"))
    db.add(PersonMarker(person_id=ada.id, marker="repeat_victim"))
    db.add(PersonMarker(person_id=ada.id, marker="mental_health"))
    incidents = [
        ("R-1", _at(2019, 2, 3), ada.id, rob.id, "ex_partner", "standard", "Argument", False),
        ("R-2", _at(2025, 9, 10), ada.id, dan.id, "partner", "medium", "Pushed over", False),
        ("R-3", _at(2026, 3, 4), ada.id, dan.id, "partner", "high", "Strangled", False),
        ("R-4", _at(2026, 5, 20), new.id, ada.id, "partner", None, "Counter-allegation", True),
    ]
    for ref, at, victim, suspect, rel, risk, summary, restricted in incidents:
        incident = Incident(
            reference=ref,
            occurred_at=at,
            victim_id=victim,
            suspect_id=suspect,
            relationship=rel,
            risk_level=risk,
            summary=summary,
            grade="immediate" if ref == "R-3" else None,
            restricted=restricted,
        )
        db.add(incident)
        db.flush()
        if ref == "R-3":
            db.add(Child(incident_id=incident.id, name="Kit", age=7))
            db.add(Child(incident_id=incident.id, name="Mo", age=3))
    orders = [
        (OrderKind.DVPO, dan.id, ada.id, date(2026, 3, 5), date(2026, 4, 1), "no contact"),
        (OrderKind.BAIL_CONDITIONS, dan.id, ada.id, date(2026, 3, 5), date(2026, 7, 1),
         "not to enter Mill Lane"),
        (OrderKind.NON_MOLESTATION_ORDER, dan.id, ada.id, date(2026, 4, 2), None, ""),
        (OrderKind.MARAC, ada.id, None, date(2026, 3, 12), None, "listed after R-3"),
        (OrderKind.DVDS_RIGHT_TO_ASK, dan.id, ada.id, date(2025, 10, 1), None, "disclosed"),
    ]  # fmt: skip
    for kind, subject, protected, starts, ends, detail in orders:
        db.add(
            ProtectiveOrder(
                kind=kind,
                subject_id=subject,
                protected_id=protected,
                starts_on=starts,
                ends_on=ends,
                detail=detail,
            )
        )
    db.flush()
    return {"ada": ada.id, "dan": dan.id, "rob": rob.id}


def test_history_across_all_incidents(store: Store) -> None:
    with store.session() as db:
        ids = _seed(db)
        history = person_history(db, ids["ada"], today=TODAY)
    assert history is not None
    assert history.name == "Ada Quill"
    assert history.aliases == ["Ada Fogg (married surname)"]
    assert history.markers == ["repeat_victim", "mental_health"]
    assert [i.reference for i in history.incidents] == ["R-4", "R-3", "R-2", "R-1"]
    assert [i.role for i in history.incidents] == ["suspect", "victim", "victim", "victim"]
    assert history.incidents[1].children == ["Kit (7)", "Mo (3)"]
    assert history.incidents[0].restricted
    assert history.da_incidents_12m == 3  # R-1 (2019) is older than twelve months
    assert history.last_risk_level == "high"  # R-4 has no level yet; R-3 was high


def test_previous_partners_newest_first(store: Store) -> None:
    with store.session() as db:
        history = person_history(db, _seed(db)["ada"], today=TODAY)
    assert history is not None
    assert history.previous_partners == [
        "Cal Ives (partner, 1 incident, latest 2026-05-20)",
        "Dan Fogg (partner, 2 incidents, latest 2026-03-04)",
        "Rob Tyne (ex partner, 1 incident, latest 2019-02-03)",
    ]


def test_orders_marac_bail_and_dvds(store: Store) -> None:
    with store.session() as db:
        history = person_history(db, _seed(db)["ada"], today=TODAY)
    assert history is not None
    in_force = {o.kind for o in history.orders if o.in_force}
    assert in_force == {"bail_conditions", "non_molestation_order", "marac", "dvds_right_to_ask"}
    dvpo = next(o for o in history.orders if o.kind == "dvpo")
    assert not dvpo.in_force and dvpo.ends_on == date(2026, 4, 1)
    assert "against Dan Fogg" in dvpo.detail
    assert history.orders[-1].kind == "dvpo"  # orders in force come first
    assert history.on_marac
    assert history.bail_conditions == [
        "Bail conditions against Dan Fogg: not to enter Mill Lane (until 2026-07-01)"
    ]
    assert history.dvds == ["DVDS right to ask against Dan Fogg: disclosed"]


def test_narrative_is_one_line_per_event_newest_first(store: Store) -> None:
    with store.session() as db:
        history = person_history(db, _seed(db)["ada"], today=TODAY)
    assert history is not None
    lines = history.narrative
    assert len(lines) == 4 + 5
    assert lines[0].startswith("2026-05-20 R-4: suspect (partner Cal Ives)")
    assert "RESTRICTED" in lines[0]
    r3 = next(line for line in lines if " R-3:" in line)
    assert r3 == (
        "2026-03-04 R-3: victim (partner Dan Fogg); Strangled; risk high; graded immediate;"
        " children: Kit (7), Mo (3)"
    )
    assert lines == sorted(lines, key=lambda line: line[:10], reverse=True)


def test_suspect_side_and_unknown_person(store: Store) -> None:
    with store.session() as db:
        ids = _seed(db)
        dan = person_history(db, ids["dan"], today=TODAY)
        assert person_history(db, "nobody") is None
    assert dan is not None
    assert [i.role for i in dan.incidents] == ["suspect", "suspect"]
    assert dan.previous_partners == ["Ada Quill (partner, 2 incidents, latest 2026-03-04)"]
    assert any("protecting Ada Quill" in o.detail for o in dan.orders)
    assert not dan.on_marac


def test_incidents_in_12_months_are_counted_by_role(store: Store) -> None:
    """Issue 25: as victim, as suspect and as a child, each on its own."""
    with store.session() as db:
        ids = _seed(db)
        kit = Person(forename="Kit", surname="Quill", dob=date(2019, 1, 1))
        db.add(kit)
        db.flush()
        r3 = db.exec(select(Incident).where(Incident.reference == "R-3")).one()
        db.add(Child(incident_id=r3.id, person_id=kit.id, name="Kit Quill", age=7))
        db.flush()
        ada = person_history(db, ids["ada"], today=TODAY)
        child = person_history(db, kit.id, today=TODAY)
    assert ada is not None and child is not None
    assert (ada.incidents_12m_as_victim, ada.incidents_12m_as_suspect) == (2, 1)
    assert ada.incidents_12m_as_child == 0 and ada.da_incidents_12m == 3
    assert child.incidents_12m_as_child == 1 and child.incidents_12m_as_victim == 0


def test_the_matches_count_incidents_by_role(store: Store) -> None:
    from firstresponse.calls.sources import Candidate
    from firstresponse.lookup.search import recent_incident_counts

    with store.session() as db:
        ids = _seed(db)
        counts = recent_incident_counts(db, [ids["ada"], ids["dan"]], today=TODAY)
    assert counts[ids["ada"]] == (2, 1) and counts[ids["dan"]] == (0, 2)
    line = Candidate("p", "Ada Quill", as_victim_12m=2, as_suspect_12m=1).recent_roles()
    assert line == "2 as victim, 1 as suspect in 12m"
    assert Candidate("p", "Dan Fogg", as_suspect_12m=1).recent_roles() == "1 as suspect in 12m"


def test_a_warrant_names_who_is_wanted_and_protects_nobody(store: Store) -> None:
    """A force's extract files a warrant beside the orders, naming the victim it arose
    from: the wanted man's history says the warrant, not that it protects her."""
    with store.session() as db:
        ids = _seed(db)
        warrant = ProtectiveOrder(
            kind=OrderKind.WARRANT,
            subject_id=ids["dan"],
            protected_id=ids["ada"],
            starts_on=date(2026, 5, 1),
            detail="Wanted for breach of bail",
        )
        db.add(warrant)
        db.flush()
        dan = person_history(db, ids["dan"], today=TODAY)
        ada = person_history(db, ids["ada"], today=TODAY)
    assert dan is not None and ada is not None
    wanted = [o.detail for o in dan.orders if o.kind == OrderKind.WARRANT]
    assert wanted == ["Warrant: Wanted for breach of bail"]
    against = [o.detail for o in ada.orders if o.kind == OrderKind.WARRANT]
    assert against == ["Warrant against Dan Fogg: Wanted for breach of bail"]


def test_a_childs_history_lists_the_incidents_they_were_at(store: Store) -> None:
    """Kit was at R-3 as a child: her history says so, with whom; a restricted incident
    she was at names nobody."""
    with store.session() as db:
        ids = _seed(db)
        kit = Person(forename="Kit", surname="Quill")
        db.add(kit)
        db.flush()
        for child in db.exec(select(Child).where(Child.name == "Kit")):
            child.person_id = kit.id
        hidden = Incident(
            reference="R-5",
            occurred_at=_at(2026, 5, 21),
            victim_id=ids["ada"],
            suspect_id=ids["rob"],
            restricted=True,
        )
        db.add(hidden)
        db.flush()
        db.add(Child(incident_id=hidden.id, name="Kit", age=7, person_id=kit.id))
        db.flush()
        history = person_history(db, kit.id, today=TODAY)
    assert history is not None
    assert history.incidents_12m_as_child == 2
    assert history.narrative == [
        "2026-05-21 R-5: present as a child (restricted)",
        "2026-03-04 R-3: present as a child (victim Ada Quill, suspect Dan Fogg)",
    ]
