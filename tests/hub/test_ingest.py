"""Push semantics on a real hub: accepted, duplicate, conflict, rejected; records materialised."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlmodel import select

from firstresponse.hub.db import transaction
from firstresponse.hub.models import HubEnvelope
from firstresponse.records import (
    Assessment,
    Child,
    Incident,
    OutboxItem,
    Person,
    Review,
    content_hash,
)
from firstresponse.records.base import legacy_canonical_json
from firstresponse.store import Store
from firstresponse.sync.protocol import Envelope
from firstresponse.sync.push import push_outbox
from tests.hub.support import Hub, queue_cases


def env(kind: str, body: dict, version: int = 1, digest: str | None = None) -> Envelope:
    return Envelope(
        id=body["id"],
        kind=kind,
        version=version,
        content_hash=digest or content_hash(body),
        body=body,
    )


def person(pid: str, surname: str = "Marlow") -> dict:
    return Person(id=pid, forename="Rhea", surname=surname).model_dump(mode="json")


def incident(iid: str, victim: str, summary: str = "") -> dict:
    return Incident(
        id=iid,
        reference=f"R-{iid}",
        occurred_at=datetime(2026, 1, 2, tzinfo=UTC),
        victim_id=victim,
        summary=summary,
    ).model_dump(mode="json")


def test_each_item_gets_its_own_answer(hub: Hub) -> None:
    token = hub.enrol()
    p = person("p-1")
    with hub.client(token) as client:
        first = client.push([env("person", p), env("incident", incident("i-1", "p-1"))])
        assert [r.status for r in first] == ["accepted", "accepted"]
        altered = {**p, "surname": "Changed"}
        bad_hash = env("person", {**person("p-2")}, digest="0" * 64)
        answers = client.push(
            [
                env("person", p),  # same id, version and content
                env("person", altered),  # same id and version, different content
                bad_hash,
                env("widget", {"id": "w-1"}),
                env("child", {"id": "c-1", "incident_id": "i-1", "age": "old"}),
            ]
        )
    assert [(a.status, a.code) for a in answers] == [
        ("duplicate", 200),
        ("conflict", 409),
        ("rejected", 422),
        ("rejected", 422),
        ("rejected", 422),
    ]
    assert answers[1].hub_copy is not None and answers[1].hub_copy.body["surname"] == "Marlow"
    assert "content_hash" in answers[2].reason
    assert "unknown kind" in answers[3].reason
    assert "name" in answers[4].reason and "age" in answers[4].reason
    with transaction(hub.engine) as db:
        assert db.get(Person, "p-1").surname == "Marlow"
        assert db.get(Incident, "i-1").victim_id == "p-1"
        assert db.get(Person, "p-2") is None
    assert hub.envelope_counts() == {"p-1": 1, "i-1": 1}


def test_a_body_hashed_by_an_earlier_terminal_version_is_accepted(hub: Hub) -> None:
    token = hub.enrol()
    body = Assessment(
        id="a-7",
        incident_id="i-7",
        checklist_id="risk",
        checklist_version="1",
        checklist_hash="h",
        answers={"weight": 1e-05},
    ).model_dump(mode="json")
    old = legacy_canonical_json(body)  # 1e-05, where this version writes 0.00001
    digest = hashlib.sha256(old.encode("utf-8")).hexdigest()
    assert digest != content_hash(body)
    with hub.client(token) as client:
        client.push([env("person", person("p-7")), env("incident", incident("i-7", "p-7"))])
        assert client.push([env("assessment", body, digest=digest)])[0].status == "accepted"
        assert client.push([env("assessment", body, digest=digest)])[0].status == "duplicate"
    with transaction(hub.engine) as db:
        stored = db.exec(select(HubEnvelope).where(HubEnvelope.record_id == "a-7")).one()
        assert stored.body == old
        assert db.get(Assessment, "a-7").answers == {"weight": 1e-05}


def test_a_role_may_only_send_its_own_kinds(hub: Hub) -> None:
    token = hub.enrol()
    review = Review(id="rv-1", subject_kind="assessment", subject_id="a-1", reviewer="PC2001")
    with hub.client(token, "PC2001") as client:
        [answer] = client.push([env("review", review.model_dump(mode="json"))])
    assert answer.status == "rejected" and "may not send review" in answer.reason
    mine = Review(id="rv-2", subject_kind="assessment", subject_id="a-1", reviewer="SG3001")
    with hub.client(token, "SG3001") as client:
        [answer] = client.push([env("review", mine.model_dump(mode="json"))])
    assert answer.status == "accepted"


def test_a_child_that_arrives_before_its_incident_is_kept_and_written_later(hub: Hub) -> None:
    token = hub.enrol()
    child = Child(id="c-9", incident_id="i-9", name="Sam", age=7).model_dump(mode="json")
    with hub.client(token) as client:
        assert client.push([env("child", child)])[0].status == "accepted"
        with transaction(hub.engine) as db:
            assert db.get(Child, "c-9") is None
        client.push([env("person", person("p-9")), env("incident", incident("i-9", "p-9"))])
    with transaction(hub.engine) as db:
        assert db.get(Child, "c-9").incident_id == "i-9"


def test_an_older_version_never_overwrites_a_newer_one(hub: Hub) -> None:
    token = hub.enrol()
    with hub.client(token) as client:
        client.push([env("person", person("p-5"))])
        client.push([env("incident", incident("i-5", "p-5", "second"), version=2)])
        late = client.push([env("incident", incident("i-5", "p-5", "first"), version=1)])
    assert late[0].status == "accepted"  # kept as history
    with transaction(hub.engine) as db:
        assert db.get(Incident, "i-5").summary == "second"
    assert hub.envelope_counts()["i-5"] == 2


def test_terminal_outbox_reaches_the_hub_once_however_often_pushed(
    hub: Hub, tmp_path: Path
) -> None:
    store = Store(tmp_path / "t.db")
    ids = queue_cases(store, 4, children=2)
    with hub.client(hub.enrol()) as client:
        assert push_outbox(store, client).accepted == len(ids)
        with store.session() as db:  # pretend the acknowledgements were lost
            for row in db.exec(select(OutboxItem)):
                row.status = "pending"
                db.add(row)
        again = push_outbox(store, client)
    assert (again.accepted, again.duplicate) == (0, len(ids))
    assert hub.envelope_counts() == {i: 1 for i in ids}
    with transaction(hub.engine) as db:
        assert len(db.exec(select(Child)).all()) == 8


def test_a_batch_over_the_limit_or_malformed_is_refused_whole(hub: Hub) -> None:
    token = hub.enrol()
    headers = hub.headers(token, "PC2001")
    with httpx.Client(base_url=hub.url + "/v1", headers=headers) as http:
        assert http.post("/push", content=b"{not json").status_code == 422
        assert http.post("/push", json={"envelopes": [{"id": "x"}]}).status_code == 422
        empty = {"results": [], "audit_head": None}  # no head sent, none answered
        assert http.post("/push", json={"envelopes": []}).json() == empty
        assert http.get("/health").json()["status"] == "ok"


def test_a_child_stranded_by_a_simultaneous_parent_is_written_at_the_next_push(hub: Hub) -> None:
    """The child's batch saw no incident and the incident's batch saw no waiting child
    (both committed at once); the next push from any terminal writes the child."""
    token = hub.enrol()
    child = Child(id="c-8", incident_id="i-8", name="Ash", age=5).model_dump(mode="json")
    with hub.client(token) as client:
        assert client.push([env("child", child)])[0].status == "accepted"
        with transaction(hub.engine) as db:  # the parent lands without seeing the child
            db.add(Person.model_validate(person("p-8")))
            db.flush()
            db.add(Incident.model_validate({**incident("i-8", "p-8"), "created_by": "PC2001"}))
        with transaction(hub.engine) as db:
            assert db.get(Child, "c-8") is None
        client.push([env("person", person("p-other", "Unrelated"))])
    with transaction(hub.engine) as db:
        assert db.get(Child, "c-8").incident_id == "i-8"
