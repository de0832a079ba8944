"""A call taken on a control-room terminal online against a real hub, choosing both people
from the hub's matches: the call names the hub's own people (no crash, no duplicate), and
THRIVE's floor and the briefing come from their whole record, online and offline alike."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select

from firstresponse.calls import FallbackLookup, HubLookup, LocalLookup, Search, prepare
from firstresponse.calls.people import call_people
from firstresponse.calls.terminal import grade, preview_briefing, start_call
from firstresponse.hub.db import transaction
from firstresponse.records import (
    AuditEvent,
    Grade,
    Incident,
    OutboxItem,
    Person,
    ProtectiveOrder,
    User,
    Warrant,
)
from firstresponse.store import Store
from firstresponse.sync.client import HubClient
from firstresponse.sync.push import push_outbox
from tests.hub.hub_people import ORDER_DETAIL, SUSPECT, VICTIM, WARRANT_OFFENCE, Couple, seed_couple
from tests.hub.support import Hub
from tests.unit.test_calls_support import add_users, calm_answers, details, lists

HISTORY_FLOOR = "Last assessed at high risk"
ORDER_FLOOR = "A protective order or bail condition is in force"


@dataclass
class ControlRoom:
    store: Store
    user: User
    client: HubClient
    source: FallbackLookup
    couple: Couple


@pytest.fixture
def control(hub: Hub, tmp_path: Path, settings: Any) -> Iterator[ControlRoom]:
    with transaction(hub.engine) as db:
        couple = seed_couple(db)
    store = Store(tmp_path / "control.db")
    user = add_users(store)["CH1001"]
    client = hub.client(hub.enrol("CONTROL-1"), "CH1001")
    source = FallbackLookup(HubLookup(client, store), LocalLookup(store, user))
    yield ControlRoom(store, user, client, source, couple)
    client.close()
    store.close()


def _hub_people(hub: Hub) -> int:
    with transaction(hub.engine, read_only=True) as db:
        return int(db.exec(select(func.count()).select_from(Person)).one())


def _choose(room: ControlRoom, who: tuple[str, str, Any]) -> Any:
    found = room.source.search(Search(name=f"{who[0]} {who[1]}", dob=who[2].isoformat()))
    assert found, f"no match for {who[0]} {who[1]} ({room.source.name})"
    return found[0]


def _call(room: ControlRoom) -> Incident:
    victim, suspect = _choose(room, VICTIM), _choose(room, SUSPECT)
    started = start_call(
        room.store, room.user, details(), victim=victim, suspect=suspect, force_code="WM",
        source=room.source,
    )  # fmt: skip
    assert started.without_history == []
    return started.incident


def _floor_and_briefing(room: ControlRoom, incident: Incident, settings: Any) -> tuple[Any, dict]:
    thrive = lists(settings)["thrive"]
    people = call_people(room.store, room.user, incident.id, room.source)
    answers, ev = prepare(thrive, calm_answers("immediate"), people.facts)
    briefing = preview_briefing(
        room.store, incident.id, answers, ev, people.victim, people.suspect_markers,
        restricted=False, checklist=thrive,
    )  # fmt: skip
    return ev, briefing


def _section(briefing: dict, title: str) -> str:
    return "\n".join(
        line for s in briefing["sections"] if s["title"] == title for line in s["lines"]
    )


def _without_victims(briefing: dict) -> list[str]:
    return [line for line in _section(briefing, "Suspect").splitlines() if "Victims:" not in line]


def _assert_whole_record(ev: Any, briefing: dict) -> None:
    assert ev.grade_floor is Grade.IMMEDIATE
    assert HISTORY_FLOOR in ev.grade_floor_reasons
    assert ORDER_FLOOR in ev.grade_floor_reasons
    assert "Repeat victim" in ev.grade_floor_reasons
    orders = _section(briefing, "Orders")
    assert ORDER_DETAIL in orders and "None in force" not in orders
    suspect = _section(briefing, "Suspect")
    assert f"{SUSPECT[0]} {SUSPECT[1]}: WANTED; VIOLENCE" in suspect
    assert WARRANT_OFFENCE in suspect and ORDER_DETAIL in suspect
    assert "no warning markers" not in suspect
    assert f"{SUSPECT[0]} {SUSPECT[1]} is wanted" in _section(briefing, "Risks")


def test_a_call_choosing_both_people_from_the_hubs_matches(
    hub: Hub, control: ControlRoom, settings: Any
) -> None:
    room, couple = control, control.couple
    before = _hub_people(hub)
    incident = _call(room)  # used to raise IntegrityError (FOREIGN KEY) for the suspect
    assert (incident.victim_id, incident.suspect_id) == (couple.victim_id, couple.suspect_id)
    with room.store.session() as db:  # the hub's copy is held, nothing of it queued to send
        assert db.get(Person, couple.suspect_id) is not None
        assert db.get(ProtectiveOrder, couple.order_id) is not None
        assert db.get(Warrant, couple.warrant_id) is not None
        queued = {o.record_id for o in db.exec(select(OutboxItem))}
        assert not queued & {couple.victim_id, couple.suspect_id, couple.order_id}
        assert incident.id in queued

    ev, briefing = _floor_and_briefing(room, incident, settings)
    _assert_whole_record(ev, briefing)

    graded = grade(
        room.store, room.user, incident.id, lists(settings)["thrive"],
        calm_answers("immediate"), call_people(room.store, room.user, incident.id).facts,
        override=None, history=None, suspect_markers=[], assignee="PC2001",
    )  # fmt: skip
    assert graded.incident.grade == "immediate"
    report = push_outbox(room.store, room.client)
    assert report.quarantined == 0 and not report.stopped
    assert _hub_people(hub) == before  # no duplicate of either person
    with transaction(hub.engine, read_only=True) as db:
        filed = db.get(Incident, incident.id)
        assert filed is not None
        assert (filed.victim_id, filed.suspect_id) == (couple.victim_id, couple.suspect_id)
        copies = db.exec(
            select(AuditEvent).where(
                AuditEvent.subject_id == couple.suspect_id, AuditEvent.actor == "CH1001"
            )
        ).all()
        assert copies, "fetching the record is audited on the hub"

    second = _call(room)  # the next call finds the same people, still no new one
    assert (second.victim_id, second.suspect_id) == (couple.victim_id, couple.suspect_id)
    with room.store.session() as db:
        assert not db.exec(select(OutboxItem).where(OutboxItem.kind == "person")).all()


def test_the_same_call_offline_on_the_terminals_copy_gives_the_same_floor_and_briefing(
    hub: Hub, control: ControlRoom, settings: Any
) -> None:
    room = control
    incident = _call(room)
    online_ev, online = _floor_and_briefing(room, incident, settings)
    hub.stop()
    try:
        reopened_ev, reopened = _floor_and_briefing(room, incident, settings)  # hub away
        assert room.source.name == "local"  # the hub did not answer: the store did
        assert reopened_ev.grade_floor_reasons == online_ev.grade_floor_reasons
        assert reopened["sections"] == online["sections"]

        offline_call = _call(room)  # matches from the terminal's own copy
        assert room.source.name == "local"
        assert offline_call.victim_id == room.couple.victim_id
        offline_ev, offline = _floor_and_briefing(room, offline_call, settings)
        _assert_whole_record(offline_ev, offline)
        for title in ("Orders", "Weapons", "Markers"):
            assert _section(offline, title) == _section(online, title)
        # the suspect's side, but for his victims: the first call is history for the second
        assert _without_victims(offline) == _without_victims(online)
    finally:
        hub.start()


def test_the_record_endpoint_needs_a_lookup_role_and_knows_nobody_else(
    hub: Hub, control: ControlRoom
) -> None:
    import httpx

    token = hub.enrol("LAPTOP-9")
    url = f"{hub.url}/v1/lookup/people/{control.couple.victim_id}/record"
    refused = httpx.get(url, headers=hub.headers(token, "AD4001"))
    assert refused.status_code == 403
    missing = httpx.get(
        url.replace(control.couple.victim_id, "nobody"), headers=hub.headers(token, "CH1001")
    )
    assert missing.status_code == 404
    record = control.client.person_record(control.couple.victim_id)
    assert {r["id"] for r in record.rows["person"]} >= {
        control.couple.victim_id,
        control.couple.suspect_id,
    }
    assert [o["id"] for o in record.rows["protectiveorder"]] == [control.couple.order_id]
    assert [w["id"] for w in record.rows["warrant"]] == [control.couple.warrant_id]


def test_a_copy_withholds_a_restricted_suspect_from_a_call_handler_not_from_a_supervisor(
    hub: Hub, control: ControlRoom
) -> None:
    import httpx

    from firstresponse.lookup import rebuild_index
    from tests.builders import RESTRICTED_SUMMARY, restricted_case

    with transaction(hub.engine) as db:
        incident = restricted_case(db, "WM-R9")
        rebuild_index(db)
        victim_id, officer_id = incident.victim_id, incident.suspect_id
    handler_copy = control.client.person_record(victim_id)
    text = handler_copy.model_dump_json()
    assert RESTRICTED_SUMMARY not in text and "Hollowmere" not in text
    [kept] = handler_copy.rows["incident"]  # what protects her stays: risk and children
    assert (kept["risk_level"], kept["suspect_id"], kept["restricted"]) == ("high", None, True)
    assert [c["name"] for c in handler_copy.rows["child"]] == ["Kit Testfield"]
    token = hub.enrol("SUPERVISOR-1")
    url = f"{hub.url}/v1/lookup/people/{victim_id}/record"
    full = httpx.get(url, headers=hub.headers(token, "SG3001")).json()
    assert full["rows"]["incident"][0]["suspect_id"] == officer_id
    assert "Hollowmere" in str(full)


def test_the_hubs_history_carries_the_suspects_side(control: ControlRoom) -> None:
    """The history screen shown while choosing names the warrant and markers online too."""
    history = control.client.person_history(control.couple.victim_id)
    [suspect] = history.suspects
    assert suspect.person_id == control.couple.suspect_id
    assert suspect.wanted and suspect.markers == ["violence"]
    assert any(WARRANT_OFFENCE in w for w in suspect.warrants)
    assert any(ORDER_DETAIL in o for o in suspect.orders)
    own = control.client.person_history(control.couple.suspect_id).perpetrator
    assert own is not None and own.wanted
