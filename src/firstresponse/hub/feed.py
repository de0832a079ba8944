"""The pull feed: assignments, briefings, lookup-index changes and every record about an
incident (who receives which: `hub.followup_feed`), read since a cursor.

A cursor is "txid.seq" and entries are read in (txid, seq) order. A transaction's entries
are held (`write`) and inserted as it commits (`flush`), and on PostgreSQL under a lock
that every feed writer takes (released at commit), so their `seq` numbers are drawn in
commit order: a reader that has seen an entry has seen every entry before it, and a slow
commit can never be skipped by a cursor that has moved past it, however many hubs write.
Nothing else holds the feed back: an unrelated open transaction on the database server
(an admin's session, another application) delays no one's assignments. Such entries carry
`txid` ORDERED; SQLite's writers are serialised anyway and write 0. Entries of hubs before
this change carry their transaction's id and stay behind the oldest transaction running.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, event, inspect, literal_column, or_, text
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session, col, select

import firstresponse.lookup.autoindex  # noqa: F401  (its commit hook first: see _flush_on_commit)
from firstresponse.hub import bulk, followup_feed, wakeup
from firstresponse.hub.id_lists import in_ids, listed
from firstresponse.hub.models import EVERYONE, RESTRICTED, HubChange
from firstresponse.hub.versions import newest
from firstresponse.records import (
    Assignment,
    Child,
    Incident,
    Kind,
    Person,
    User,
    canonical_json,
    table_of,
    utcnow,
)
from firstresponse.records.kinds import MODELS
from firstresponse.security.permissions import Action, allowed
from firstresponse.sync.feed import Change, change

MAX_INT = 2**31 - 1
MAX_BIGINT = 2**63 - 1
#: The txid of entries written under the feed lock: past any real transaction id, within
#: the 18 digits a cursor may carry.
ORDERED = 10**17
FEED_LOCK = 727003  # advisory lock every PostgreSQL feed writer holds until it commits
PENDING = "hub_feed_pending"


def _txid(db: Session) -> int:
    return ORDERED if db.get_bind().dialect.name == "postgresql" else 0


def entry(db: Session, topic: str, recipient: str, record_id: str, body: dict[str, Any]) -> dict:
    """The column values of one feed entry written in the caller's transaction."""
    return {
        "txid": _txid(db),
        "topic": topic,
        "recipient": recipient,
        "record_id": record_id,
        "body": canonical_json(body),
        "at": utcnow(),
    }


def write(db: Session, entries: list[dict[str, Any]]) -> None:
    """Add entries, in order, to what this transaction writes to the feed as it commits.

    Call it outside any savepoint that may still roll back: held entries are not undone.
    """
    if entries:
        db.info.setdefault(PENDING, []).extend(entries)


def flush(db: Session) -> None:
    """Insert the held entries in one statement, under the feed lock on PostgreSQL.

    Runs by itself as the session commits; the lock is held from here to the commit.
    """
    entries = db.info.pop(PENDING, None)
    if not entries:
        return
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": FEED_LOCK})
    bulk.insert_rows(db, table_of(HubChange), entries)
    wakeup.notify(db, {row["recipient"] for row in entries})  # delivered at commit


@event.listens_for(OrmSession, "before_commit")
def _flush_on_commit(session: OrmSession) -> None:
    """The last thing before the commit: registered after the lookup index's own hook, so
    no lock but the feed's is taken while it is held (two hubs cannot deadlock on it)."""
    if session.info.get(PENDING) and not session.in_nested_transaction():  # not a savepoint
        flush(session)  # type: ignore[arg-type]


@event.listens_for(OrmSession, "after_transaction_end")
def _forget(session: OrmSession, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # committed or rolled back: nothing is held over
        session.info.pop(PENDING, None)


def dump(record: Any) -> dict[str, Any]:
    return record.model_dump(mode="json")


#: A feed entry before its body is written out: (topic, recipient, record id, body).
Draft = tuple[str, str, str, dict[str, Any]]


def for_stored(
    db: Session, stored: list[tuple[str, Any]], versions: dict[str, int] | None = None
) -> list[dict[str, Any]]:
    """Feed entries for (kind, record) pairs the hub has just stored, in that order.

    The people of every incident are read in one query; a person stored earlier in
    `stored` is taken as stored (the newest version wins). A record stored in several
    versions at once is sent once, as its newest: an older copy would undo the newer on
    terminals, and one written before a record was restricted would go to everyone.
    `versions` are those just stored, by record id (see `_with_versions`).
    """
    return _with_versions(db, drafts(db, stored), versions or {})


def drafts(db: Session, stored: list[tuple[str, Any]]) -> list[Draft]:
    """The entries `for_stored` writes, before each body is told the versions it carries."""
    newest = {(kind, record.id): n for n, (kind, record) in enumerate(stored)}
    stored = [pair for n, pair in enumerate(stored) if newest[(pair[0], pair[1].id)] == n]
    people = {record.id: dump(record) for kind, record in stored if kind == Kind.PERSON}
    wanted = {
        pid for kind, record in stored for pid in _named_people(kind, record) if pid not in people
    }
    people.update(_load_people(db, wanted))
    readers = _readers(db, stored)
    found: list[Draft] = []
    for kind, record in stored:
        found.extend(_entries(db, kind, record, people, readers))
    # Briefings first: each brings its incident, people and children to a laptop that held
    # none of them, before any other record about that incident (THRIVE sent with the
    # assignment) that the laptop could not file without them.
    found.sort(key=lambda draft: draft[0] != "briefing")
    return found


def _named_people(kind: str, record: Any) -> list[str]:
    """The people an entry carries: an incident's victim and suspect, a child's own person
    record, an order's subject and the person it protects (so a terminal that does not hold
    them can still file it)."""
    if kind == Kind.INCIDENT:
        return [pid for pid in (record.victim_id, record.suspect_id) if pid]
    if kind == Kind.CHILD:
        return [record.person_id] if record.person_id else []
    if kind == Kind.ORDER:
        return [pid for pid in (record.subject_id, record.protected_id) if pid]
    return []


def _load_people(db: Session, ids: set[str]) -> dict[str, dict[str, Any]]:
    """Stored people by id, as JSON (core rows: no ORM identity map to go stale), in one
    query however many (the list one parameter: `id_lists`)."""
    found: dict[str, dict[str, Any]] = {}
    if not ids:
        return found
    table: Any = table_of(Person)
    for row in db.execute(select(table).where(in_ids(table.c.id)), {"ids": listed(ids)}):
        person = Person.model_construct(**row._mapping)
        found[person.id] = dump(person)
    return found


@dataclass
class Readers:
    """The incidents a batch's records are about, as the hub holds them, with everyone
    each is assigned to, and the (incident, officer) pairs whose briefing is in the batch."""

    incidents: dict[str, Any] = field(default_factory=dict)
    assigned: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    briefed: set[tuple[str, str]] = field(default_factory=set)

    def of_incident(self, incident_id: str) -> list[str]:
        """Who reads an incident and its children (see `incident_readers`), but for the
        officers whose briefing, carrying them, is in the batch too."""
        incident = self.incidents.get(incident_id)
        if incident is None:
            return []
        assignees = {a for a in self.assigned[incident_id] if (incident_id, a) not in self.briefed}
        return followup_feed.incident_readers(incident, assignees)

    def of_record(self, kind: str, record: Any) -> list[str]:
        """Who reads another record about an incident (`followup_feed.about_incident`)."""
        incident_id = followup_feed.incident_of(kind, record)
        incident = self.incidents.get(incident_id) if incident_id else None
        assignees = self.assigned[incident_id] if incident_id else set()
        return followup_feed.about_incident(kind, record, incident, assignees)


def _readers(db: Session, stored: list[tuple[str, Any]]) -> Readers:
    """The incidents of every stored record about one, read in at most two queries."""
    found = Readers()
    found.incidents = {record.id: record for kind, record in stored if kind == Kind.INCIDENT}
    about = {i for kind, record in stored if (i := followup_feed.incident_of(kind, record))}
    ids = set(found.incidents) | about
    if not ids:
        return found
    missing = listed(ids - set(found.incidents))
    if missing:
        table: Any = table_of(Incident)
        query = select(table.c.id, table.c.restricted, table.c.created_by)
        rows = db.execute(query.where(in_ids(table.c.id)), {"ids": missing})
        found.incidents.update({row.id: row for row in rows})
    found.briefed = {(r.incident_id, r.assignee) for kind, r in stored if kind == Kind.ASSIGNMENT}
    table = table_of(Assignment)
    query = select(table.c.incident_id, table.c.assignee).where(in_ids(table.c.incident_id))
    for incident_id, assignee in db.execute(query, {"ids": listed(ids)}):
        if assignee:
            found.assigned[incident_id].add(assignee)
    return found


def _entries(
    db: Session,
    kind: str,
    record: Any,
    people: dict[str, dict[str, Any]],
    readers: Readers,
) -> list[Draft]:
    if kind in {Kind.PERSON, Kind.MARKER, Kind.PERSON_LINK}:  # what the lookup shows
        return [("lookup", EVERYONE, record.id, {"kind": kind, "record": dump(record)})]
    if kind == Kind.INCIDENT:
        found = [people[pid] for pid in _named_people(kind, record) if pid in people]
        body = {"kind": Kind.INCIDENT, "record": dump(record), "people": found}
        return [("lookup", reader, record.id, body) for reader in readers.of_incident(record.id)]
    if kind == Kind.CHILD:  # as its incident: a child seen at the scene reaches everyone's copy
        body = {"kind": Kind.CHILD, "record": dump(record)}
        if carried := [people[pid] for pid in _named_people(kind, record) if pid in people]:
            body["people"] = carried
        return [
            ("lookup", reader, record.id, body)
            for reader in readers.of_incident(record.incident_id)
        ]
    if kind in followup_feed.DVDS_KINDS:
        return _dvds_entries(db, kind, record)
    if kind in followup_feed.KINDS:  # sent on the lookup topic: terminals file them alike
        body = {"kind": kind, "record": dump(record)}
        if kind == Kind.ORDER:
            body["people"] = [people[pid] for pid in _named_people(kind, record) if pid in people]
        return [("lookup", name, record.id, body) for name in readers.of_record(kind, record)]
    if kind == Kind.ASSIGNMENT:
        # Supervisors review what the officer was told (and see a call sent to nobody).
        sent = [("assignment", RESTRICTED, record.id, {"assignment": dump(record)})]
        if record.assignee:
            sent[:0] = [
                ("briefing", record.assignee, record.id, briefing(db, record)),
                ("assignment", record.assignee, record.id, {"assignment": dump(record)}),
            ]
        return sent
    return []


def _carried(body: dict[str, Any]) -> set[str]:
    """The ids of the records a feed body carries."""
    records = [body.get(key) for key in ("record", "incident", "assignment")]
    records += [*body.get("people", []), *body.get("children", [])]
    return {record["id"] for record in records if isinstance(record, dict) and record.get("id")}


def _with_versions(db: Session, drafts: list[Draft], known: dict[str, int]) -> list[dict]:
    """The entries, each body saying the version the hub holds of every record it carries
    ("versions": {id: n}; terminals send their changes as the next): `known` for those just
    stored, the rest read in one query. A record no terminal sent has none."""
    carried = [_carried(body) for *_, body in drafts]
    ids = set().union(*carried)
    versions = {record_id: known[record_id] for record_id in ids if record_id in known}
    versions.update(newest(db, ids - set(versions)))
    out = []
    for (topic, recipient, record_id, body), held in zip(drafts, carried, strict=True):
        told = {
            record_id: versions[record_id] for record_id in sorted(held) if record_id in versions
        }
        out.append(entry(db, topic, recipient, record_id, {**body, "versions": told}))
    return out


def _dvds_entries(db: Session, kind: str, record: Any) -> list[Draft]:
    """One entry per recipient; a DVDS application carries the people and incident it
    names, so a terminal that does not hold them can still file it."""
    who = followup_feed.dvds_recipients(db, kind, record)
    body: dict[str, Any] = {"kind": kind, "record": dump(record)}
    if kind == Kind.DVDS_APPLICATION:
        incident, people = followup_feed.dependants(db, record)
        if incident is not None:
            body["incident"] = dump(incident)
        body["people"] = [dump(person) for person in people]
    return [("lookup", name, record.id, body) for name in who]


def _fresh(db: Session, model: Any, record_id: str | None) -> Any:
    """The stored row, re-read (records may have been written with core statements)."""
    if not record_id:
        return None
    return db.get(model, record_id, populate_existing=True)


def _people(db: Session, ids: list[str | None]) -> list[dict[str, Any]]:
    found = (_fresh(db, Person, pid) for pid in dict.fromkeys(ids) if pid)
    return [dump(person) for person in found if person is not None]


def briefing(db: Session, assignment: Assignment) -> dict[str, Any]:
    """What an attending officer needs offline: the incident, its children, and the people
    they name (victim, suspect, each child's own record where the child is a known person)."""
    incident = _fresh(db, Incident, assignment.incident_id)
    people: list[dict[str, Any]] = []
    children: list[dict[str, Any]] = []
    if incident is not None:
        query = (
            select(Child)
            .where(Child.incident_id == incident.id)
            .execution_options(populate_existing=True)
        )
        found = list(db.exec(query))
        named = [incident.victim_id, incident.suspect_id, *(c.person_id for c in found)]
        people = _people(db, named)
        children = [dump(child) for child in found]
    return {
        "assignment_id": assignment.id,
        "grade": assignment.grade,
        "briefing": assignment.briefing,
        "incident": dump(incident) if incident is not None else None,
        "people": people,
        "children": children,
    }


def recipients(user: User) -> list[str]:
    """Whose feed entries `user` may read.

    The lookup index goes to control-room and supervisor terminals only: a responder's
    laptop carries its own briefings, not the force's whole history (least data on the
    devices most likely to be lost).
    """
    names = [user.collar]
    if user.team:
        names.append(user.team)
    if allowed(user, Action.TAKE_CALL) or allowed(user, Action.REVIEW):
        names.append(EVERYONE)
    if allowed(user, Action.VIEW_RESTRICTED):
        names.append(RESTRICTED)
    return names


def parse_cursor(cursor: str) -> tuple[int, int]:
    if not cursor:
        return (-1, -1)
    txid, seq = (int(part) for part in cursor.split("."))
    return (min(txid, MAX_BIGINT), min(seq, MAX_INT))  # past any real entry, still in range


def read(db: Session, user: User, cursor: str, limit: int) -> tuple[list[Change], str, bool]:
    """Up to `limit` entries for `user` after `cursor`; the new cursor; whether more wait."""
    txid, seq = parse_cursor(cursor)
    query = select(HubChange).where(
        col(HubChange.recipient).in_(recipients(user)),
        or_(
            col(HubChange.txid) > txid,
            and_(col(HubChange.txid) == txid, col(HubChange.seq) > seq),
        ),
    )
    if db.get_bind().dialect.name == "postgresql":  # entries of earlier hubs: see the top
        horizon: Any = literal_column("pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
        query = query.where(or_(col(HubChange.txid) >= ORDERED, col(HubChange.txid) < horizon))
    query = query.order_by(col(HubChange.txid), col(HubChange.seq)).limit(limit + 1)
    rows = list(db.exec(query))
    more = len(rows) > limit
    changes = [
        change(f"{row.txid}.{row.seq}", row.topic, row.record_id, json.loads(row.body))
        for row in rows[:limit]
    ]
    return changes, (changes[-1].cursor if changes else cursor), more


def backfill(db: Session, kinds: list[Kind], chunk: int = 500) -> int:
    """Write the feed entries of every stored record of `kinds`, as if each had just
    arrived (for kinds a hub kept before it sent them); returns how many were written.
    Inserted at once, under the feed lock, in the caller's transaction."""
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": FEED_LOCK})
    written = 0
    for kind in kinds:
        model: Any = MODELS[kind]
        ids = list(db.exec(select(model.id).order_by(model.id)))
        for start in range(0, len(ids), chunk):
            query = select(model).where(col(model.id).in_(ids[start : start + chunk]))
            entries = for_stored(db, [(kind, record) for record in db.exec(query)])
            bulk.insert_rows(db, table_of(HubChange), entries)
            written += len(entries)
    return written


def backfill_pending(engine: Any) -> int:
    """Write the entries a migration noted the hub owes (`hub_feed_backfill`, migration
    0013), once, whichever hub process opens the database first; returns how many."""
    owed = "SELECT kind FROM hub_feed_backfill ORDER BY kind"
    if not inspect(engine).has_table("hub_feed_backfill"):  # a database made as no hub's
        return 0
    with Session(engine) as db:
        if not list(db.execute(text(owed))):  # nothing owed: one cheap read
            return 0
    with Session(engine) as db, db.begin():
        if db.get_bind().dialect.name == "postgresql":
            db.execute(text("LOCK TABLE hub_feed_backfill IN EXCLUSIVE MODE"))
        kinds = [Kind(row[0]) for row in db.execute(text(owed))]  # another may have done it
        written = backfill(db, kinds)
        db.execute(text("DELETE FROM hub_feed_backfill"))
    return written
