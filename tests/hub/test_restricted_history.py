"""A restricted case fetched through the hub: suspect withheld from call handlers, PSD told."""

from __future__ import annotations

import httpx
from sqlmodel import select

from firstresponse.hub.db import transaction
from firstresponse.lookup import rebuild_index
from firstresponse.records import AuditEvent, Notification
from tests.builders import RESTRICTED_SUMMARY, restricted_case
from tests.hub.support import Hub

SECRET = RESTRICTED_SUMMARY


def _seed(hub: Hub) -> str:
    with transaction(hub.engine) as db:
        incident = restricted_case(db, "WM-R1")
        rebuild_index(db)
        return incident.victim_id


def _history(hub: Hub, token: str, collar: str, person_id: str) -> str:
    headers = hub.headers(token, collar)
    response = httpx.get(f"{hub.url}/v1/lookup/people/{person_id}", headers=headers)
    assert response.status_code == 200, response.text
    return response.text


def test_call_handler_sees_safeguarding_but_not_the_restricted_suspect(hub: Hub) -> None:
    victim_id = _seed(hub)
    token = hub.enrol("MDT-R")
    seen = _history(hub, token, "CH1001", victim_id)
    assert "Hollowmere" not in seen and SECRET not in seen
    assert "Kit Testfield" in seen and "high" in seen
    supervisor_view = _history(hub, token, "SG3001", victim_id)
    assert "Hollowmere" in supervisor_view
    with transaction(hub.engine) as db:
        psd = db.exec(select(Notification).where(Notification.recipient == "PSD")).all()
        assert len(psd) >= 2
        views = db.exec(select(AuditEvent).where(AuditEvent.subject_id == victim_id)).all()
        assert {e.actor for e in views} >= {"CH1001", "SG3001"}
