"""`firstresponse demo --with-hub`: the demo hub is seeded with the demo's shared history
and its officers' records, so the demo terminal's outbox drains with nothing refused or
held, whoever signs in first.

Every wait here is a wait for a condition (polled), never a fixed sleep.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import col, func, select

from firstresponse.commands.demo_hub import prepare_demo_hub
from firstresponse.config import Settings
from firstresponse.demo import seed as demo
from firstresponse.hub.db import transaction
from firstresponse.hub.models import HubEnvelope
from firstresponse.records import OutboxItem, Person
from firstresponse.session.link import SyncLink
from firstresponse.session.signin import sign_in
from firstresponse.store import Store
from firstresponse.store.outbox import ACKNOWLEDGED, PENDING
from tests.hub.support import PIN, Hub
from tests.hub.test_terminals import wait_for


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setattr(demo, "DEMO_PEOPLE", 300)  # the history's size does not matter here
    return Settings(data_dir=tmp_path, config_dir=tmp_path / "cfg", sync_interval_seconds=2)


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    seeded = demo.prepare_demo_store(settings)
    yield seeded
    seeded.close()


def statuses(store: Store) -> dict[str, int]:
    with store.session() as db:
        query = select(OutboxItem.status, func.count()).group_by(col(OutboxItem.status))
        return dict(db.exec(query).all())


def test_the_demo_terminal_syncs_everything_it_was_seeded_with(
    settings: Settings, store: Store
) -> None:
    with store.session() as db:
        waiting = db.exec(select(OutboxItem).where(OutboxItem.status == PENDING)).all()
    assert waiting and all(row.author for row in waiting)  # each names its officer
    assert {row.author for row in waiting} >= {"CH1001", "PC2002", "SG3001"}

    path, seeded = prepare_demo_hub(settings, store)
    assert seeded.refused == [] and seeded.filed == len(waiting) and seeded.history > 0

    hub = Hub(str(path))
    hub.start()
    try:
        settings.hub_url, settings.device_token = hub.url, seeded.token
        # The supervisor first: a role that may send no people or calls of its own.
        link = SyncLink.open(store, settings, sign_in(store, settings, "SG3001", PIN))
        try:
            wait_for(
                lambda: link.status.connected and link.status.waiting == 0, 30, "outbox drained"
            )
            assert link.status.quarantined == 0 and link.status.held == 0
            assert link.status.label.startswith("synced ")
        finally:
            link.close(sign_out=True)
        assert statuses(store) == {ACKNOWLEDGED: len(waiting)}
        with transaction(hub.engine, read_only=True) as db:
            authors = set(db.exec(select(HubEnvelope.pushed_by).distinct()))
            waits = db.exec(select(HubEnvelope).where(col(HubEnvelope.waits_for).is_not(None)))
            assert not waits.all()
        assert authors == {row.author for row in waiting}  # each filed under its officer
    finally:
        hub.stop()
        hub.engine.dispose()

    again_path, again = prepare_demo_hub(settings, store)  # the next `demo --with-hub`
    assert (again_path, again.token, again.history, again.refused) == (path, seeded.token, 0, [])


def test_a_reset_demo_store_gets_a_fresh_demo_hub(settings: Settings, store: Store) -> None:
    _path, first = prepare_demo_hub(settings, store)
    store.close()
    demo.remove_store(demo.demo_store_path(settings))  # what `firstresponse demo --reset` does
    fresh = demo.prepare_demo_store(settings)
    try:
        path, second = prepare_demo_hub(settings, fresh)
        assert second.refused == [] and second.history > 0 and second.token != first.token
        hub = Hub(str(path))
        try:
            with transaction(hub.engine, read_only=True) as db, fresh.session() as mine:
                ours = set(mine.exec(select(Person.id)))
                assert set(db.exec(select(Person.id))) <= ours  # nothing of the old demo
        finally:
            hub.engine.dispose()
    finally:
        fresh.close()


def _run_demo(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, *flags: str) -> dict[str, object]:
    """`firstresponse demo FLAGS` with the app's run replaced by a look at what it was
    given: the settings, and whether their hub answers while the app would be running."""
    import httpx

    from firstresponse.cli import main
    from firstresponse.tui.app import FirstResponseApp

    monkeypatch.setenv("FIRSTRESPONSE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FIRSTRESPONSE_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("FIRSTRESPONSE_HUB_URL", "http://hub.force.example:8700")
    seen: dict[str, object] = {}

    def answers(url: str) -> bool:
        try:
            return httpx.get(f"{url}/v1/health", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def look(app: FirstResponseApp) -> None:
        settings = app.settings  # type: ignore[attr-defined]
        seen["hub_url"], seen["token"] = settings.hub_url, settings.device_token
        if settings.hub_url:  # a start that does not wait for its hub: it answers soon after
            wait_for(lambda: answers(settings.hub_url), 30, "the demo hub answers")
            seen["health"] = 200

    monkeypatch.setattr(FirstResponseApp, "run", look)
    assert main(["demo", *flags]) == 0
    return seen


def test_the_demo_starts_its_own_hub_by_default_and_stops_it_after(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import httpx

    monkeypatch.setattr(demo, "DEMO_PEOPLE", 300)
    seen = _run_demo(monkeypatch, tmp_path)
    assert str(seen["hub_url"]).startswith("http://127.0.0.1:") and seen["token"]
    assert seen["health"] == 200  # the local hub, never the force's configured one
    with pytest.raises(httpx.HTTPError):  # stopped with the app
        httpx.get(f"{seen['hub_url']}/v1/health", timeout=2)


def test_the_offline_demo_has_no_hub(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(demo, "DEMO_PEOPLE", 300)
    assert _run_demo(monkeypatch, tmp_path, "--offline") == {"hub_url": "", "token": ""}
    assert not (tmp_path / "data" / "demo-hub.db").exists()


def test_a_demo_started_again_starts_its_hub_without_preparing_either_store(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from firstresponse.commands import demo_hub

    monkeypatch.setattr(demo, "DEMO_PEOPLE", 300)
    first = _run_demo(monkeypatch, tmp_path)

    def refuse(*_args: object) -> None:
        raise AssertionError("prepared again")

    monkeypatch.setattr(demo, "prepare_demo_store", refuse)
    monkeypatch.setattr(demo_hub, "prepare_demo_hub", refuse)
    again = _run_demo(monkeypatch, tmp_path)
    assert again["token"] == first["token"] and again["health"] == 200
    assert again["hub_url"] != ""


def test_a_reset_demo_prepares_its_hub_again(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(demo, "DEMO_PEOPLE", 300)
    first = _run_demo(monkeypatch, tmp_path)
    _run_demo(monkeypatch, tmp_path, "--offline", "--reset")  # another store, no hub
    again = _run_demo(monkeypatch, tmp_path)
    assert again["health"] == 200 and again["token"] != first["token"]
