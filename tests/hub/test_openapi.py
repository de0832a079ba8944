"""The hub's OpenAPI spec: served, complete, and fuzzed with schemathesis (no 5xx)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from firstresponse.hub.kinds import KINDS
from firstresponse.records import content_hash
from firstresponse.sync.protocol import Envelope
from tests.hub.support import Hub

EXPECTED_PATHS = {
    "/v1/health": {"get"},
    "/v1/whoami": {"get"},
    "/v1/push": {"post"},
    "/v1/pull": {"get"},
    "/v1/roster": {"get"},
    "/v1/lookup/search": {"get"},
    "/v1/lookup/people/{person_id}": {"get"},
    "/v1/lookup/people/{person_id}/record": {"get"},
    "/v1/audit/head": {"get"},
    "/v1/device": {"get"},
    "/v1/sessions": {"post", "delete"},
    "/v1/sessions/ended": {"post"},
    "/v1/sessions/challenge": {"get"},
    "/v1/sessions/key": {"post"},
    "/v1/users": {"get"},
    "/v1/held": {"get"},
}


def test_spec_lists_every_endpoint_and_protocol_schema(hub: Hub) -> None:
    spec = httpx.get(hub.url + "/openapi.json", timeout=30).json()
    assert {p: set(ops) for p, ops in spec["paths"].items()} == EXPECTED_PATHS
    schemas = spec["components"]["schemas"]
    envelope = schemas["Envelope"]
    assert set(envelope["required"]) == {"id", "kind", "content_hash", "body"}
    assert envelope["properties"]["content_hash"]["pattern"] == "^[0-9a-f]{64}$"
    item = schemas["ItemResult"]["properties"]["status"]
    assert set(item["enum"]) == {"accepted", "duplicate", "conflict", "rejected"}
    assert "PullResponse" in schemas and "PushResponse" in schemas
    push = spec["paths"]["/v1/push"]["post"]
    assert {"200", "401", "403", "422"} <= set(push["responses"])
    params = {p["name"] for p in push["parameters"]}
    assert {"x-device-token", "x-session"} <= params
    assert "x-pin" not in params  # the PIN goes only to POST /v1/sessions, once
    assert "/v1/sessions" in spec["paths"]


def test_every_route_answers_with_a_named_model(hub: Hub) -> None:
    """Typed responses throughout: each 200 is a component schema, lookup included."""
    spec = httpx.get(hub.url + "/openapi.json").json()
    answers = {
        path: ops["get" if "get" in ops else "post"]["responses"]["200"]["content"][
            "application/json"
        ]["schema"].get("$ref", "")
        for path, ops in spec["paths"].items()
    }
    assert answers == {
        "/v1/health": "#/components/schemas/Health",
        "/v1/whoami": "#/components/schemas/WhoAmI",
        "/v1/push": "#/components/schemas/PushResponse",
        "/v1/pull": "#/components/schemas/PullResponse",
        "/v1/roster": "#/components/schemas/RosterResponse",
        "/v1/lookup/search": "#/components/schemas/LookupResults",
        "/v1/lookup/people/{person_id}": "#/components/schemas/PersonHistory",
        "/v1/lookup/people/{person_id}/record": "#/components/schemas/PersonRecord",
        "/v1/audit/head": "#/components/schemas/AuditHead",
        "/v1/device": "#/components/schemas/DeviceInfo",
        "/v1/sessions": "#/components/schemas/SessionGrant",
        "/v1/sessions/ended": "#/components/schemas/SessionsEnded",
        "/v1/sessions/challenge": "#/components/schemas/SignInChallenge",
        "/v1/sessions/key": "#/components/schemas/SessionGrant",
        "/v1/users": "#/components/schemas/UsersResponse",
        "/v1/held": "#/components/schemas/HeldResponse",
    }
    match = spec["components"]["schemas"]["LookupMatch"]
    assert {"person_id", "name"} <= set(match["required"])


@pytest.fixture
def hub_schema(hub: Hub) -> Iterator[schemathesis.BaseSchema]:
    hub.session = hub.headers(hub.enrol("fuzzer"), "CH1001")  # type: ignore[attr-defined]
    yield schemathesis.openapi.from_url(hub.url + "/openapi.json")


schema = schemathesis.pytest.from_fixture("hub_schema")
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_fuzz_signed_in(case: schemathesis.Case, hub: Hub) -> None:
    """Generated bodies and parameters from a signed-in call handler: never a 5xx."""
    headers = hub.session  # type: ignore[attr-defined]
    case.call_and_validate(headers=headers, checks=CHECKS)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_fuzz_anonymous(case: schemathesis.Case) -> None:
    """Generated headers too (mostly not signed in): refused cleanly, never a 5xx."""
    case.call_and_validate(checks=[not_a_server_error])


_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)  # includes NUL and other control characters
    | st.sampled_from(["2026-01-01T10:00:00Z", "2026-02-30", "p-1", "i-1", ""])
)
_values = st.recursive(_scalars, lambda kids: st.lists(kids, max_size=3), max_leaves=5)


NOW = "2026-01-01T00:00:00Z"
P1 = {"id": "p-1", "forename": "Fuzz", "surname": "Parent"}
I1 = {"id": "i-1", "reference": "FUZZ-1", "occurred_at": NOW, "victim_id": "p-1"}
VALID = {  # a valid body of each kind, before hostile values are mixed in
    "person": {"forename": "Ann", "surname": "Fuzz"},
    "marker": {"person_id": "p-1", "marker": "language_need", "source": "call"},
    "person_link": {"person_id": "p-1", "other_id": "p-2", "status": "confirmed"},
    "incident": {"reference": "F", "occurred_at": NOW, "victim_id": "p-1"},
    "child": {"incident_id": "i-1", "name": "Kit"},
    "order": {"kind": "dvpn", "subject_id": "p-1", "incident_id": "i-1"},
    "assessment": {"checklist_id": "risk", "checklist_version": "1", "checklist_hash": "h"},
    "decision": {"kind": "no_arrest", "reason": "r", "incident_id": "i-1"},
    "assignment": {"incident_id": "i-1", "assignee": "PC2001"},
    "review": {"subject_kind": "assessment", "subject_id": "a", "reviewer": "SG3001"},
    "notification": {"kind": "psd", "recipient": "PSD"},
    "audit": {"actor": "SG3001", "action": "view"},
    "highriskreview": {
        "incident_id": "i-1", "reviewer": "SG3001", "submitted_at": NOW, "due_by": NOW,
        "level_before": "high", "decision": "confirm", "level_after": "high", "reason": "r",
    },
    "caseoutcome": {"incident_id": "i-1", "outcome": "charged", "decided_at": NOW},
    "orderoutcome": {
        "order_id": "o-1", "outcome": "granted", "outcome_on": "2026-01-12", "decided_at": NOW,
    },
    "victimcontact": {
        "incident_id": "i-1", "due_key": "initial", "made_at": NOW, "method": "phone",
        "outcome": "spoke", "made_by": "PC2001",
    },
    "dvdsapplication": {
        "reference": "D", "route": "right_to_ask", "received_at": NOW, "victim_name": "V",
        "subject_name": "S",
    },
    "dvdsstep": {"application_id": "d-1", "step": "meeting", "done_at": NOW},
}  # fmt: skip


@st.composite
def _envelopes(draw: st.DrawFn) -> dict:
    kind = draw(st.sampled_from(sorted(KINDS)))
    fields = sorted(set(KINDS[kind].model.model_fields) - {"id"})
    hostile = draw(st.dictionaries(st.sampled_from(fields), _values, max_size=2))
    body = {**VALID[kind], **hostile, "id": draw(st.sampled_from(["f-1", "f-2", "f-3", "f-4"]))}
    if kind == "incident" and "reference" not in hostile:
        body["reference"] = f"F-{body['id']}"
    if kind == "dvdsapplication" and "reference" not in hostile:
        body["reference"] = f"D-{body['id']}"
    return {
        "id": body["id"],
        "kind": kind,
        "version": draw(st.integers(1, 3)),
        "content_hash": content_hash(body),
        "body": body,
    }


def test_fuzz_known_kinds_with_hostile_bodies(hub: Hub) -> None:
    """Envelopes of every kind with hostile field values: each answered, never a 5xx."""
    token = hub.enrol()
    headers = hub.headers(token, "SG3001")
    with hub.client(token, "CH1001") as client:  # parents for the generated children
        client.push(
            [
                Envelope(id="p-1", kind="person", content_hash=content_hash(P1), body=P1),
                Envelope(id="i-1", kind="incident", content_hash=content_hash(I1), body=I1),
            ]
        )
    seen: set[str] = set()
    with httpx.Client(base_url=hub.url + "/v1", headers=headers, timeout=30) as http:

        @given(st.lists(_envelopes(), min_size=1, max_size=6))
        @settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
        def check(batch: list[dict]) -> None:
            response = http.post("/push", json={"envelopes": batch})
            assert response.status_code == 200, response.text
            statuses = [r["status"] for r in response.json()["results"]]
            assert len(statuses) == len(batch)
            seen.update(statuses)

        check()
        assert http.get("/health").json()["status"] == "ok"
    assert {"accepted", "rejected", "duplicate", "conflict"} <= seen
