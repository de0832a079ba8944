"""The responder's screens, driven by keyboard at 80x24 with no hub (offline)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from sqlmodel import select
from textual.widgets import Static

from firstresponse.config import Settings
from firstresponse.demo.answers import first_response_answers
from firstresponse.records import Assessment, Incident
from firstresponse.security.pins import hash_pin
from firstresponse.store import Store
from firstresponse.store.outbox import waiting
from firstresponse.tui.app import FirstResponseApp
from firstresponse.tui.screens.responder.checklist import ChecklistScreen
from firstresponse.tui.screens.responder.dialogs import ProblemsDialog
from firstresponse.tui.screens.responder.incident import IncidentScreen
from firstresponse.tui.widgets.checklist_form import ChecklistForm
from firstresponse.tui.widgets.status_bar import StatusBar
from tests.builders import assigned_incident
from tests.functional.pilot import settle, sign_in, type_text

OFFICER = "PC2001"


def _prepare(store: Store, answers: dict | None = None) -> str:
    """A responder, an incident assigned to them, and optionally a draft."""
    with store.session() as db:
        weapons = ("Weapons", ["Knife mentioned by caller"])
        incident = assigned_incident(db, OFFICER, weapons, pin_hash=hash_pin("1234"))
        if answers is not None:
            db.add(
                Assessment(
                    incident_id=incident.id,
                    checklist_id="first_response",
                    checklist_version="1.0",
                    checklist_hash="x",
                    author=OFFICER,
                    answers=answers,
                )
            )
        return incident.id


def _text(app: FirstResponseApp) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


async def _open_incident(pilot) -> None:  # type: ignore[no-untyped-def]
    await sign_in(pilot, OFFICER)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, IncidentScreen)


async def _open_checklist(pilot) -> None:  # type: ignore[no-untyped-def]
    await _open_incident(pilot)
    await pilot.press("c")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ChecklistScreen)
    await pilot.app.screen.query_one(ChecklistForm).build_all()  # its later pages too
    await settle(pilot)


async def test_briefing_and_offline_status_are_shown(settings: Settings, store: Store) -> None:
    _prepare(store)
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, OFFICER)
        bar = app.screen.query_one(StatusBar)
        await settle(pilot, lambda: "0 waiting" in bar.text)  # read on a thread
        assert "offline" in str(bar.render()) and "0 waiting" in str(bar.render())
        await pilot.press("enter")
        await settle(pilot)
        text = _text(app)
        assert "Knife mentioned by caller" in text and "Weapons" in text
        assert app.screen.query_one(StatusBar).region.bottom <= 23  # above the footer


async def test_submission_refused_while_incomplete(settings: Settings, store: Store) -> None:
    _prepare(store, {"scene_safe": "yes"})
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_incident(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, ProblemsDialog)
        problems = [str(w.render()) for w in app.screen.query(".problem")]
        assert any("Time of arrival" in p for p in problems)
        assert any("body-worn video" in p for p in problems)
        await pilot.press("c")  # straight to the first missing item
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
        focused = app.focused
        assert focused is not None and focused.id == "c-arrived_at", focused
    with store.session() as db:
        assert waiting(db) == []
        assert db.exec(select(Assessment)).one().status == "draft"


async def test_complete_a_checklist_offline_and_submit(settings: Settings, store: Store) -> None:
    answers = first_response_answers(risk_checklist_done="no")
    answers["risk_checklist_done.reason"] = "Victim too distressed; booked for tomorrow"
    for key in ("bwv_on", "bwv_started_at", "handover"):
        answers.pop(key)
    _prepare(store, answers)
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_checklist(pilot)
        app.screen.query_one("#c-bwv_on").focus()
        await pilot.press("enter")  # "Yes"
        await settle(pilot)
        app.screen.query_one("#c-bwv_started_at").focus()
        await type_text(pilot, "2026-01-10 21:41")
        app.screen.query_one("#c-handover").focus()
        await type_text(pilot, "Day CID")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, IncidentScreen), _text(app)
        assert "submitted v1" in _text(app)
        bar = app.screen.query_one(StatusBar)
        await settle(pilot, lambda: "waiting" in bar.text and "0 waiting" not in bar.text)
        assert "offline" in str(bar.render())
    with store.session() as db:
        row = db.exec(select(Assessment)).one()
        assert row.status == "submitted" and row.answers["handover"] == "Day CID"
        assert row.answers["bwv_on"] == "yes"
        incident = db.exec(select(Incident)).one()
        assert incident.status == "attended"
        assert {i.kind for i in waiting(db)} >= {"assessment", "incident"}


KILLED_RUN = textwrap.dedent(
    """
    import asyncio, os, signal, sys, time
    from pathlib import Path
    from firstresponse.config import Settings
    from firstresponse.store import Store
    from firstresponse.tui.app import FirstResponseApp
    from tests.functional.pilot import press_to, settle, sign_in, type_text

    async def main():
        settings = Settings(db_path=Path(sys.argv[1]), checklists_dir=Path(sys.argv[2]),
                            data_dir=Path(sys.argv[3]))
        app = FirstResponseApp(settings, Store(settings.store_path))
        async with app.run_test(size=(80, 24)) as pilot:
            await sign_in(pilot, "PC2001")
            await press_to(pilot, "enter", "IncidentScreen")
            await pilot.press("c")
            await settle(pilot, lambda: bool(app.screen.query("#c-arrived_at")))
            app.screen.query_one("#c-scene_safe").focus()
            await pilot.press("enter")
            app.screen.query_one("#c-arrived_at").focus()
            await type_text(pilot, "2026-01-10 21:45")
            # The answers are given; the event loop stops here (nothing more the UI could
            # do), and one second later the power goes: only the writer thread had time.
            time.sleep(1.0)
            os.kill(os.getpid(), signal.SIGKILL)

    asyncio.run(main())
    """
)


async def test_killed_mid_checklist_resumes_with_nothing_lost(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    _prepare(store)
    script = tmp_path / "killed.py"
    script.write_text(KILLED_RUN)
    run = subprocess.run(
        [
            sys.executable,
            str(script),
            str(settings.store_path),
            str(settings.checklists_dir),
            str(tmp_path / "data2"),
        ],
        capture_output=True,
        timeout=120,
        # The script imports the Pilot helpers (tests.functional.pilot) from the checkout.
        env={
            **os.environ,
            "FIRSTRESPONSE_IDLE_LOCK_SECONDS": "0",
            "PYTHONPATH": str(Path(__file__).parents[2]),
        },
    )
    assert run.returncode == -signal.SIGKILL, run.stderr.decode()[-2000:]
    reopened = Store(settings.store_path)
    with reopened.session() as db:
        draft = db.exec(select(Assessment)).one()
        assert draft.answers.get("scene_safe") == "yes"
        assert draft.answers.get("arrived_at") == "2026-01-10 21:45"
    app = FirstResponseApp(settings, reopened)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_incident(pilot)
        assert "draft" in _text(app)
        await pilot.press("c")
        await settle(pilot, lambda: bool(app.screen.query("#c-arrived_at")))
        field = app.screen.query_one("#c-arrived_at")
        assert field.value == "2026-01-10 21:45"  # type: ignore[attr-defined]
    reopened.close()
