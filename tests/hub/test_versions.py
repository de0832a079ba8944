"""Records a terminal pulled and then changed go out as a version the hub does not hold:
the children a call named, recorded at the scene; an incident two officers attend."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import select

from firstresponse.hub.db import transaction
from firstresponse.records import Assessment, Child, Incident
from firstresponse.store import outbox
from tests.hub.support import Hub
from tests.hub.test_terminals import (  # noqa: F401  (terminals: the fixture)
    Terminal,
    add_officer,
    attend,
    attended_on_hub,
    graded_call,
    on_hub,
    terminals,
    wait_for,
)


def children_of(store_or_hub: Terminal | Hub, incident_id: str) -> dict[str, Child]:
    engine = store_or_hub.engine if isinstance(store_or_hub, Hub) else store_or_hub.store.engine
    with transaction(engine, read_only=True) as db:
        rows = db.exec(select(Child).where(Child.incident_id == incident_id))
        return {child.name: child for child in rows}


def test_the_children_a_call_named_are_filed_as_the_attending_officer_recorded_them(
    hub: Hub,
    terminals: Callable[[str], Terminal],  # noqa: F811
) -> None:
    control, laptop = terminals("CONTROL-1"), terminals("MDT-1")
    watch = control.sign_in("CH1001")
    incident_id = graded_call(control, "PC2001", children=True)
    watch.sync_now()
    link = laptop.sign_in("PC2001")
    wait_for(lambda: len(children_of(laptop, incident_id)) == 2, 15, "the briefing's children")
    attend(laptop, incident_id, "PC2001")
    link.sync_now()
    wait_for(lambda: attended_on_hub(hub, incident_id), 15, "the attended incident filed")
    with laptop.store.session() as db:
        assert [item.last_error for item in outbox.quarantined(db)] == []
    filed = children_of(hub, incident_id)
    assert sorted(filed) == ["Amy", "Ben"]
    assert all(child.seen and child.spoken_to for child in filed.values())

    watch.sync_now()  # the call handler's copy follows, with the version the hub holds

    def recorded_in_the_control_room() -> bool:
        held = children_of(control, incident_id).values()
        return len(held) == 2 and all(child.seen for child in held)

    wait_for(recorded_in_the_control_room, 15, "the children as recorded, in the control room")
    with control.store.session() as db:
        assert {outbox.next_version(db, child_id) for child_id in filed_ids(filed)} == {3}


def filed_ids(children: dict[str, Child]) -> list[str]:
    return [child.id for child in children.values()]


def test_two_officers_of_a_team_attend_one_incident_and_both_checklists_are_filed(
    hub: Hub,
    terminals: Callable[[str], Terminal],  # noqa: F811
) -> None:
    add_officer(hub, "PC2003", "Response A")
    control, first, second = terminals("CONTROL-2"), terminals("MDT-2"), terminals("MDT-3")
    watch = control.sign_in("CH1001")
    incident_id = graded_call(control, "Response A")
    watch.sync_now()
    links = [first.sign_in("PC2001"), second.sign_in("PC2003")]
    for laptop in (first, second):
        wait_for(lambda on=laptop: local(on, incident_id) is not None, 15, "the team's briefing")
    first_checklist = attend(first, incident_id, "PC2001")
    links[0].sync_now()
    wait_for(lambda: attended_on_hub(hub, incident_id), 15, "the first officer's attendance")

    def attended_on_second() -> bool:
        links[1].sync_now()
        held = local(second, incident_id)
        return held is not None and held.status == "attended"

    wait_for(attended_on_second, 15, "the attended incident on the second officer's laptop")
    second_checklist = attend(second, incident_id, "PC2003", relationship="ex_intimate")
    links[1].sync_now()
    wait_for(lambda: on_hub(hub, Assessment, second_checklist), 15, "the second checklist")
    for laptop in (first, second):
        with laptop.store.session() as db:
            assert [item.last_error for item in outbox.quarantined(db)] == []
    assert on_hub(hub, Assessment, first_checklist)

    def newest_outcome() -> bool:
        with transaction(hub.engine, read_only=True) as db:
            incident = db.get(Incident, incident_id)
            return incident is not None and incident.relationship == "ex_partner"

    wait_for(newest_outcome, 15, "the second officer's outcome on the hub's incident")


def local(laptop: Terminal, incident_id: str) -> Incident | None:
    with laptop.store.session() as db:
        return db.get(Incident, incident_id)
