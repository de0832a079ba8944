"""The terminal's sign-in screen path (session.signin.sign_in) with a hub: an officer who
signed in here before is signed in by key, and everything else still reaches the PIN."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import col, select

from firstresponse.config import Settings
from firstresponse.hub import attempts
from firstresponse.hub.auth import revoke_sessions
from firstresponse.hub.db import transaction
from firstresponse.hub.models import HubSession, HubSignInAttempt, HubSigningKey
from firstresponse.records import User
from firstresponse.security.pins import hash_pin
from firstresponse.security.users import SignInError
from firstresponse.session.signin import sign_in
from firstresponse.store import Store
from tests.hub.support import PIN, Hub


@pytest.fixture
def laptop(hub: Hub, tmp_path: Path) -> Iterator[tuple[Store, Settings]]:
    settings = Settings(
        data_dir=tmp_path,
        config_dir=tmp_path / "cfg",
        hub_url=hub.url,
        device_token=hub.enrol("MDT-KEY"),
    )
    store = Store(tmp_path / "terminal.db")
    yield store, settings
    store.close()


class PinChecks:
    """Counts the PINs the hub verifies with Argon2."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = attempts.verify_pin

        def counted(stored: str, pin: str) -> bool:
            self.count += 1
            return real(stored, pin)

        monkeypatch.setattr(attempts, "verify_pin", counted)


def keys(hub: Hub) -> int:
    with transaction(hub.engine) as db:
        return len(db.exec(select(HubSigningKey)).all())


def test_the_second_sign_in_on_a_terminal_is_by_key_and_the_session_works(
    hub: Hub, laptop: tuple[Store, Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, settings = laptop
    checks = PinChecks(monkeypatch)
    first = sign_in(store, settings, "PC2001", PIN)
    assert first.online and checks.count == 1 and keys(hub) == 1
    again = sign_in(store, settings, "pc2001", PIN)
    assert again.online and again.session is not None
    assert checks.count == 1 and keys(hub) == 1  # no PIN checked, no new key
    assert again.attestor.key_id == first.attestor.key_id and again.attestor.key is not None
    with transaction(hub.engine) as db:
        assert len(db.exec(select(HubSession)).all()) == 2


def test_a_wrong_pin_on_a_terminal_still_goes_to_the_hub_and_counts(
    hub: Hub, laptop: tuple[Store, Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, settings = laptop
    sign_in(store, settings, "PC2001", PIN)
    checks = PinChecks(monkeypatch)
    with pytest.raises(SignInError, match="attempt"):
        sign_in(store, settings, "PC2001", "0000")
    assert checks.count == 1  # the key did not unwrap: the hub checked the PIN
    with transaction(hub.engine) as db:
        wrong = db.exec(select(HubSignInAttempt).where(col(HubSignInAttempt.ok).is_(False)))
        assert len(wrong.all()) == 1


def test_after_a_pin_reset_the_old_pin_is_refused_and_the_new_one_signs_in(
    hub: Hub, laptop: tuple[Store, Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, settings = laptop
    sign_in(store, settings, "PC2001", PIN)
    with transaction(hub.engine) as db:
        user = db.exec(select(User).where(col(User.collar) == "PC2001")).one()
        user.pin_hash = hash_pin("8642")
        db.add(user)
        revoke_sessions(db, user_id=user.id, reason="PIN changed")
    checks = PinChecks(monkeypatch)
    with pytest.raises(SignInError):
        sign_in(store, settings, "PC2001", PIN)  # unwraps here, but the hub revoked the key
    assert checks.count == 1  # so the old PIN went to the hub, which refused it
    signed = sign_in(store, settings, "PC2001", "8642")
    assert signed.online and checks.count == 2 and keys(hub) == 2  # a new key registered
    assert sign_in(store, settings, "PC2001", "8642").online and checks.count == 2


def test_a_key_the_hub_does_not_hold_falls_back_to_the_pin(
    hub: Hub, laptop: tuple[Store, Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The terminal's wrapped key is not the one registered (say, its store was restored
    from elsewhere): the signature is refused, and the right PIN still signs in."""
    from firstresponse.records.terminal import TerminalCredential
    from firstresponse.sync import attest

    store, settings = laptop
    sign_in(store, settings, "PC2001", PIN)
    with store.session() as db:
        credential = db.get(TerminalCredential, "PC2001")
        assert credential is not None
        credential.wrapped_key = attest.wrap(attest.new_key(), PIN)
        db.add(credential)
    checks = PinChecks(monkeypatch)
    signed = sign_in(store, settings, "PC2001", PIN)
    assert signed.online and checks.count == 1 and keys(hub) == 2  # by PIN, a new key
    assert sign_in(store, settings, "PC2001", PIN).online and checks.count == 1  # by key
