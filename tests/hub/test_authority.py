"""Authority ends with the officer: deactivation, a new PIN and a lock revoke every key the
officer registered, on every device, at once. What they signed before is still filed when
it arrives; what is signed after is refused and quarantined on the terminal (real hub)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import select

from firstresponse.cli import main
from firstresponse.hub.db import transaction
from firstresponse.hub.models import HubSigningKey
from firstresponse.records import Incident, OutboxItem, User
from firstresponse.security.pins import hash_pin
from firstresponse.session.signin import sign_in
from firstresponse.store import outbox
from firstresponse.sync import attest
from tests.hub.support import PIN, Hub
from tests.hub.test_terminals import Terminal, call_with_assignment, envelope, terminals, wait_for

__all__ = ["terminals"]  # the fixture, used below


def add_responder(hub: Hub, collar: str) -> None:
    with transaction(hub.engine) as db:
        db.add(User(collar=collar, name=f"Test {collar}", role="responder", pin_hash=hash_pin(PIN)))


def run_users(hub: Hub, *argv: str) -> None:
    code = main(["users", *argv, "--hub-db", hub.target, "--as", "AD4001", "--pin", PIN])
    assert code == 0


def keys_of(hub: Hub, collar: str) -> list[HubSigningKey]:
    with transaction(hub.engine, read_only=True) as db:
        return list(db.exec(select(HubSigningKey).where(HubSigningKey.collar == collar)))


def call_offline(laptop: Terminal, collar: str) -> str:
    """`collar` signs in on the laptop while the hub is away and takes a call (signed with
    the key kept from their last online sign-in); returns the incident's id."""
    signed = sign_in(laptop.store, laptop.settings, collar, PIN)
    assert not signed.online and signed.attestor.key is not None
    attest.attest_as(laptop.store.engine, signed.attestor)
    try:
        return call_with_assignment(laptop.store, assign=False, author=collar)
    finally:
        attest.attest_as(laptop.store.engine, None)


@pytest.mark.parametrize(
    ("verb", "why"),
    [
        (["deactivate"], "PX5002 deactivated"),
        (["lock"], "PX5002 locked"),
        (["reset-pin", "--new-pin", "8642"], "a new PIN"),
    ],
)
def test_records_signed_before_a_revocation_are_filed_and_after_it_refused(
    hub: Hub, terminals: Callable[[str], Terminal], verb: list[str], why: str
) -> None:
    add_responder(hub, "PX5002")
    laptop, other = terminals("MDT-A"), terminals("MDT-B")
    for terminal in (laptop, other):  # PX5002 has a key on two devices
        sign_in(terminal.store, terminal.settings, "PX5002", PIN)
    hub.stop()
    before = call_offline(laptop, "PX5002")  # made with authority, offline
    hub.start()
    run_users(hub, verb[0], "PX5002", *verb[1:])
    keys = keys_of(hub, "PX5002")
    assert len(keys) == 2 and all(key.revoked_at is not None for key in keys)  # both devices
    assert len({key.revoked_at for key in keys}) == 1  # at one moment
    hub.stop()
    after = call_offline(laptop, "PX5002")  # the laptop has not heard: signed after
    hub.start()

    link = laptop.sign_in("PC2001")  # the next shift pushes both
    wait_for(lambda: link.status.waiting == 0 and link.status.connected, 30, "all answered")
    row = envelope(hub, before)
    assert row is not None and (row.pushed_by, row.sent_by) == ("PX5002", "PC2001")
    assert envelope(hub, after) is None
    with laptop.store.session() as db:
        refused = {row.record_id: row.last_error for row in outbox.quarantined(db)}
    assert after in refused and before not in refused
    assert "with PX5002's key, revoked at" in refused[after] and why in refused[after]
    with transaction(hub.engine, read_only=True) as db:
        assert db.get(Incident, before) is not None and db.get(Incident, after) is None


def signed_the_old_way(hub: Hub, laptop: Terminal, collar: str) -> str:
    """`collar` takes a call offline, signed as terminals did before the time was signed
    (v1: no time), with the key of their last online sign-in; returns the incident's id."""
    key = sign_in(laptop.store, laptop.settings, collar, PIN).attestor.key
    assert key is not None
    hub.stop()
    made = call_offline(laptop, collar)
    with laptop.store.session() as db:
        for row in db.exec(select(OutboxItem).where(OutboxItem.author == collar)):
            fields = (row.key_id, row.author, row.kind, row.record_id, row.version)
            row.signature = attest.b64(key.sign(attest.message(*fields, row.content_hash)))
            db.add(row)
    hub.start()
    return made


def test_a_record_that_does_not_say_when_it_was_signed_is_refused_once_revoked(
    hub: Hub, terminals: Callable[[str], Terminal]
) -> None:
    """The hub cannot tell it came before the revocation: refused, not filed on trust."""
    add_responder(hub, "PX5003")
    laptop = terminals("MDT-C")
    made = signed_the_old_way(hub, laptop, "PX5003")
    run_users(hub, "deactivate", "PX5003")
    link = laptop.sign_in("PC2001")
    wait_for(lambda: link.status.waiting == 0 and link.status.connected, 30, "all answered")
    with laptop.store.session() as db:
        refused = {row.record_id: row.last_error for row in outbox.quarantined(db)}
    assert "the record does not say when it was signed" in refused[made]
    assert envelope(hub, made) is None


def test_an_unrevoked_key_signs_as_before_and_a_v1_signature_still_verifies(
    hub: Hub, terminals: Callable[[str], Terminal]
) -> None:
    add_responder(hub, "PX5004")
    laptop = terminals("MDT-D")
    made = signed_the_old_way(hub, laptop, "PX5004")
    link = laptop.sign_in("PC2001")
    wait_for(lambda: envelope(hub, made) is not None, 30, "filed")
    row_on_hub = envelope(hub, made)
    assert row_on_hub is not None and row_on_hub.pushed_by == "PX5004"
    assert link.status.quarantined == 0
