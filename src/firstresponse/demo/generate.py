"""Generate a deterministic synthetic force history straight into a store, in bulk.

The history is built one victim's story at a time: the victim, their partners over
time (some shared with other victims), their children, the incidents between them,
markers, aliases and protective orders. Rows go in with `executemany` in large
batches, so a million people take minutes, not hours. The same seed and as-of
date always give the same rows, ids included.
"""

from __future__ import annotations

import multiprocessing
import os
import random
from bisect import bisect
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate, islice
from typing import Any, TypeVar

from sqlalchemy.engine import Engine

from firstresponse.demo import names, shape

T = TypeVar("T")
Row = tuple[Any, ...]
Progress = Callable[[int], None]

COLUMNS = {
    "person": (
        "id forename surname dob gender ethnicity phone postcode address source_ref created_at"
    ),
    "personalias": "id person_id forename surname kind",
    "personmarker": "id person_id marker note added_at",
    "incident": (
        "id reference occurred_at victim_id suspect_id relationship address postcode summary "
        "risk_level crime_recorded arrest_made grade restricted status source source_ref created_by"
    ),
    "child": "id incident_id person_id name age dob school where_during seen spoken_to reason",
    "protectiveorder": "id kind subject_id protected_id incident_id detail starts_on ends_on",
}
#: Parents before children, so foreign keys hold within every batch.
TABLE_ORDER = tuple(COLUMNS)
BATCH_PEOPLE = 10_000
REFERENCES_PER_BATCH = 100_000  # incident reference numbers reserved for each batch
DEFER_INDEXES_FROM = 100_000  # people: from here, build indexes once at the end
CACHE_KIB = 256 * 1024  # SQLite page cache while bulk loading: keeps the indexes in memory
SOURCE = "demo"

SUMMARIES = {
    "standard": (
        "Verbal argument reported by a neighbour; no injuries, no threats.",
        "Dispute over child contact arrangements; raised voices only.",
        "Ex-partner sending unwanted messages; no threats made.",
        "Argument about money; victim asked the suspect to leave and he did.",
    ),
    "medium": (
        "Pushed during an argument; minor bruising to the arm.",
        "Repeated calls and messages after separation; turned up at the address.",
        "Phone taken and smashed to stop the victim calling for help.",
        "Threats to damage property and to take the children.",
    ),
    "high": (
        "Grabbed by the throat during an argument; victim frightened for her life.",
        "Threatened with a knife; suspect left before police arrived.",
        "Escalating controlling behaviour; victim isolated from family and money.",
        "Assault while pregnant; victim believes the abuse is getting worse.",
        "Stalking after separation; suspect followed victim to work and school.",
    ),
}
WHERE_DURING = (
    "in the same room",
    "upstairs asleep",
    "in the next room",
    "at school",
    "at a relative's",
)
ORDER_DETAIL = {
    "bail_conditions": "Not to contact the victim directly or indirectly; not to enter {street}.",
    "dvpn": "DVPN served: not to come within 100 metres of the victim's address.",
    "dvpo": "DVPO granted for 28 days: not to contact the victim or enter the address.",
    "restraining_order": "Restraining order on conviction: no contact with the victim.",
    "non_molestation_order": "Non-molestation order: not to use or threaten violence.",
    "marac": "Heard at MARAC; IDVA allocated and safety plan agreed.",
    "dvds_right_to_ask": "Right to ask application; disclosure of previous abuse made.",
    "dvds_right_to_know": "Right to know disclosure made about the partner's history.",
}
ORDER_DAYS = {
    "bail_conditions": (28, 90),
    "dvpn": (2, 2),
    "dvpo": (28, 28),
    "restraining_order": (365, 1825),
    "non_molestation_order": (180, 365),
}
PHONE_FORMATS = (
    "07{0}{1} {2}{3}{4}{5}{6}{7}",
    "07{0}{1}{2}{3}{4}{5}{6}{7}",
    "+44 7{0}{1}{2} {3}{4}{5}{6}{7}",
    "+447{0}{1}{2}{3}{4}{5}{6}{7}",
    "(07{0}{1}{2}) {3}{4}{5} {6}{7}",
    "01905 {2}{3}{4}{5}{6}{7}",
    "01432 {2}{3}{4}{5}{6}{7}",
)


class Weighted:
    """A weighted choice among values, precomputed for speed."""

    def __init__(self, pairs: tuple[tuple[Any, int], ...]) -> None:
        self.values = [value for value, _ in pairs]
        self.cumulative = list(accumulate(weight for _, weight in pairs))
        self.total = self.cumulative[-1]

    def __call__(self, random: Callable[[], float]) -> Any:
        return self.values[bisect(self.cumulative, random() * self.total)]


@dataclass
class Adult:
    """What the generator remembers about an adult it may reuse in a later story."""

    id: str
    forename: str
    surname: str
    gender: str
    postcode: str
    address: str
    dob: date | None = None
    restricted: bool = False


@dataclass
class Counts:
    """How many rows of each table were written."""

    rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLUMNS, 0))

    @property
    def people(self) -> int:
        return self.rows["person"]

    @property
    def incidents(self) -> int:
        return self.rows["incident"]


class BatchGenerator:
    """Builds victims' stories until a batch's `people` people exist.

    A batch depends only on (seed, index), so batches can be built in any process,
    in any order, and still give the same rows.
    """

    def __init__(
        self, seed: int, index: int, people: int, as_of: date, force_code: str = "WM"
    ) -> None:
        self.target = people
        self.rng = random.Random(f"{seed}:{index}")
        self.random = self.rng.random
        self.as_of = as_of
        self.start = as_of - timedelta(days=365 * shape.YEARS)
        self.force_code = force_code
        self.created_at = _stamp(datetime.combine(as_of, datetime.min.time()))
        self.pending: dict[str, list[Row]] = {table: [] for table in COLUMNS}
        self.made_people = 0
        self.next_reference = index * REFERENCES_PER_BATCH + 1
        self.suspects: list[Adult] = []
        self.victims: list[Adult] = []
        self._risk = Weighted(shape.RISK_LEVELS)
        self._grades = {level: Weighted(g) for level, g in shape.GRADES.items()}
        self._relationships = Weighted(shape.RELATIONSHIPS)
        self._child_counts = Weighted(shape.CHILD_COUNTS)
        self._ethnicity = Weighted(shape.ETHNICITIES)
        self._areas = list(names.AREAS)

    # -- ids, names, places -------------------------------------------------------------

    def new_id(self) -> str:
        """A random (version 4) UUID drawn from the seeded generator."""
        h = "%032x" % (self.rng.getrandbits(128) & _UUID_MASK | _UUID_V4)
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def below(self, n: int) -> int:
        """A random int in [0, n): like randrange, but cheaper."""
        return int(self.random() * n)

    def between(self, low: int, high: int) -> int:
        """A random int in [low, high]: like randint, but cheaper."""
        return low + int(self.random() * (high - low + 1))

    def moment(self, day: date) -> datetime:
        """A time on `day`, weighted to evenings and nights as DA calls are."""
        hour = self.pick(_HOURS)
        return datetime(day.year, day.month, day.day, hour, self.below(60), self.below(60))

    def pick(self, items: Sequence[T]) -> T:
        """A random item: like choice, but cheaper."""
        return items[int(self.random() * len(items))]

    def _dob(self, age: int) -> date:
        return self.as_of - timedelta(days=age * 365 + self.below(365))

    def _adult_age(self) -> int:
        r = self.random()
        if r < 0.08:
            return self.between(16, 19)
        if r < 0.80:
            return self.between(20, 45)
        if r < 0.95:
            return self.between(46, 69)
        return self.between(70, 90)

    def _phone(self) -> str:
        if self.random() > shape.PHONE_KNOWN:
            return ""
        digits = [str(self.below(10)) for _ in range(8)]
        digits[0] = str(self.between(4, 9))
        return self.pick(PHONE_FORMATS).format(*digits)

    def _place(self) -> tuple[str, str]:
        area = self.pick(self._areas)
        district = self.pick((60, 61, 96, 97, 98)) if area == "B" else self.between(1, 14)
        letters = names.INWARD_LETTERS
        postcode = f"{area}{district} {self.below(10)}{self.pick(letters)}{self.pick(letters)}"
        street = f"{self.pick(names.STREET_FIRST)} {self.pick(names.STREET_KIND)}"
        town = self.pick(names.AREAS[area])
        return postcode, f"{self.between(1, 180)} {street}, {town}"

    def _forename(self, gender: str) -> str:
        return self.pick(names.FEMALE if gender == "F" else names.MALE)

    # -- rows -------------------------------------------------------------------------

    def _add_person(
        self,
        gender: str,
        age: int,
        surname: str | None = None,
        place: tuple[str, str] | None = None,
        phone: bool = True,
    ) -> Adult | None:
        """A new person row, or None once the people budget is spent."""
        if self.made_people >= self.target:
            return None
        self.made_people += 1
        postcode, address = place or self._place()
        person = Adult(
            self.new_id(),
            self._forename(gender),
            surname or self.pick(names.SURNAMES),
            gender,
            postcode,
            address,
            self._dob(age),
        )
        self.pending["person"].append(
            (
                person.id,
                person.forename,
                person.surname,
                person.dob.isoformat() if person.dob else None,
                gender,
                self._ethnicity_of(person.id),
                self._phone() if phone else "",
                postcode,
                address,
                None,
                self.created_at,
            )
        )
        return person

    def _ethnicity_of(self, person_id: str) -> str:
        """Drawn from the (random) id's last bits, so the seeded stream is not disturbed."""
        return str(self._ethnicity(lambda: int(person_id[-8:], 16) / 2**32))

    def _alias(self, person: Adult, forename: str, surname: str, kind: str) -> None:
        self.pending["personalias"].append((self.new_id(), person.id, forename, surname, kind))

    def _marker(self, person_id: str, marker: str, note: str, on: datetime) -> None:
        self.pending["personmarker"].append((self.new_id(), person_id, marker, note, _stamp(on)))

    def _aliases(self, person: Adult, partner_surname: str = "") -> None:
        nicknames = names.NICKNAMES.get(person.forename)
        if nicknames and self.random() < 0.35:
            self._alias(person, self.pick(nicknames), "", "nickname")
        if person.gender == "F" and self.random() < 0.12:
            self._alias(person, "", self.pick(names.SURNAMES), "previous_surname")
        if partner_surname and self.random() < 0.03:
            self._alias(person, "", f"{person.surname}-{partner_surname}", "married_surname")
        if self.random() < 0.02:
            gender = person.gender
            self._alias(person, self._forename(gender), self.pick(names.SURNAMES), "alias")

    # -- stories ----------------------------------------------------------------------

    def story(self) -> bool:
        """One victim's history. False when the people budget is spent."""
        gender = "F" if self.random() < shape.FEMALE_VICTIM else "M"
        age = self._adult_age()
        victim = self._add_person(gender, age)
        if victim is None:
            return False
        repeat = self.random() < shape.REPEAT_VICTIM
        incidents = 1
        relationships = 1
        if repeat:
            incidents = 2
            while incidents < 7 and self.random() < 0.45:
                incidents += 1
            relationships = min(incidents, self._relationships(self.random))
        # Earlier relationships come first; a repeat victim's incidents cluster in months.
        split = [incidents // relationships] * relationships
        for i in range(incidents % relationships):
            split[i] += 1
        offsets: list[list[int]] = []
        day = 0
        for count in split:
            days = []
            for _ in range(count):
                days.append(day)
                day += self.between(7, 110)
            offsets.append(days)
            day += self.between(30, 200)
        span = (self.as_of - self.start).days
        first = self.start + timedelta(days=self.below(max(1, span - offsets[-1][-1])))
        for index, days in enumerate(offsets):
            suspect = self._partner(victim, age)
            moments = [self.moment(min(first + timedelta(days=d), self.as_of)) for d in days]
            self._relationship(victim, suspect, moments, current=index == relationships - 1)
        first_at = self.moment(first)
        self._victim_markers(victim, age, repeat, first_at)
        self._aliases(victim)
        if self.random() < 0.5:
            self.victims.append(victim)
            if len(self.victims) > 4000:
                self.victims.pop(self.below(len(self.victims)))
        return True

    def _partner(self, victim: Adult, victim_age: int) -> Adult | None:
        if self.suspects and self.random() < shape.SERIAL_SUSPECT:
            return self.pick(self.suspects)
        gender = ("M" if victim.gender == "F" else "F") if self.random() < 0.95 else victim.gender
        age = max(16, min(90, victim_age + self.between(-4, 8)))
        place = (victim.postcode, victim.address) if self.random() < shape.SHARED_ADDRESS else None
        suspect = self._add_person(gender, age, place=place)
        if suspect is None:
            return self.pick(self.suspects) if self.suspects else None
        first = datetime.combine(self.start, datetime.min.time())
        for marker, chance in shape.SUSPECT_MARKERS:
            if self.random() < chance:
                self._marker(suspect.id, marker, _MARKER_NOTES[marker], first)
                if marker == "police_workforce_suspect":
                    suspect.restricted = True
        self._aliases(suspect)
        self.suspects.append(suspect)
        if len(self.suspects) > 4000:
            self.suspects.pop(self.below(len(self.suspects)))
        return suspect

    def _relationship(
        self, victim: Adult, suspect: Adult | None, moments: list[datetime], current: bool
    ) -> None:
        children = self._children(victim, suspect, moments[0]) if suspect else []
        kind = "partner" if current else "ex_partner"
        if suspect is not None and self.random() < 0.08:
            kind = self.pick(("family_member", "spouse", "child_to_parent"))
        counter = (
            suspect is not None and len(moments) > 1 and self.random() < shape.COUNTER_ALLEGATION
        )
        worst = "standard"
        worst_incident = ""
        worst_at = moments[0]
        for number, at in enumerate(moments):
            level = self._risk(self.random)
            if number and level == "standard" and self.random() < 0.3:
                level = "medium"
            reversed_roles = counter and number == len(moments) - 1 and suspect is not None
            v, s = (suspect, victim) if reversed_roles and suspect else (victim, suspect)
            incident_id = self._incident(v, s, kind, level, at)
            for child, dob in children:
                if self.random() < shape.CHILD_PRESENT:
                    self._child(incident_id, child, dob, at)
            if _RANK[level] >= _RANK[worst]:
                worst, worst_incident, worst_at = level, incident_id, at
        if suspect is not None:
            self._orders(victim, suspect, worst, worst_incident, worst_at.date())

    def _incident(
        self, victim: Adult, suspect: Adult | None, kind: str, level: str, at: datetime
    ) -> str:
        incident_id = self.new_id()
        reference = f"{self.force_code}{at.year % 100:02d}/{self.next_reference:07d}"
        self.next_reference += 1
        crime = self.random() < (0.35, 0.7, 0.9)[_RANK[level]]
        arrest = (self.random() < 0.55) if crime else (False if self.random() < 0.8 else None)
        self.pending["incident"].append(
            (
                incident_id,
                reference,
                _stamp(at),
                victim.id,
                suspect.id if suspect else None,
                kind,
                victim.address,
                victim.postcode,
                self.pick(SUMMARIES[level]),
                level,
                int(crime),
                None if arrest is None else int(arrest),
                self._grades[level](self.random),
                int(bool(suspect and suspect.restricted)),
                "historic",
                SOURCE,
                None,
                "demo-data",
            )
        )
        return incident_id

    def _children(self, victim: Adult, suspect: Adult, first: datetime) -> list[tuple[Adult, date]]:
        if self.random() > shape.CHILDREN_IN_HOUSEHOLD:
            return []
        out = []
        surname = victim.surname if self.random() < 0.5 else suspect.surname
        years_since = (self.as_of - first.date()).days // 365
        for _ in range(self._child_counts(self.random)):
            age_then = self.between(0, 15)
            gender = self.pick("FM")
            child = self._add_person(
                gender, age_then + years_since, surname, (victim.postcode, victim.address), False
            )
            if child is None or child.dob is None:
                break
            dob = child.dob
            self._marker(child.id, "child", "Child in a household with domestic abuse", first)
            out.append((child, dob))
        return out

    def _child(self, incident_id: str, child: Adult, dob: date, at: datetime) -> None:
        age = max(0, (at.date() - dob).days // 365)
        where = self.pick(WHERE_DURING)
        seen = where not in {"at school", "at a relative's"} or self.random() < 0.3
        spoken = seen and age >= 4 and self.random() < 0.6
        reason = "" if seen else f"Child was {where}; welfare checked by phone"
        self.pending["child"].append(
            (
                self.new_id(),
                incident_id,
                child.id,
                f"{child.forename} {child.surname}",
                age,
                dob.isoformat(),
                self.pick(names.SCHOOLS) if 4 <= age <= 16 else "",
                where,
                int(seen),
                int(spoken),
                reason,
            )
        )

    def _victim_markers(self, victim: Adult, age: int, repeat: bool, first: datetime) -> None:
        if repeat:
            self._marker(victim.id, "repeat_victim", "More than one incident in 12 months", first)
        if age >= shape.ELDERLY_AGE:
            self._marker(victim.id, "elderly", "Aged 70 or over", first)
        for marker, chance in shape.VICTIM_MARKERS:
            if self.random() < chance:
                self._marker(victim.id, marker, _MARKER_NOTES[marker], first)

    def _orders(
        self, victim: Adult, suspect: Adult, level: str, incident_id: str, on: date
    ) -> None:
        street = victim.address.split(",")[0].lstrip("0123456789 ")
        for kind, chance in shape.ORDERS[level]:
            if self.random() >= chance:
                continue
            starts = on + timedelta(days=self.between(7, 21) if kind == "marac" else 0)
            low, high = ORDER_DAYS.get(kind, (0, 0))
            ends = starts + timedelta(days=self.between(low, high)) if high else None
            self.pending["protectiveorder"].append(
                (
                    self.new_id(),
                    kind,
                    suspect.id,
                    victim.id,
                    incident_id,
                    ORDER_DETAIL[kind].format(street=street),
                    starts.isoformat(),
                    ends.isoformat() if ends else None,
                )
            )

    def build(self) -> dict[str, list[Row]]:
        """Every row of the batch, by table."""
        while self.story():
            pass
        return self.pending


_UUID_MASK = ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)
_UUID_V4 = (0x4000 << 64) | (0x8000 << 48)
_HOURS = (0, 1, 2, 9, 12, 15, 17, 18, 19, 20, 20, 21, 21, 22, 22, 23, 23)
_RANK = {"standard": 0, "medium": 1, "high": 2}
_MARKER_NOTES = {
    "vulnerable_adult": "Vulnerable adult: care and support needs",
    "mental_health": "Mental health concerns recorded",
    "learning_disability": "Learning disability",
    "disability": "Physical disability; limited mobility",
    "language_need": "Needs an interpreter (not a family member)",
    "firearms": "Holds a shotgun certificate; firearms at the address",
    "police_workforce_suspect": "Police workforce: restricted, professional standards notified",
}


def _stamp(at: datetime) -> str:
    """The text SQLAlchemy's SQLite DateTime stores and reads back."""
    return at.isoformat(sep=" ") + (".000000" if not at.microsecond else "")


def build_batch(job: tuple[int, int, int, date, str]) -> dict[str, list[Row]]:
    """The rows of batch `index` (picklable entry point for worker processes)."""
    seed, index, people, as_of, force_code = job
    return BatchGenerator(seed, index, people, as_of, force_code).build()


class BulkWriter:
    """One connection that loads batches fast: big page cache, no fsync until the end.

    Generated history can always be generated again, so the load skips the per-commit
    fsync; `close()` restores `synchronous=FULL` and checkpoints the WAL. With
    `defer_indexes` (only honoured while the tables are empty) the secondary indexes
    are dropped for the load and built once at the end, which is far cheaper than
    keeping them up to date row by row.
    """

    def __init__(self, engine: Engine, defer_indexes: bool = False) -> None:
        self.connection = engine.raw_connection()
        self.counts = Counts()
        self.deferred: list[str] = []
        cursor = self.connection.cursor()
        cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        cursor.execute("PRAGMA synchronous=OFF")
        if defer_indexes and cursor.execute("SELECT 1 FROM person LIMIT 1").fetchone() is None:
            tables = ", ".join(f"'{table}'" for table in TABLE_ORDER)
            found = cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                f" AND tbl_name IN ({tables})"
            ).fetchall()
            for name, sql in found:
                cursor.execute(f'DROP INDEX "{name}"')
                self.deferred.append(sql)
        cursor.close()

    def write(self, rows: dict[str, list[Row]]) -> None:
        """Insert one batch's rows in one transaction, parents before children."""
        cursor = self.connection.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        try:
            for table in TABLE_ORDER:
                if not rows[table]:
                    continue
                columns = COLUMNS[table].split()
                sql = (
                    f"INSERT INTO {table} ({', '.join(columns)}) "
                    f"VALUES ({', '.join('?' * len(columns))})"
                )
                cursor.executemany(sql, rows[table])
            cursor.execute("COMMIT")
        except BaseException:
            cursor.execute("ROLLBACK")
            raise
        finally:
            cursor.close()
        for table in TABLE_ORDER:
            self.counts.rows[table] += len(rows[table])

    def close(self) -> None:
        cursor = self.connection.cursor()
        for sql in self.deferred:
            cursor.execute(sql)
        self.deferred = []
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA cache_size=-2000")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.close()
        self.connection.close()


def generate_history(
    engine: Engine,
    people: int,
    seed: int,
    as_of: date,
    force_code: str = "WM",
    progress: Progress | None = None,
    workers: int | None = None,
) -> Counts:
    """Write a synthetic history of exactly `people` people into `engine`'s store.

    Batches are built by `workers` processes (default: one per CPU, none for a
    single batch) while this process writes them, in order.
    """
    jobs = [
        (seed, index, min(BATCH_PEOPLE, people - start), as_of, force_code)
        for index, start in enumerate(range(0, people, BATCH_PEOPLE))
    ]
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if len(jobs) > 1 else 0
    writer = BulkWriter(engine, defer_indexes=people >= DEFER_INDEXES_FROM)
    try:
        for rows in _batches(jobs, workers):
            writer.write(rows)
            if progress:
                progress(writer.counts.people)
    finally:
        writer.close()
    return writer.counts


def _batches(
    jobs: list[tuple[int, int, int, date, str]], workers: int
) -> Iterator[dict[str, list[Row]]]:
    """Built batches in job order: here, or by `workers` processes a few batches ahead."""
    if workers <= 0:
        yield from map(build_batch, jobs)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        waiting: deque[Future[dict[str, list[Row]]]] = deque()
        pending_jobs = iter(jobs)
        for job in islice(pending_jobs, workers * 2):
            waiting.append(pool.submit(build_batch, job))
        while waiting:
            rows = waiting.popleft().result()
            for job in islice(pending_jobs, 1):
                waiting.append(pool.submit(build_batch, job))
            yield rows
