"""The search keys filed for a person. Every key is a short string with a kind prefix.

n:  a name form (a name word, or the canonical name of a nickname/spelling group it is in)
nn: two name forms of one name, sorted (forename with each surname word): order-free
nny: such a pair with the year of birth (namesakes born that year, without reading them all)
ny: a name form with the year of birth
d:  the full date of birth      t: the phone number's last ten digits
pc: the postcode, no spaces     a: house number with the first distinctive street word
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from firstresponse.lookup.names import forms, name_tokens
from firstresponse.lookup.normalise import address_keys, phone_key, postcode_in, postcode_key

MAX_PERSON_WORDS = 96  # name words (own name and aliases) one person files: the rest are not


@dataclass(frozen=True)
class NameRecord:
    """One name a person is known by: their own, or an alias of some kind."""

    forenames: tuple[str, ...]
    surnames: tuple[str, ...]
    kind: str = ""  # "" for the person's own name, else the alias kind
    display: str = ""


@dataclass
class PersonFacts:
    """What the index and the scorer need to know about one person."""

    id: str
    forename: str
    surname: str
    dob: date | None = None
    phone: str = ""
    postcode: str = ""
    address: str = ""
    aliases: list[tuple[str, str, str]] = field(default_factory=list)  # forename, surname, kind

    @property
    def full_name(self) -> str:
        return f"{self.forename} {self.surname}".strip()

    def names(self) -> list[NameRecord]:
        """The person's own name, then aliases while the words stay within MAX_PERSON_WORDS."""
        own = NameRecord(name_tokens(self.forename), name_tokens(self.surname), "", self.full_name)
        records = [own]
        words = len(own.forenames) + len(own.surnames)
        for forename, surname, kind in self.aliases:
            fore = name_tokens(forename) or own.forenames
            sur = name_tokens(surname) or own.surnames
            words += len(fore) + len(sur)
            if words > MAX_PERSON_WORDS:
                break
            shown = f"{forename or self.forename} {surname or self.surname}".strip()
            records.append(NameRecord(fore, sur, kind or "alias", shown))
        return records

    def postcode_key(self) -> str:
        return postcode_key(self.postcode) or postcode_in(self.address)


def pair_key(a: str, b: str) -> str:
    return "nn:" + "|".join(sorted((a, b)))


def pair_year_key(pair: str, year: int) -> str:
    """The `nny:` key of a `pair_key` and a year of birth."""
    return f"nny:{pair[3:]}|{year}"


def name_keys(records: Iterable[NameRecord], year: int | None) -> set[str]:
    keys: set[str] = set()
    for record in records:
        pairs = _record_keys(record.forenames[:1], record.surnames)
        keys.update(pairs)
        if year:
            keys.update(pair_year_key(pair, year) for pair in pairs)
        for word in record.forenames + record.surnames:
            keys.update(_word_keys(word))
            if year and not record.kind:
                keys.update(f"ny:{form}|{year}" for form in forms(word))
    return keys


@lru_cache(maxsize=65536)
def _word_keys(word: str) -> frozenset[str]:
    return frozenset("n:" + form for form in forms(word))


@lru_cache(maxsize=262144)
def _record_keys(first: tuple[str, ...], surnames: tuple[str, ...]) -> frozenset[str]:
    """Order-free pair keys of a forename with each surname word."""
    return frozenset(
        pair_key(a, b)
        for fore in first
        for sur in surnames
        for a in forms(fore)
        for b in forms(sur)
        if a != b
    )


def person_keys(person: PersonFacts, names: list[NameRecord] | None = None) -> set[str]:
    """Every key under which `person` can be found."""
    names = names if names is not None else person.names()
    keys = name_keys(names, person.dob.year if person.dob else None)
    if person.dob:
        keys.add("d:" + person.dob.isoformat())
    if phone := phone_key(person.phone):
        keys.add("t:" + phone)
    if postcode := person.postcode_key():
        keys.add("pc:" + postcode)
    keys.update("a:" + k for k in address_keys(person.address))
    return keys


def person_terms(person: PersonFacts, names: list[NameRecord] | None = None) -> set[str]:
    """The name words of every name the person is known by (for the fuzzy vocabulary)."""
    names = names if names is not None else person.names()
    return {w for r in names for w in r.forenames + r.surnames}
