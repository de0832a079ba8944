"""A pulled record whose parent this terminal does not hold yet waits and is filed when
the parent arrives (sync.pull): nothing the hub sends is silently dropped. Only a real
clash with a local record keeps the local one."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from firstresponse.records import Assessment, Assignment, Child, Incident, Person, kind_of
from firstresponse.records.terminal import PulledWaiting
from firstresponse.store import Store
from firstresponse.sync import pull
from firstresponse.sync.feed import Change, change
from firstresponse.sync.protocol import PullResponse
from firstresponse.sync.pull import file_page, waiting_count
from firstresponse.sync.state import get_cursor
from firstresponse.sync.status import SyncStatus

CURSOR = "pull:PC2001"


class Feed:
    """Entries as a hub's feed carries them, numbered in order."""

    def __init__(self) -> None:
        self.n = 0

    def entry(self, topic: str, record_id: str, body: dict[str, Any]) -> Change:
        self.n += 1
        return change(f"0.{self.n:04d}", topic, record_id, body)

    def lookup(self, record: Any, versions: dict[str, int] | None = None, **extra: Any) -> Change:
        body = {"kind": str(kind_of(record)), "record": _wire(record), **extra}
        if versions:
            body["versions"] = versions
        return self.entry("lookup", record.id, body)

    def briefing(self, incident: Incident, people: list[Person], children: list[Child]) -> Change:
        body = {
            "incident": _wire(incident),
            "people": [_wire(p) for p in people],
            "children": [_wire(c) for c in children],
        }
        return self.entry("briefing", incident.id, body)

    def page(self, *changes: Change) -> PullResponse:
        return PullResponse(changes=list(changes), cursor=f"0.{self.n:04d}", more=False)


def _wire(record: Any) -> dict[str, Any]:
    data: dict[str, Any] = record.model_dump(mode="json")
    return data


def file(store: Store, page: PullResponse) -> None:
    with store.session() as db:
        file_page(db, page, CURSOR)


def case() -> tuple[Person, Incident, Person, Child]:
    victim = Person(forename="Ivy", surname="Waitcase")
    incident = Incident(
        reference="W-1", occurred_at=datetime.now(UTC), victim_id=victim.id, grade="immediate"
    )
    kid = Person(forename="Amy", surname="Waitcase")
    return victim, incident, kid, Child(incident_id=incident.id, person_id=kid.id, name="Amy")


def held(db: Session, model: type[Any], record_id: str) -> Any:
    db.expire_all()
    return db.get(model, record_id)


def test_a_child_whose_person_comes_in_a_later_page_is_filed_when_the_person_arrives(
    store: Store,
) -> None:
    feed = Feed()
    victim, incident, kid, child = case()
    file(store, feed.page(feed.briefing(incident, [victim], [child])))  # an older hub's
    with store.session() as db:
        assert held(db, Incident, incident.id) is not None
        assert held(db, Child, child.id) is None  # not filed yet ...
        assert waiting_count(db) == 1  # ... and not lost
        waiting = db.exec(select(PulledWaiting)).one()
        assert (waiting.kind, waiting.record_id) == ("child", child.id)
        assert waiting.waits_for == f"person:{kid.id}"
        assert get_cursor(db, CURSOR) == "0.0001"  # the cursor moved past it all the same
        status = SyncStatus(connected=True).with_counts(db)
        assert status.pulled_waiting == 1
        assert "from the hub, not filed yet: 1" in status.label

    file(store, feed.page(feed.lookup(kid)))
    with store.session() as db:
        filed = held(db, Child, child.id)
        assert filed is not None
        assert (filed.name, filed.person_id) == ("Amy", kid.id)
        assert waiting_count(db) == 0
        assert "not filed" not in SyncStatus(connected=True).with_counts(db).label


def test_an_assessment_and_assignment_whose_incident_is_not_held_wait_for_the_briefing(
    store: Store,
) -> None:
    feed = Feed()
    victim, incident, _, _ = case()
    thrive = Assessment(
        incident_id=incident.id,
        checklist_id="thrive",
        checklist_version="1",
        checklist_hash="h",
        status="submitted",
    )
    assignment = Assignment(incident_id=incident.id, assignee="PC2001", grade="immediate")
    file(
        store,
        feed.page(
            feed.lookup(thrive),
            feed.entry("assignment", assignment.id, {"assignment": _wire(assignment)}),
        ),
    )
    with store.session() as db:
        assert held(db, Assessment, thrive.id) is None
        assert held(db, Assignment, assignment.id) is None
        assert waiting_count(db) == 2

    file(store, feed.page(feed.briefing(incident, [victim], [])))
    with store.session() as db:
        assert held(db, Assessment, thrive.id).status == "submitted"
        assert held(db, Assignment, assignment.id).assignee == "PC2001"
        assert waiting_count(db) == 0


def test_within_one_page_a_record_before_its_parent_is_filed_by_the_pages_end(
    store: Store,
) -> None:
    feed = Feed()
    victim, incident, kid, child = case()
    # the child first, then its incident (whose victim comes after it), then its person
    file(
        store,
        feed.page(feed.lookup(child), feed.lookup(incident), feed.lookup(victim), feed.lookup(kid)),
    )
    with store.session() as db:
        assert held(db, Incident, incident.id) is not None
        assert held(db, Child, child.id) is not None
        assert waiting_count(db) == 0


def test_a_real_clash_with_a_local_record_keeps_the_local_one_and_waits_for_nothing(
    store: Store,
) -> None:
    feed = Feed()
    victim, incident, _, _ = case()
    with store.session() as db:
        db.add(victim)
        db.flush()
        local = Incident(reference="W-1", occurred_at=datetime.now(UTC), victim_id=victim.id)
        db.add(local)
    file(store, feed.page(feed.lookup(incident)))  # the same reference, another record
    with store.session() as db:
        assert held(db, Incident, incident.id) is None
        assert held(db, Incident, local.id).reference == "W-1"
        assert waiting_count(db) == 0  # its parents are held: a clash, not a wait


def test_waiting_records_survive_closing_and_reopening_the_store(tmp_path: Path) -> None:
    feed = Feed()
    victim, incident, kid, child = case()
    path = tmp_path / "laptop.db"
    store = Store(path)
    file(store, feed.page(feed.briefing(incident, [victim], [child])))
    store.close()

    store = Store(path)
    try:
        with store.session() as db:
            assert waiting_count(db) == 1
        file(store, feed.page(feed.lookup(kid)))
        with store.session() as db:
            assert held(db, Child, child.id).name == "Amy"
            assert waiting_count(db) == 0
    finally:
        store.close()


def test_a_waiting_record_given_a_newer_version_files_the_newest(store: Store) -> None:
    feed = Feed()
    victim, incident, kid, child = case()
    file(store, feed.page(feed.lookup(victim), feed.lookup(incident)))
    first = child.model_copy(update={"name": "Amy (first)"})
    second = child.model_copy(update={"name": "Amy (second)"})
    file(store, feed.page(feed.lookup(first, {child.id: 1})))
    file(store, feed.page(feed.lookup(second, {child.id: 2})))
    file(store, feed.page(feed.lookup(first, {child.id: 1})))  # sent again: older
    with store.session() as db:
        assert waiting_count(db) == 1
        assert db.exec(select(PulledWaiting)).one().version == 2
    file(store, feed.page(feed.lookup(kid)))
    with store.session() as db:
        assert held(db, Child, child.id).name == "Amy (second)"
        assert waiting_count(db) == 0


def test_a_newer_copy_filed_directly_is_not_overwritten_by_the_older_one_waiting(
    store: Store,
) -> None:
    feed = Feed()
    victim, incident, kid, child = case()
    file(store, feed.page(feed.lookup(victim), feed.lookup(incident)))
    older = child.model_copy(update={"name": "Amy (older)"})
    file(store, feed.page(feed.lookup(older)))  # no versions told (an older hub)
    newer = child.model_copy(update={"name": "Amy (newer)"})
    file(store, feed.page(feed.lookup(kid), feed.lookup(newer)))
    with store.session() as db:
        assert held(db, Child, child.id).name == "Amy (newer)"
        assert waiting_count(db) == 0


def test_a_record_waiting_for_two_parents_files_once_the_second_arrives(store: Store) -> None:
    feed = Feed()
    victim, incident, kid, child = case()
    file(store, feed.page(feed.lookup(child)))
    with store.session() as db:
        assert db.exec(select(PulledWaiting)).one().waits_for == f"incident:{incident.id}"
    file(store, feed.page(feed.lookup(victim), feed.lookup(incident)))
    with store.session() as db:
        assert held(db, Child, child.id) is None
        assert db.exec(select(PulledWaiting)).one().waits_for == f"person:{kid.id}"
    file(store, feed.page(feed.lookup(kid)))
    with store.session() as db:
        assert held(db, Child, child.id).person_id == kid.id
        assert waiting_count(db) == 0


def test_an_older_copy_that_arrives_late_and_waits_never_overwrites_the_newer_one(
    store: Store,
) -> None:
    feed = Feed()
    victim, incident, kid, child = case()
    unnamed = child.model_copy(update={"person_id": None, "name": "Amy (newer)"})
    file(store, feed.page(feed.lookup(victim), feed.lookup(incident)))
    file(store, feed.page(feed.lookup(unnamed, {child.id: 2})))  # filed: names no person
    older = child.model_copy(update={"name": "Amy (older)"})
    file(store, feed.page(feed.lookup(older, {child.id: 1})))  # sent again late: waits
    file(store, feed.page(feed.lookup(kid)))
    with store.session() as db:
        kept = held(db, Child, child.id)
        assert (kept.name, kept.person_id) == ("Amy (newer)", None)
        assert waiting_count(db) == 0


def test_a_page_that_fails_before_its_cursor_is_saved_keeps_nothing_half_filed(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = Feed()
    victim, incident, _, child = case()
    page = feed.page(feed.briefing(incident, [victim], [child]))

    def crash(*_: object) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(pull, "set_cursor", crash)
    with pytest.raises(RuntimeError):
        file(store, page)
    with store.session() as db:  # neither the cursor nor the waiting child: all again
        assert (get_cursor(db, CURSOR), waiting_count(db)) == ("", 0)
        assert held(db, Incident, incident.id) is None
    monkeypatch.undo()
    file(store, page)
    with store.session() as db:
        assert (get_cursor(db, CURSOR), waiting_count(db)) == ("0.0001", 1)
