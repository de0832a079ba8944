"""Who the feed sends each record about an incident to (hub.followup_feed), without a hub."""

from __future__ import annotations

from types import SimpleNamespace

from firstresponse.hub.followup_feed import about_incident, incident_of
from firstresponse.hub.models import EVERYONE, RESTRICTED
from firstresponse.records import Assessment, Decision, Kind, ProtectiveOrder, Review

OPEN = SimpleNamespace(restricted=False, created_by="CH1001")
SECRET = SimpleNamespace(restricted=True, created_by="CH1001")
TEAM = {"PC2001", "Response A"}


def decision() -> Decision:
    return Decision(incident_id="i1", kind="child_not_seen", reason="asleep", made_by="PC2009")


def test_a_decision_goes_where_its_incident_goes_and_to_whoever_made_it() -> None:
    assert about_incident(Kind.DECISION, decision(), OPEN, TEAM) == [
        EVERYONE, "PC2001", "Response A", "PC2009",
    ]  # fmt: skip
    # restricted: only where restricted records may go (supervisors), never the call handler
    assert about_incident(Kind.DECISION, decision(), SECRET, TEAM) == [
        RESTRICTED, "PC2001", "Response A", "PC2009",
    ]  # fmt: skip


def test_a_review_goes_to_the_officer_reviewed_and_an_unknown_incident_stays_restricted() -> None:
    review = Review(subject_kind="incident", subject_id="i9", reviewer="SG3001", officer="PC2001")
    assert incident_of(Kind.REVIEW, review) == "i9"
    assert about_incident(Kind.REVIEW, review, None, set()) == [RESTRICTED, "PC2001"]
    other = Review(subject_kind="assessment", subject_id="a1", reviewer="SG3001")
    assert incident_of(Kind.REVIEW, other) is None


def test_an_order_with_no_incident_is_history_for_every_reader_of_the_lookup() -> None:
    order = ProtectiveOrder(kind="restraining_order", subject_id="p1", protected_id="p2")
    assert about_incident(Kind.ORDER, order, None, set()) == [EVERYONE]


def test_a_draft_assessment_goes_nowhere() -> None:
    draft = Assessment(incident_id="i1", checklist_id="risk", checklist_version="1",
                       checklist_hash="x", status="draft", author="PC2001")  # fmt: skip
    assert about_incident(Kind.ASSESSMENT, draft, OPEN, TEAM) == []
