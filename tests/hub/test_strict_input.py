"""Strict bodies and valid text on the hub: unknown fields are refused by name for every
kind, a lone surrogate is a 422 naming its field on every route (never a 500), and a
record the hub refuses is quarantined on the terminal, never retried (real hub)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlmodel import func, select

from firstresponse.hub.db import transaction
from firstresponse.hub.models import HubEnvelope
from firstresponse.records import Kind, OutboxItem, Person
from firstresponse.store import Store, outbox
from firstresponse.sync.protocol import API
from firstresponse.sync.push import push_outbox
from tests.hub.support import PIN, Hub
from tests.hub.test_ingest import env, person

SURROGATE = '"\\ud800"'  # JSON spelling a lone surrogate: valid JSON, not valid text


def stored_envelopes(hub: Hub) -> int:
    with transaction(hub.engine) as db:
        return int(db.exec(select(func.count()).select_from(HubEnvelope)).one())


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_refuses_unknown_fields_by_name(hub: Hub, kind: Kind) -> None:
    body = {"id": f"{kind}-1", "nickname": "Rhea", "x_extra": "y"}
    with hub.client(hub.enrol()) as client:
        (answer,) = client.push([env(kind, body)])
    assert answer.status == "rejected" and answer.code == 422
    assert f"{kind} is not valid: unknown fields nickname, x_extra" in answer.reason
    assert stored_envelopes(hub) == 0


def test_unknown_fields_are_refused_whatever_their_number_or_size(hub: Hub) -> None:
    heavy = {**person("p-heavy"), **{f"extra{n}": "x" * 240_000 for n in range(40)}}
    many = {**person("p-many"), **{f"f{n}": "y" * 200 for n in range(45_000)}}
    with hub.client(hub.enrol()) as client:
        answers = [client.push([env("person", body)])[0] for body in (heavy, many)]
        (fine,) = client.push([env("person", person("p-fine"))])
    assert [a.status for a in answers] == ["rejected", "rejected"]
    assert (
        "unknown fields extra0, extra1, extra10, extra11, extra12 and 35 more" in answers[0].reason
    )
    assert "and 44,995 more" in answers[1].reason
    assert fine.status == "accepted"
    with transaction(hub.engine) as db:
        bodies = db.exec(select(HubEnvelope.body)).all()
    assert len(bodies) == 1 and len(bodies[0]) < 2_000  # nothing unvalidated was stored


def raw_post(hub: Hub, path: str, body: str, headers: dict[str, str]) -> httpx.Response:
    headers = {**headers, "Content-Type": "application/json"}
    return httpx.post(hub.url + API + path, content=body.encode(), headers=headers, timeout=30)


def test_a_lone_surrogate_is_a_422_naming_the_field_on_every_route(hub: Hub) -> None:
    token = hub.enrol()
    device = {"X-Device-Token": token}
    signed = hub.headers(token)
    body_text = (
        '{"envelopes": [{"id": "p-1", "kind": "person", "content_hash": "' + "0" * 64 + '",'
        ' "body": {"id": "p-1", "forename": ' + SURROGATE + "}}]}"
    )
    probes = {
        "/sessions": ('{"collar": ' + SURROGATE + ', "pin": "1234"}', {}, "collar"),
        "/sessions#pin": ('{"collar": "PC2001", "pin": ' + SURROGATE + "}", {}, "pin"),
        "/sessions/ended": ('{"sessions": [' + SURROGATE + "]}", {}, "sessions.0"),
        "/push": (body_text, signed, "envelopes.0.body.forename"),
    }
    for path, (text, headers, field) in probes.items():
        answer = raw_post(hub, path.partition("#")[0], text, {**device, **headers})
        assert answer.status_code == 422, (path, answer.text)
        assert answer.json()["detail"].startswith(f"{field} is not valid text"), answer.text
    for query in ("%ED%A0%80", "%F0%9F%98"):  # a surrogate's bytes, a cut-off character
        url = f"{hub.url}{API}/lookup/search?q={query}"
        assert httpx.get(url, headers=signed).status_code < 500
    assert stored_envelopes(hub) == 0
    assert raw_post(hub, "/push", '{"envelopes": []}', signed).status_code == 200  # still up
    assert hub.headers(token, "PC2001", PIN)["X-Session"]  # and sign-in still works


def test_a_record_with_a_lone_surrogate_is_quarantined_not_retried(
    hub: Hub, tmp_path: Path
) -> None:
    """A damaged outbox row is quarantined with the reason and the rest go on; the hub's
    422 (above) does the same for one that reaches it, where its 500 was retried for ever."""
    store = Store(tmp_path / "t.db")
    try:
        with store.session() as db:
            outbox.enqueue_record(db, Person(id="p-good", forename="Rhea", surname="Marlow"))
            outbox.enqueue_record(db, Person(id="p-odd", forename="Rhea", surname="Marlow"))
            db.flush()
            odd = db.exec(select(OutboxItem).where(OutboxItem.record_id == "p-odd")).one()
            odd.body = odd.body.replace('"Rhea"', SURROGATE)  # as a damaged row would read
            db.add(odd)
        with hub.client(hub.enrol()) as client:
            first = push_outbox(store, client)
            again = push_outbox(store, client)
        assert (first.accepted, first.quarantined, first.stopped) == (1, 1, "")
        assert (again.sent, again.quarantined) == (0, 0)  # nothing left to retry
        with store.session() as db:
            (row,) = outbox.quarantined(db)
        assert row.record_id == "p-odd" and "surrogate" in row.last_error
    finally:
        store.close()


def test_the_hub_holds_names_and_times_to_the_one_rule(hub: Hub) -> None:
    incident = {
        "id": "i-9999",
        "reference": "R-9999",
        "occurred_at": "9999-01-01T00:00:00+00:00",
        "victim_id": "p-ok",
    }
    bad = {
        "p-formula": {"forename": '=HYPERLINK("http://x")'},
        "p-sum": {"surname": "=1+1"},
        "p-rlm": {"forename": "Rhea\u200f"},
        "p-alm": {"surname": "Mar\u061clow"},
        "p-zwsp": {"forename": "Rh\u200bea"},
        "p-lsep": {"surname": "Mar\u2028low"},
    }
    batch = [env("person", {**person(pid), **fields}) for pid, fields in bad.items()]
    batch += [env("person", person("p-ok")), env("incident", {**incident_body(), **incident})]
    with hub.client(hub.enrol()) as client:
        answers = {a.id: a for a in client.push(batch)}
    assert answers["p-ok"].status == "accepted"
    assert "formula" in answers["p-formula"].reason and "formula" in answers["p-sum"].reason
    for pid, char in (("p-rlm", "200F"), ("p-alm", "061C"), ("p-zwsp", "200B"), ("p-lsep", "2028")):
        assert answers[pid].status == "rejected" and f"U+{char}" in answers[pid].reason
    assert "occurred_at 9999-01-01" in answers["i-9999"].reason
    assert "in the future" in answers["i-9999"].reason


def incident_body() -> dict:
    from tests.hub.test_ingest import incident

    return incident("i-9999", "p-ok")
