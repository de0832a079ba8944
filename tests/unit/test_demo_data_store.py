"""The embedded demo store: seeded once with users, history and showcase people."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import select

from firstresponse.config import Settings
from firstresponse.demo.seed import DEMO_PEOPLE, demo_store_path, prepare_demo_store
from firstresponse.demo.users import DEMO_USERS
from firstresponse.records import Incident, Person, ProtectiveOrder, User
from firstresponse.security.users import authenticate
from firstresponse.vocab import ETHNICITIES


def counts(settings: Settings) -> tuple[int, int, int]:
    store = prepare_demo_store(settings)
    try:
        with store.session() as db:
            return (
                db.exec(select(func.count()).select_from(User)).one(),
                db.exec(select(func.count()).select_from(Person)).one(),
                db.exec(select(func.count()).select_from(Incident)).one(),
            )
    finally:
        store.close()


def test_demo_store_has_users_with_working_pins_and_history(settings: Settings) -> None:
    store = prepare_demo_store(settings)
    try:
        assert store.path == demo_store_path(settings)
        with store.session() as db:
            for collar, _name, role, team in DEMO_USERS:
                user = authenticate(db, collar, "1234")
                assert (user.role, user.team) == (role, team)
            people = db.exec(select(func.count()).select_from(Person)).one()
            assert people >= DEMO_PEOPLE
            liz = db.exec(select(Person).where(Person.surname == "Marsh")).all()
            assert any(p.forename == "Elizabeth" for p in liz)
            kinds = set(db.exec(select(ProtectiveOrder.kind)))
            assert {"marac", "restraining_order", "dvpo", "bail_conditions"} <= kinds
            ethnicities = dict(
                db.exec(select(Person.ethnicity, func.count()).group_by(Person.ethnicity)).all()
            )
            assert {"W1", "A1", "B2", "NS", ""} <= set(ethnicities)  # some not stated or blank
            assert set(ethnicities) <= set(ETHNICITIES) | {""}
    finally:
        store.close()


def test_preparing_twice_does_not_duplicate(settings: Settings) -> None:
    first = counts(settings)
    assert counts(settings) == first
    assert first[0] == len(DEMO_USERS)
