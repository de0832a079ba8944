"""Lookup indexing is linear in a name's length and bounded per person, whatever the name."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import select

from firstresponse.lookup import LookupQuery, index_person, search
from firstresponse.lookup.keys import MAX_PERSON_WORDS, PersonFacts, person_keys, person_terms
from firstresponse.lookup.names import (
    MAX_LETTERS,
    MAX_PREFIX_LETTERS,
    MAX_WORDS,
    name_tokens,
    term_variants,
)
from firstresponse.records import Person, PersonAlias
from firstresponse.records.lookup import LookupKey, LookupTerm
from firstresponse.store import Store


def chars(keys: set[str]) -> int:
    return sum(len(key) for key in keys)


def test_the_keys_of_a_word_grow_at_most_linearly_with_its_length() -> None:
    sizes = {n: chars(term_variants("ab" * (n // 2))) for n in (10, 100, 1_000, 100_000)}
    assert sizes[100_000] <= 2 * 100_000 + 10_000  # the word and its sound, nothing quadratic
    assert len(term_variants("q" * 1_000_000)) <= 2 + MAX_PREFIX_LETTERS
    ordinary = term_variants("christopher")
    assert "^chri" in ordinary and "cristopher" in ordinary  # short names keep every variant


def test_a_name_is_read_as_at_most_max_words_words_of_max_letters() -> None:
    words = name_tokens(" ".join(["abcdefgh" * 10] * 1000))
    assert len(words) == MAX_WORDS and {len(w) for w in words} == {MAX_LETTERS}


def test_one_person_files_a_bounded_number_of_terms_and_keys() -> None:
    aliases = [(f"fore{chr(97 + n % 26)}x{n}", f"sur{n}", "alias") for n in range(5_000)]
    person = PersonFacts("p1", "a " * 500_000, "b" * 1_000_000, aliases=aliases)
    assert len(person_terms(person)) <= MAX_PERSON_WORDS
    assert len(person_keys(person)) < 50 * MAX_PERSON_WORDS


def test_a_megabyte_name_is_indexed_boundedly_and_still_found(store: Store) -> None:
    """Both terminal and hub file people through lookup.index, which uses these bounds."""
    with store.session() as db:
        person = Person(forename="Zed" + "z" * 1_000_000, surname="Quarrington")
        db.add(person)
        db.add(PersonAlias(person_id=person.id, forename="Q" * 1_000_000, kind="alias"))
        db.flush()
        index_person(db, person.id)
        keys = db.exec(select(func.count()).where(LookupKey.person_id == person.id)).one()
        terms = db.exec(select(func.count()).select_from(LookupTerm)).one()
        longest = db.exec(select(func.max(func.length(LookupTerm.variant)))).one()
        assert keys < 200 and terms < 400
        assert longest <= MAX_LETTERS + 1
        found = search(db, LookupQuery(name="Quarrington"))
        assert [match.person_id for match in found] == [person.id]
