"""The hub refuses what a terminal may not write, item by item, through its own protocol."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from firstresponse.hub.db import transaction
from firstresponse.records import AuditEvent, Child, Incident, Notification, Review
from tests.hub.support import Hub
from tests.hub.test_ingest import env, incident, person

AT = datetime(2026, 3, 1, 9, tzinfo=UTC)


def _call(hub: Hub, token: str, iid: str, assignee: str = "PC2001", **changes: object) -> None:
    """A call opened by CH1001 and assigned to `assignee`."""
    body = {**incident(iid, f"p-{iid}", "as the caller told it"), "created_by": "CH1001"}
    body.update(changes)
    assignment = {"id": f"as-{iid}", "incident_id": iid, "assignee": assignee, "grade": "priority"}
    with hub.client(token, "CH1001") as client:
        answers = client.push(
            [
                env("person", person(f"p-{iid}")),
                env("incident", body),
                env("assignment", assignment),
            ]
        )
    assert {a.status for a in answers} == {"accepted"}, answers


def test_another_teams_responder_cannot_overwrite_an_incident_or_add_a_child(hub: Hub) -> None:
    token = hub.enrol()
    _call(hub, token, "i-1")
    v2 = {**incident("i-1", "p-i-1", "overwritten"), "created_by": "CH1001"}
    child = Child(id="c-1", incident_id="i-1", name="Child A", age=4).model_dump(mode="json")
    with hub.client(token, "PC2002") as client:  # Response B: not assigned
        answers = client.push([env("incident", v2, version=2), env("child", child)])
    assert [a.status for a in answers] == ["rejected", "rejected"]
    assert all("not PC2002's or assigned" in a.reason for a in answers)
    with transaction(hub.engine) as db:
        assert db.get(Incident, "i-1").summary == "as the caller told it"
        assert db.get(Child, "c-1") is None
    with hub.client(token, "PC2001") as client:  # the assigned officer may
        answers = client.push([env("incident", v2, version=2), env("child", child)])
    assert [a.status for a in answers] == ["accepted", "accepted"]
    with transaction(hub.engine) as db:
        assert db.get(Incident, "i-1").summary == "overwritten"


def test_an_audit_event_in_another_officers_name_is_refused_and_the_rest_lands(hub: Hub) -> None:
    token = hub.enrol()
    forged = AuditEvent(id="e-forged", actor="SG3001", action="view", subject_kind="person")
    honest = AuditEvent(id="e-honest", actor="PC2001", action="view", subject_kind="person")
    with hub.client(token, "PC2001") as client:
        answers = client.push(
            [
                env("audit", forged.model_dump(mode="json")),
                env("audit", honest.model_dump(mode="json")),
            ]
        )
    assert [a.status for a in answers] == ["rejected", "accepted"]
    assert "SG3001" in answers[0].reason
    with transaction(hub.engine) as db:
        rows = db.exec(select(AuditEvent).where(AuditEvent.action == "view")).all()
    assert [(r.actor, r.detail["terminal_event"]) for r in rows] == [("PC2001", "e-honest")]


def test_a_terminal_cannot_notify_professional_standards(hub: Hub) -> None:
    token = hub.enrol()
    _call(hub, token, "i-2")
    note = Notification(
        id="n-1", kind="restricted_access", recipient="PSD", subject_kind="incident",
        subject_id="i-2", body="nothing to see",
    )  # fmt: skip
    with hub.client(token, "PC2001") as client:
        [answer] = client.push([env("notification", note.model_dump(mode="json"))])
    assert answer.status == "rejected" and "raised by the hub" in answer.reason
    with transaction(hub.engine) as db:
        assert db.get(Notification, "n-1") is None


def test_the_hub_raises_psd_and_inspector_notices_once_from_a_restricted_incident(
    hub: Hub,
) -> None:
    token = hub.enrol()
    _call(hub, token, "i-3", restricted=True)
    later = {**incident("i-3", "p-i-3", "graded"), "created_by": "CH1001", "restricted": True}
    with hub.client(token, "CH1001") as client:
        assert client.push([env("incident", later, version=2)])[0].status == "accepted"
    with transaction(hub.engine) as db:
        notes = db.exec(select(Notification).where(Notification.subject_id == "i-3")).all()
    assert sorted((n.recipient, n.kind) for n in notes) == [
        ("PSD", "restricted_flag"),
        ("inspector", "restricted_flag"),
    ]


def test_an_officer_acknowledges_feedback_but_cannot_rewrite_the_review(hub: Hub) -> None:
    token = hub.enrol()
    review = Review(
        id="rv-1", subject_kind="incident", subject_id="i-4", reviewer="SG3001",
        officer="PC2001", outcome="advice", feedback="Record the child's school.",
    )  # fmt: skip
    with hub.client(token, "SG3001") as client:
        assert client.push([env("review", review.model_dump(mode="json"))])[0].status == "accepted"
    acked = review.model_copy(update={"acknowledged_at": AT}).model_dump(mode="json")
    rewritten = review.model_copy(update={"outcome": "no_issues"}).model_dump(mode="json")
    with hub.client(token, "PC2001") as client:
        [bad] = client.push([env("review", rewritten, version=2)])
        [good] = client.push([env("review", acked, version=2)])
    assert (bad.status, good.status) == ("rejected", "accepted"), good.reason
    with transaction(hub.engine) as db:
        stored = db.get(Review, "rv-1")
        assert (stored.outcome, stored.acknowledged_at is not None) == ("advice", True)


def test_a_waiting_child_is_judged_as_its_officer_when_its_incident_arrives(hub: Hub) -> None:
    token = hub.enrol()
    theirs = Child(id="c-5", incident_id="i-5", name="Child B", age=3).model_dump(mode="json")
    mine = Child(id="c-6", incident_id="i-5", name="Child C", age=5).model_dump(mode="json")
    with hub.client(token, "PC2002") as client:
        assert client.push([env("child", theirs)])[0].status == "accepted"  # waits
    with hub.client(token, "PC2001") as client:
        assert client.push([env("child", mine)])[0].status == "accepted"  # waits
    _call(hub, token, "i-5", assignee="PC2001")
    with transaction(hub.engine) as db:
        assert db.get(Child, "c-6") is not None
        assert db.get(Child, "c-5") is None
        [refusal] = db.exec(select(AuditEvent).where(AuditEvent.action == "sync.refused")).all()
    assert (refusal.actor, refusal.subject_id) == ("PC2002", "c-5")
    assert "not PC2002's" in refusal.detail["reason"]


def test_a_restricted_record_opened_on_a_terminal_notifies_psd_from_its_audit_event(
    hub: Hub,
) -> None:
    token = hub.enrol()
    event = AuditEvent(id="e-r", actor="PC2001", action="restricted.redacted",
                       subject_kind="incident", subject_id="i-9")  # fmt: skip
    with hub.client(token, "PC2001") as client:
        for _ in range(2):  # a resend is a duplicate: one notice
            client.push([env("audit", event.model_dump(mode="json"))])
    with transaction(hub.engine) as db:
        [note] = db.exec(select(Notification).where(Notification.subject_id == "i-9")).all()
    assert (note.recipient, note.kind) == ("PSD", "restricted_access")
    assert "PC2001" in note.body
