"""Keeping the lookup index in step with people: one person at a time, or all at once."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from firstresponse.lookup.keys import PersonFacts, person_keys, person_terms
from firstresponse.lookup.names import term_variants
from firstresponse.lookup.sql import as_date, rows
from firstresponse.records import Person, table_of
from firstresponse.records.lookup import LookupKey, LookupTerm

_KEYS = table_of(LookupKey)
_TERMS = table_of(LookupTerm)
_PEOPLE = table_of(Person)
_KEY_INDEXES = (
    ("ix_lookup_key_key", "key, person_id"),
    ("ix_lookup_key_person", "person_id"),
)
PAGE = 20_000  # people keyed together
PARALLEL_FROM = 50_000  # people filed at once from which keys are worked out in parallel
STEP = 500  # ids per IN (...)
ROWS_PER_INSERT = 1_000  # key rows per multi-row INSERT (PostgreSQL): 2,000 parameters
PENDING = "firstresponse.lookup.pending"  # session.info key: ids to refile at commit


_FACTS = (
    "SELECT p.id, p.forename, p.surname, p.dob, p.phone, p.postcode, p.address,"
    " a.person_id, a.forename, a.surname, a.kind"
    " FROM person p LEFT JOIN personalias a ON a.person_id = p.id"
)


def _facts(found: Iterable[tuple[Any, ...]], into: dict[str, PersonFacts]) -> None:
    """People (with their aliases) from rows of `_FACTS`."""
    for pid, fore, sur, dob, phone, postcode, address, *alias in found:
        person = into.get(pid)
        if person is None:
            person = into[pid] = PersonFacts(pid, fore, sur, as_date(dob), phone, postcode, address)
        if alias[0] is not None:  # an alias row (the join gives NULLs for none)
            person.aliases.append((alias[1] or "", alias[2] or "", alias[3] or "alias"))


def load_people(db: Session, ids: Iterable[str]) -> dict[str, PersonFacts]:
    """PersonFacts (with aliases) for the given ids; unknown ids are left out."""
    wanted = list(dict.fromkeys(ids))
    people: dict[str, PersonFacts] = {}
    for start in range(0, len(wanted), STEP):
        _facts(rows(db, f"{_FACTS} WHERE p.id IN (?*)", wanted[start : start + STEP]), people)
    return people


def _insert_terms(db: Session, terms: set[str]) -> None:
    """File new name words in the fuzzy vocabulary (words already filed are skipped)."""
    words = sorted(terms)
    for start in range(0, len(words), STEP):
        part = words[start : start + STEP]
        sql = "SELECT term FROM lookup_term WHERE variant IN (?*) AND variant = term"
        known = {term for (term,) in rows(db, sql, part)}
        new = [{"variant": v, "term": t} for t in part if t not in known for v in term_variants(t)]
        if new:
            db.execute(_insert_new(db), new)


def _insert_new(db: Session) -> Any:
    """INSERT into the vocabulary that skips rows already there."""
    dialect = db.get_bind().dialect.name
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(_TERMS).on_conflict_do_nothing()
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(_TERMS).on_conflict_do_nothing()
    return insert(_TERMS)  # pragma: no cover - only SQLite and PostgreSQL are supported


Keyed = tuple[list[tuple[str, str]], set[str]]  # (key, person id) rows, and name words


def keyed(people: list[PersonFacts]) -> Keyed:
    """The keys and name words of some people (run in a worker process for big loads)."""
    found: list[tuple[str, str]] = []
    terms: set[str] = set()
    for person in people:
        names = person.names()
        terms.update(person_terms(person, names))
        found.extend((k, person.id) for k in person_keys(person, names))
    return found, terms


def index_people(db: Session, person_ids: Iterable[str]) -> None:
    """Refile the keys of several people at once (changed, new or deleted)."""
    db.flush()
    ids = sorted(set(person_ids))
    for start in range(0, len(ids), STEP):
        chunk = ids[start : start + STEP]
        db.execute(delete(_KEYS).where(_KEYS.c.person_id.in_(chunk)))
        found, terms = keyed(list(load_people(db, chunk).values()))
        _insert_keys(db, found)
        _insert_terms(db, terms)


def file_new_people(db: Session, people: list[PersonFacts]) -> None:
    """File the keys of people just stored, in the caller's transaction: people who have
    no keys yet (and no aliases), so nothing is deleted or read back first."""
    found, terms = keyed(people)
    _insert_keys(db, found)
    _insert_terms(db, terms)


def index_person(db: Session, person_id: str) -> None:
    """Refile one person's keys, after the person or one of their aliases changed."""
    index_people(db, [person_id])


Page = list[tuple[Any, ...]]  # rows of `_FACTS`: a page of people with their aliases


def _people_pages(db: Session, ids: list[str] | None) -> Iterator[Page]:
    """The people asked for (everybody when None), about `PAGE` at a time."""
    if ids is not None:
        for start in range(0, len(ids), PAGE):
            wanted = ids[start : start + PAGE]
            sql = f"{_FACTS} WHERE p.id IN (?*)"
            yield [
                row
                for at in range(0, len(wanted), STEP)
                for row in rows(db, sql, wanted[at : at + STEP])
            ]
        return
    last = ""
    while True:  # in id order, no cursor held open across the writes in between
        sql = "SELECT max(id) FROM (SELECT id FROM person WHERE id > ? ORDER BY id LIMIT ?) AS page"
        (upto,) = rows(db, sql, last, PAGE)[0]
        if upto is None:
            return
        yield rows(db, f"{_FACTS} WHERE p.id > ? AND p.id <= ?", last, upto)
        last = upto


def keyed_page(page: Page) -> Keyed:
    """`keyed` for a page of rows (what a worker process is given: plain rows pickle fast)."""
    people: dict[str, PersonFacts] = {}
    _facts(page, people)
    return keyed(list(people.values()))


def _keyed_pages(pages: Iterator[Page], workers: int) -> Iterator[Keyed]:
    """`keyed_page` for each page in order: here, or by `workers` processes a page ahead."""
    if workers <= 0:
        yield from map(keyed_page, pages)
        return
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_ignore_interrupts)
    try:
        waiting: deque[Future[Keyed]] = deque()
        for page in pages:
            waiting.append(pool.submit(keyed_page, page))
            if len(waiting) > workers:
                yield waiting.popleft().result()
        while waiting:
            yield waiting.popleft().result()
    finally:
        pool.shutdown(cancel_futures=True)


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the process that started them, which stops them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _insert_keys(db: Session, found: list[tuple[str, str]]) -> None:
    """Bulk insert (key, person_id) rows: straight through the driver on SQLite, by COPY
    on PostgreSQL (psycopg), elsewhere as multi-row INSERTs (a row per statement costs a
    round trip each; building a multi-row INSERT costs more than the server takes)."""
    if not found:
        return
    dialect = db.get_bind().dialect
    if dialect.name == "sqlite":
        raw = db.connection().connection.driver_connection
        raw.executemany("INSERT INTO lookup_key (key, person_id) VALUES (?, ?)", found)  # type: ignore[union-attr]
        return
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        psycopg: Any = db.connection().connection.driver_connection
        with (
            psycopg.cursor() as cursor,
            cursor.copy("COPY lookup_key (key, person_id) FROM STDIN") as copy,
        ):
            for row in found:
                copy.write_row(row)
        return
    for start in range(0, len(found), ROWS_PER_INSERT):  # one multi-row INSERT each
        part = found[start : start + ROWS_PER_INSERT]
        db.execute(insert(_KEYS).values([{"key": k, "person_id": p} for k, p in part]))


def _file(db: Session, ids: list[str] | None, unindexed: bool, workers: int | None) -> None:
    """File the keys of the people asked for (everybody when None), none of whom has any.

    With `unindexed` (SQLite), the key table's indexes are dropped first and built again
    at the end, in this transaction: much faster than keeping them up to date row by row.
    """
    if workers is None:  # other processes only for many people: starting one costs ~1 s
        count = len(ids) if ids is not None else _people_count(db)
        workers = max(1, min((os.cpu_count() or 1) - 1, 2)) if count >= PARALLEL_FROM else 0
    if unindexed:
        for name, _ in _KEY_INDEXES:
            db.execute(text(f"DROP INDEX IF EXISTS {name}"))
    terms: set[str] = set()
    for found, words in _keyed_pages(_people_pages(db, ids), workers):
        _insert_keys(db, found)
        terms |= words
    if unindexed:  # sort in memory where possible (256 MB), then restore the cache size
        cache = db.execute(text("PRAGMA cache_size")).scalar()
        db.execute(text("PRAGMA cache_size=-262144"))
        for name, columns in _KEY_INDEXES:
            db.execute(text(f"CREATE INDEX {name} ON lookup_key ({columns})"))
        db.execute(text(f"PRAGMA cache_size={int(cache or -2000)}"))
    _insert_terms(db, terms)


def _people_count(db: Session) -> int:
    return int(db.execute(select(func.count()).select_from(_PEOPLE)).scalar_one())


def rebuild_index(db: Session, workers: int | None = None) -> int:
    """Refile everybody from scratch (after bulk imports). Returns the number of people.

    Keys are worked out by `workers` other processes (by default one per spare core when
    there are many people), while this one reads and writes.
    """
    db.flush()
    db.info.pop(PENDING, None)  # everybody is refiled here: nothing left for the commit hook
    sqlite = db.get_bind().dialect.name == "sqlite"
    if sqlite:  # emptying the table is quicker without its indexes
        for name, _ in _KEY_INDEXES:
            db.execute(text(f"DROP INDEX IF EXISTS {name}"))
    db.execute(delete(_KEYS))
    db.execute(delete(_TERMS))
    _file(db, None, sqlite, workers)
    return _people_count(db)


SETTLED = ("lookup_key", "lookup_term", "person", "personalias")


def settle_after_bulk(engine: Engine) -> None:
    """On PostgreSQL, VACUUM (ANALYZE) the index's tables once many rows were written in
    bulk (an import, a rebuild), outside any transaction.

    Until a page is vacuumed PostgreSQL must read the table row by row to know whether each
    key it found in an index is visible: on a million freshly loaded people a search's
    keys read thousands of table pages (p95 113 ms, against 40 ms once vacuumed, on a
    loaded 2-core machine). Autovacuum gets there in time where it is on; this does not
    wait for it. SQLite needs nothing.
    """
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in SETTLED:
            conn.exec_driver_sql(f"VACUUM (ANALYZE) {table}")


def index_unfiled(db: Session, workers: int | None = None) -> int:
    """File everybody who has no search keys yet (people written in bulk, bypassing the
    session hooks). Returns how many. Everybody filed has at least one key (a name).

    When they outnumber the people already filed (SQLite), the key table's indexes are
    rebuilt rather than kept up to date.
    """
    db.flush()
    ids = [
        pid
        for (pid,) in rows(
            db,
            "SELECT id FROM person p"
            " WHERE NOT EXISTS (SELECT 1 FROM lookup_key k WHERE k.person_id = p.id)",
        )
    ]
    if not ids:
        return 0
    total = int(db.execute(select(func.count()).select_from(_PEOPLE)).scalar_one())
    sqlite = db.get_bind().dialect.name == "sqlite"
    everybody = len(ids) == total  # read a page at a time, not id by id
    _file(db, None if everybody else sorted(ids), sqlite and len(ids) * 2 >= total, workers)
    return len(ids)
