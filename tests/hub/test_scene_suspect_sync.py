"""Issue 25: the suspect identified at the scene reaches the hub and the supervisor. The call
handler made the incident (version 1); the responding officer's terminal names the suspect
(a new version of that incident, and the new person), the hub accepts it from them, and
the feed brings both to the supervisor. "Not identified" travels as a decision."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlmodel import select

from firstresponse.calls.scene_suspect import NewSuspect, set_suspect, suspect_not_identified
from firstresponse.hub.db import transaction
from firstresponse.hub.models import HubEnvelope
from firstresponse.records import Decision, Incident, Person, Role, User
from firstresponse.store import Store, outbox
from firstresponse.sync.push import push_outbox
from tests.hub.support import Hub
from tests.hub.test_followup_sync import dispatch, officer, pull_until


def _incident_versions(hub: Hub, incident_id: str) -> list[int]:
    with transaction(hub.engine) as db:
        rows = db.exec(select(HubEnvelope).where(HubEnvelope.record_id == incident_id))
        return sorted(row.version for row in rows)


def test_the_officers_suspect_reaches_the_hub_and_the_supervisor(hub: Hub, tmp_path: Path) -> None:
    control = Store(tmp_path / "control.db")
    incident_id = dispatch(control, "PC2001")  # the call handler names no suspect
    with hub.client(hub.enrol(), "CH1001") as client:
        assert push_outbox(control, client).accepted == 3

    laptop = Store(tmp_path / "pc2001.db")
    me = officer(laptop, "PC2001", Role.RESPONDER, "Response A")
    with hub.client(hub.enrol(), "PC2001") as client:
        pull_until(laptop, client, Incident, incident_id)
        found = NewSuspect("Rex", "Scene-Test", date(1988, 5, 1), "3 Test Lane")
        rex = set_suspect(laptop, me, incident_id, new=found)
        result = push_outbox(laptop, client)
        assert (result.accepted, result.quarantined) == (2, 0)  # the person, the incident
        with laptop.session() as db:
            assert outbox.waiting(db) == [] and outbox.quarantined(db) == []
    with transaction(hub.engine) as db:
        stored = db.get(Incident, incident_id)
        assert stored is not None and stored.suspect_id == rex.id
        assert stored.created_by == "CH1001"  # still the call handler's incident
        assert db.get(Person, rex.id) is not None
    assert _incident_versions(hub, incident_id)[-1] >= 2

    supervisor = Store(tmp_path / "sg3001.db")
    with hub.client(hub.enrol(), "SG3001") as client:
        pull_until(supervisor, client, Person, rex.id)
        pull_until(supervisor, client, Incident, incident_id)
    with supervisor.session() as db:
        held = db.get(Incident, incident_id)
        assert held is not None and held.suspect_id == rex.id
        person = db.get(Person, rex.id)
        assert person is not None and (person.surname, person.dob) == (
            "Scene-Test",
            date(1988, 5, 1),
        )


def test_not_identified_reaches_the_supervisor_as_a_decision(hub: Hub, tmp_path: Path) -> None:
    control = Store(tmp_path / "control.db")
    incident_id = dispatch(control, "PC2001")
    with hub.client(hub.enrol(), "CH1001") as client:
        assert push_outbox(control, client).accepted == 3

    laptop = Store(tmp_path / "pc2001.db")
    me = officer(laptop, "PC2001", Role.RESPONDER, "Response A")
    with hub.client(hub.enrol(), "PC2001") as client:
        pull_until(laptop, client, Incident, incident_id)
        decision = suspect_not_identified(
            laptop, me, incident_id, "She will not name him; he left before we arrived"
        )
        assert push_outbox(laptop, client).accepted == 1

    supervisor = Store(tmp_path / "sg3001.db")
    with supervisor.session() as db:
        db.add(User(collar="SG3001", name="Test", role=Role.SUPERVISOR, team="Response A"))
    with hub.client(hub.enrol(), "SG3001") as client:
        pull_until(supervisor, client, Decision, decision.id)
    with supervisor.session() as db:
        held = db.get(Decision, decision.id)
        assert held is not None
        assert (held.kind, held.incident_id, held.made_by) == (
            "suspect_not_identified", incident_id, "PC2001"
        )  # fmt: skip
