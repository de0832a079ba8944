"""Keeping the lookup index in step with people: one person at a time, or all at once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import delete, insert, select, text
from sqlmodel import Session

from firstresponse.lookup.keys import PersonFacts, person_keys, person_terms
from firstresponse.lookup.model import LookupKey, LookupTerm
from firstresponse.lookup.names import term_variants
from firstresponse.lookup.sql import as_date, rows
from firstresponse.records import Person, PersonAlias

_KEYS = LookupKey.__table__  # type: ignore[attr-defined]
_TERMS = LookupTerm.__table__  # type: ignore[attr-defined]
_PEOPLE = Person.__table__  # type: ignore[attr-defined]
_ALIASES = PersonAlias.__table__  # type: ignore[attr-defined]
_KEY_INDEXES = (
    ("ix_lookup_key_key", "key, person_id"),
    ("ix_lookup_key_person", "person_id"),
)
BATCH = 20_000
STEP = 500  # ids per IN (...)
PENDING = "firstresponse.lookup.pending"  # session.info key: ids to refile at commit


def load_people(db: Session, ids: Iterable[str]) -> dict[str, PersonFacts]:
    """PersonFacts (with aliases) for the given ids; unknown ids are left out."""
    wanted = list(dict.fromkeys(ids))
    people: dict[str, PersonFacts] = {}
    for start in range(0, len(wanted), STEP):
        for pid, fore, sur, dob, phone, postcode, address, *alias in rows(
            db,
            "SELECT p.id, p.forename, p.surname, p.dob, p.phone, p.postcode, p.address,"
            " a.person_id, a.forename, a.surname, a.kind FROM person p"
            " LEFT JOIN personalias a ON a.person_id = p.id WHERE p.id IN (?*)",
            wanted[start : start + STEP],
        ):
            person = people.get(pid)
            if person is None:
                person = people[pid] = PersonFacts(
                    pid, fore, sur, as_date(dob), phone, postcode, address
                )
            if alias[0] is not None:  # an alias row (the join gives NULLs for none)
                person.aliases.append((alias[1] or "", alias[2] or "", alias[3] or "alias"))
    return people


def _insert_terms(db: Session, terms: set[str]) -> None:
    """File new name words in the fuzzy vocabulary (words already filed are skipped)."""
    if not terms:
        return
    known = set(
        db.execute(
            select(_TERMS.c.term).where(
                _TERMS.c.variant.in_(terms), _TERMS.c.variant == _TERMS.c.term
            )
        ).scalars()
    )
    rows = [{"variant": v, "term": t} for t in terms - known for v in term_variants(t)]
    if not rows:
        return
    dialect = db.get_bind().dialect.name
    statement: Any
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = sqlite_insert(_TERMS).on_conflict_do_nothing()
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        statement = postgresql_insert(_TERMS).on_conflict_do_nothing()
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        statement = insert(_TERMS)
    db.execute(statement, rows)


def index_people(db: Session, person_ids: Iterable[str]) -> None:
    """Refile the keys of several people at once (changed, new or deleted)."""
    db.flush()
    ids = sorted(set(person_ids))
    for start in range(0, len(ids), STEP):
        chunk = ids[start : start + STEP]
        db.execute(delete(_KEYS).where(_KEYS.c.person_id.in_(chunk)))
        rows: list[tuple[str, str]] = []
        terms: set[str] = set()
        for person in load_people(db, chunk).values():
            names = person.names()
            terms.update(person_terms(person, names))
            rows.extend((k, person.id) for k in person_keys(person, names))
        _insert_keys(db, rows)
        _insert_terms(db, terms)


def index_person(db: Session, person_id: str) -> None:
    """Refile one person's keys, after the person or one of their aliases changed."""
    index_people(db, [person_id])


def _all_aliases(db: Session) -> dict[str, list[tuple[str, str, str]]]:
    aliases: dict[str, list[tuple[str, str, str]]] = {}
    for person_id, forename, surname, kind in db.execute(
        select(_ALIASES.c.person_id, _ALIASES.c.forename, _ALIASES.c.surname, _ALIASES.c.kind)
    ):
        aliases.setdefault(person_id, []).append((forename or "", surname or "", kind or "alias"))
    return aliases


def _people_pages(db: Session, size: int) -> Iterator[list[PersonFacts]]:
    """Everybody, a page at a time in id order (no cursor held open across writes)."""
    aliases = _all_aliases(db)
    columns = (
        _PEOPLE.c.id,
        _PEOPLE.c.forename,
        _PEOPLE.c.surname,
        _PEOPLE.c.dob,
        _PEOPLE.c.phone,
        _PEOPLE.c.postcode,
        _PEOPLE.c.address,
    )
    last = ""
    while True:
        rows = db.execute(
            select(*columns).where(_PEOPLE.c.id > last).order_by(_PEOPLE.c.id).limit(size)
        ).all()
        if not rows:
            return
        last = rows[-1][0]
        page = [PersonFacts(*row) for row in rows]
        for person in page:
            person.aliases = aliases.get(person.id, [])
        yield page


def _insert_keys(db: Session, rows: list[tuple[str, str]]) -> None:
    """Bulk insert (key, person_id) rows; straight through the driver on SQLite."""
    if not rows:
        return
    if db.get_bind().dialect.name == "sqlite":
        raw = db.connection().connection.driver_connection
        raw.executemany("INSERT INTO lookup_key (key, person_id) VALUES (?, ?)", rows)  # type: ignore[union-attr]
        return
    db.execute(insert(_KEYS), [{"key": k, "person_id": p} for k, p in rows])


def rebuild_index(db: Session) -> int:
    """Refile everybody from scratch (after bulk imports). Returns the number of people."""
    db.flush()
    db.info.pop(PENDING, None)  # everybody is refiled here: nothing left for the commit hook
    sqlite = db.get_bind().dialect.name == "sqlite"
    db.execute(delete(_KEYS))
    db.execute(delete(_TERMS))
    if sqlite:  # bulk load without indexes, then build them once: much faster
        for name, _ in _KEY_INDEXES:
            db.execute(text(f"DROP INDEX IF EXISTS {name}"))
    count = 0
    terms: set[str] = set()
    for page in _people_pages(db, BATCH):
        rows: list[tuple[str, str]] = []
        for person in page:
            names = person.names()
            terms.update(person_terms(person, names))
            rows.extend((k, person.id) for k in person_keys(person, names))
        _insert_keys(db, rows)
        count += len(page)
    if sqlite:  # sort in memory where possible (256 MB), then restore the cache size
        cache = db.execute(text("PRAGMA cache_size")).scalar()
        db.execute(text("PRAGMA cache_size=-262144"))
        for name, columns in _KEY_INDEXES:
            db.execute(text(f"CREATE INDEX {name} ON lookup_key ({columns})"))
        db.execute(text(f"PRAGMA cache_size={int(cache or -2000)}"))
    _insert_terms(db, terms)
    return count
