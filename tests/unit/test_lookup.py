"""Repeat-victim lookup: each matching rule, ranking with reasons, incremental indexing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlmodel import Session

from firstresponse.lookup import LookupQuery, index, index_person, parse_dob, rebuild_index, search
from firstresponse.lookup.normalise import DobError, phone_key, postcode_key
from firstresponse.records import Person, PersonAlias, PersonMarker
from firstresponse.store import Store

PEOPLE = [
    # forename, surname, dob, phone, postcode, address
    ("William", "Hartley", date(1985, 3, 12), "07700 900123", "B1 1AA", "12 Acacia Avenue"),
    ("John", "Pemberton", date(1979, 11, 2), "07700 900456", "LS6 2QT", "4 Mill Lane"),
    ("Muhammad", "Rahman", date(1991, 7, 4), "", "M14 5RT", ""),
    ("Sarah", "Okafor-Lindqvist", date(1988, 1, 30), "", "CF10 1BH", ""),
    ("Jane", "Whitcombe", date(1972, 5, 6), "", "EX4 4QJ", ""),
    ("Wilma", "Hart", date(1960, 2, 2), "", "B2 4QA", ""),
    ("Joan", "Pemberton", date(1950, 9, 9), "", "LS6 2QT", ""),
]


@pytest.fixture
def db(store: Store) -> Iterator[Session]:
    with store.session() as session:
        ids = {}
        for fore, sur, dob, phone, postcode, address in PEOPLE:
            person = Person(
                forename=fore,
                surname=sur,
                dob=dob,
                phone=phone,
                postcode=postcode,
                address=address,
            )
            session.add(person)
            ids[f"{fore} {sur}"] = person.id
        session.flush()
        session.add(PersonAlias(person_id=ids["Jane Whitcombe"], surname="Doyle", kind="maiden"))
        session.add(
            PersonAlias(person_id=ids["Jane Whitcombe"], surname="Farrant", kind="married_surname")
        )
        session.add(PersonAlias(person_id=ids["Jane Whitcombe"], forename="Jinx", kind="nickname"))
        session.add(PersonMarker(person_id=ids["William Hartley"], marker="repeat_victim"))
        session.flush()
        assert rebuild_index(session) == len(PEOPLE)
        yield session


def names(db: Session, **fields: object) -> list[str]:
    return [m.name for m in search(db, LookupQuery(**fields))]  # type: ignore[arg-type]


def top(db: Session, **fields: object):  # type: ignore[no-untyped-def]
    found = search(db, LookupQuery(**fields))  # type: ignore[arg-type]
    assert found, f"nothing found for {fields}"
    return found[0]


def test_exact_name_ranks_first_with_reason(db: Session) -> None:
    match = top(db, name="William Hartley")
    assert match.name == "William Hartley"
    assert match.score == 1.0
    assert match.reasons == ["name matches"]
    assert match.markers == ["repeat_victim"]


@pytest.mark.parametrize(
    ("asked", "expected", "reason"),
    [
        ("Wiliam Hartley", "William Hartley", "misspelling Wiliam~William"),
        ("William Hartly", "William Hartley", "misspelling Hartly~Hartley"),
        ("William Hartleigh", "William Hartley", "sounds like Hartleigh~Hartley"),
        ("Jon Pembirtun", "John Pemberton", "sounds like Pembirtun~Pemberton"),
        ("Jon Pemberton", "John Pemberton", "spelling variant Jon=John"),
        ("Bill Hartley", "William Hartley", "nickname Bill=William"),
        ("Billy Hartley", "William Hartley", "nickname Billy=William"),
        ("Mohammed Rahman", "Muhammad Rahman", "spelling variant Mohammed=Muhammad"),
        ("Mohamed Rahman", "Muhammad Rahman", "spelling variant Mohamed=Muhammad"),
    ],
)
def test_misspellings_nicknames_and_transliterations(
    db: Session, asked: str, expected: str, reason: str
) -> None:
    match = top(db, name=asked)
    assert match.name == expected
    assert reason in match.reasons


def test_swapped_forename_and_surname(db: Session) -> None:
    match = top(db, name="Hartley William")
    assert match.name == "William Hartley"
    assert "forename/surname swapped" in match.reasons


def test_part_of_hyphenated_surname(db: Session) -> None:
    match = top(db, name="Sarah Lindqvist")
    assert match.name == "Sarah Okafor-Lindqvist"
    assert "part of hyphenated surname Okafor-Lindqvist" in match.reasons
    assert top(db, name="Sarah Okafor Lindqvist").name == "Sarah Okafor-Lindqvist"


def test_previous_and_married_surnames(db: Session) -> None:
    match = top(db, name="Jane Doyle")
    assert match.name == "Jane Whitcombe"
    assert "maiden Doyle" in match.reasons
    match = top(db, name="Jane Farrant")
    assert "married surname Farrant" in match.reasons


def test_recorded_nickname_alias(db: Session) -> None:
    match = top(db, name="Jinx Whitcombe")
    assert match.name == "Jane Whitcombe"
    assert match.reasons == ["known as Jinx Whitcombe (nickname)"]


def test_dob_full_swapped_and_partial(db: Session) -> None:
    exact = top(db, name="Hartley", dob=date(1985, 3, 12))
    assert exact.name == "William Hartley" and "DOB matches" in exact.reasons
    swapped = top(db, name="Hartley", dob=date(1985, 12, 3))
    assert swapped.name == "William Hartley" and "DOB day/month swapped" in swapped.reasons
    year = top(db, name="Hartley", dob_year=1985)
    assert year.name == "William Hartley" and "DOB year matches" in year.reasons
    month = top(db, name="Pemberton", dob_year=1979, dob_month=11)
    assert month.name == "John Pemberton" and "DOB year and month match" in month.reasons


def test_year_typed_in_the_name_box(db: Session) -> None:
    found = search(db, LookupQuery(name="pemberton 1950"))
    assert found[0].name == "Joan Pemberton"
    assert "DOB year matches" in found[0].reasons


def test_date_alone_in_the_name_box_is_a_dob(db: Session) -> None:
    match = top(db, name="12/03/1985")
    assert match.name == "William Hartley"
    assert match.reasons == ["DOB matches"]


def test_dob_breaks_ties_between_namesakes(db: Session) -> None:
    assert names(db, name="J Pemberton", dob=date(1950, 9, 9))[0] == "Joan Pemberton"
    assert names(db, name="J Pemberton", dob=date(1979, 11, 2))[0] == "John Pemberton"


@pytest.mark.parametrize(
    "phone", ["+44 7700 900123", "07700900123", "0044 7700 900123", "(07700) 900-123"]
)
def test_phone_alone_in_any_format(db: Session, phone: str) -> None:
    match = top(db, phone=phone)
    assert match.name == "William Hartley"
    assert match.reasons == ["phone matches"]
    assert top(db, name=phone).name == "William Hartley"  # typed into the name box


@pytest.mark.parametrize("postcode", ["B1 1AA", "b11aa", " b1  1aa "])
def test_postcode_alone_any_spacing_or_case(db: Session, postcode: str) -> None:
    assert names(db, postcode=postcode) == ["William Hartley"]


def test_postcode_shared_by_a_household_finds_both(db: Session) -> None:
    assert sorted(names(db, postcode="ls62qt")) == ["Joan Pemberton", "John Pemberton"]


def test_address_alone(db: Session) -> None:
    match = top(db, address="12 acacia ave")
    assert match.name == "William Hartley"
    assert "address matches" in match.reasons


def test_ranking_prefers_the_better_match(db: Session) -> None:
    found = search(db, LookupQuery(name="W Hart"))
    assert [m.name for m in found] == ["Wilma Hart", "William Hartley"]
    assert found[0].score > found[1].score
    assert found[0].reasons == ["initial W for Wilma"]
    assert found[1].reasons == ["initial W for William", "Hart... starts Hartley"]


def test_unknown_person_finds_nothing(db: Session) -> None:
    assert names(db, name="Xavier Quennell") == []
    assert names(db, phone="01632 960000") == []
    assert search(db, LookupQuery()) == []


def test_index_person_is_incremental(db: Session) -> None:
    person = Person(forename="Theodora", surname="Quist", phone="07700 900999")
    db.add(person)
    db.flush()
    assert names(db, name="Theodora Quist") == []  # not yet indexed
    index_person(db, person.id)
    assert names(db, name="Theodora Quist") == ["Theodora Quist"]
    assert names(db, name="Theodara Quist") == ["Theodora Quist"]  # new word in the vocabulary
    person.surname = "Marlowe"
    db.add(PersonAlias(person_id=person.id, surname="Quist", kind="previous_surname"))
    db.flush()
    index_person(db, person.id)
    match = top(db, name="Theodora Quist")
    assert match.name == "Theodora Marlowe"
    assert "previous surname Quist" in match.reasons
    assert names(db, phone="+447700900999") == ["Theodora Marlowe"]


def test_normalisers() -> None:
    assert phone_key("+44 (0)7700 900123") == phone_key("07700900123") == "7700900123"
    assert postcode_key(" sw1a 1aa ") == "SW1A1AA"
    assert parse_dob("1985").year == 1985 and parse_dob("1985").month is None
    assert parse_dob("12/03/1985").as_date() == date(1985, 3, 12)
    assert parse_dob("03/1985").month == 3
    for bad in ("yesterday", "1985-13-01", "31/02/1985", "12"):
        with pytest.raises(DobError):
            parse_dob(bad)


def test_people_written_through_any_session_are_indexed_on_commit(store: Store) -> None:
    with store.session() as db:
        person = Person(forename="Rosalind", surname="Ebbage", dob=date(1970, 1, 2))
        db.add(person)
    with store.session() as db:
        assert names(db, name="Rosalind Ebbage") == ["Rosalind Ebbage"]
        db.add(PersonAlias(person_id=person.id, surname="Tullett", kind="maiden"))
    with store.session() as db:
        assert "maiden Tullett" in top(db, name="Rosalind Tullett").reasons
        stored = db.get(Person, person.id)
        assert stored is not None
        stored.phone = "07700 900777"
    with store.session() as db:
        assert names(db, phone="07700900777") == ["Rosalind Ebbage"]


@pytest.mark.parametrize("typed", ["Will Hartl", "william hart", "Hartley Wil"])
def test_search_as_you_type_finds_unfinished_last_word(db: Session, typed: str) -> None:
    assert "William Hartley" in names(db, name=typed)[:2]


def test_unfinished_word_reason(db: Session) -> None:
    match = top(db, name="Sarah Okaf")
    assert match.name == "Sarah Okafor-Lindqvist"
    assert "Okaf... starts Okafor" in match.reasons


def test_a_small_store_is_refiled_in_process_without_starting_workers(
    db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a worker process was started for a handful of people")

    monkeypatch.setattr(index, "ProcessPoolExecutor", no_pool)
    assert rebuild_index(db) == len(PEOPLE)
    assert names(db, name="Jane Whitcombe")[0] == "Jane Whitcombe"
