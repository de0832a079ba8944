"""Lookup sources: local (audited) and hub (over HTTP), with fallback when offline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import httpx
from sqlmodel import select

from firstresponse.calls.sources import Candidate, FallbackLookup, HubLookup, LocalLookup, Search
from firstresponse.lookup import LookupQuery, PersonHistory
from firstresponse.records import AuditEvent
from firstresponse.sync.client import HubClient, SessionToken
from tests.unit.test_calls_support import add_users


@dataclass
class FakeMatch:
    person_id: str
    name: str
    dob: date | None
    postcode: str
    score: float
    reasons: list[str] = field(default_factory=list)
    markers: list[str] = field(default_factory=list)
    da_incidents_12m: int = 0


class FakeEngine:
    """Stands in for `firstresponse.lookup`: one match, one history; remembers the queries."""

    def __init__(self) -> None:
        self.seen: list[LookupQuery] = []

    def search(self, db, query: LookupQuery, limit: int = 10) -> list[FakeMatch]:
        self.seen.append(query)
        return [
            FakeMatch("p1", "Jon Example", date(1990, 4, 3), "TT1 1AA", 0.9, ["nickname Jon=John"])
        ]

    def person_history(self, db, person_id: str) -> PersonHistory:
        return PersonHistory(person_id=person_id, name="Jon Example", narrative=["line"])


def test_search_params_drop_blank_short_and_partial() -> None:
    assert Search(name="J", phone=" 07700 ").params() == {"phone": "07700"}
    assert Search(name="Jon Ex", dob="1990").params() == {"name": "Jon Ex 1990"}
    assert Search(name="Jon Ex", dob="03/04/1990").params() == {
        "name": "Jon Ex",
        "dob": "1990-04-03",
    }
    assert Search().empty


def test_local_lookup_audits_search_and_history(store) -> None:
    users = add_users(store)
    engine = FakeEngine()
    source = LocalLookup(store, users["CH1001"], engine)
    found = source.search(Search(name="John Example", dob="1990-04-03"))
    assert found == [
        Candidate("p1", "Jon Example", "1990-04-03", "TT1 1AA", 0.9, ("nickname Jon=John",))
    ]
    assert engine.seen == [LookupQuery(name="John Example", dob=date(1990, 4, 3))]
    assert source.history("p1")["narrative"] == ["line"]
    with store.session() as db:
        events = db.exec(select(AuditEvent)).all()
    assert [(e.actor, e.action, e.subject_id) for e in events] == [
        ("CH1001", "lookup", ""),
        ("CH1001", "view", "p1"),
    ]
    assert events[0].detail["results"] == ["p1"]
    assert source.search(Search(name="J")) == []  # nothing worth searching: no audit, no call


def _client(handler) -> HubClient:
    return HubClient(
        "http://hub.test",
        "token",
        SessionToken("CH1001", "session-token"),
        transport=httpx.MockTransport(handler),
    )


def test_hub_lookup_uses_the_hub_endpoints() -> None:
    asked = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append((request.url.path, dict(request.url.params)))
        if request.url.path.endswith("/lookup/search"):
            return httpx.Response(
                200, json={"results": [{"person_id": "p9", "name": "A B", "score": 1}]}
            )
        if request.url.path.endswith("/lookup/people/p9"):
            return httpx.Response(200, json={"person_id": "p9", "name": "A B", "narrative": []})
        return httpx.Response(404, json={"detail": "no such person"})

    hub = HubLookup(_client(handler))
    assert [c.person_id for c in hub.search(Search(name="Ab Cd", postcode="TT1"))] == ["p9"]
    assert asked[0][1] == {"name": "Ab Cd", "postcode": "TT1", "limit": "10"}
    history = hub.history("p9")
    assert history is not None
    assert (history["person_id"], history["name"], history["narrative"]) == ("p9", "A B", [])
    assert hub.history("nobody") is None


def test_fallback_to_local_when_hub_unreachable(store) -> None:
    users = add_users(store)

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    local = LocalLookup(store, users["CH1001"], FakeEngine())
    source = FallbackLookup(HubLookup(_client(down)), local)
    assert [c.person_id for c in source.search(Search(name="Jon Example"))] == ["p1"]
    assert source.name == "local"


def test_real_lookup_finds_a_caller_opened_call_and_shows_history(store) -> None:
    from firstresponse.calls import open_call
    from tests.unit.test_calls_support import details

    users = add_users(store)
    with store.session() as db:
        d = details()
        d.victim_forename, d.victim_surname = "William", "Testington"
        d.victim_dob = date(1985, 6, 7)
        incident = open_call(db, users["CH1001"], d)
    source = LocalLookup(store, users["CH1001"])
    found = source.search(Search(name="Bill Testington"))
    assert found and found[0].person_id == incident.victim_id
    assert found[0].reasons
    history = source.history(incident.victim_id)
    assert history is not None and history["person_id"] == incident.victim_id
    assert isinstance(history["narrative"], list)


def test_local_history_of_a_restricted_case_is_redacted_audited_and_notified(store) -> None:
    from datetime import UTC, datetime

    from firstresponse.lookup import index_person
    from firstresponse.records import Incident, Notification, Person

    users = add_users(store)
    with store.session() as db:
        victim = Person(forename="Restra", surname="Testvictim")
        suspect = Person(forename="Hidden", surname="Officerperson")
        db.add(victim)
        db.add(suspect)
        db.flush()
        db.add(
            Incident(
                reference="WM-R1",
                occurred_at=datetime(2026, 8, 1, tzinfo=UTC),
                victim_id=victim.id,
                suspect_id=suspect.id,
                relationship="partner",
                summary="Secret detail",
                restricted=True,
            )
        )
        db.flush()
        index_person(db, victim.id)
    history = LocalLookup(store, users["CH1001"]).history(victim.id)
    assert "Officerperson" not in str(history)
    assert history["incidents"][0]["other_party"] != "Hidden Officerperson"
    with store.session() as db:
        actions = [e.action for e in db.exec(select(AuditEvent))]
        assert "restricted.redacted" in actions and "view" in actions
        assert any(n.recipient == "PSD" for n in db.exec(select(Notification)))
