"""Every form is a draft: ctrl+q, Escape and a new app keep every answer given, typed
ahead at full speed; Enter or Tab moves on in every form."""

from __future__ import annotations

from sqlmodel import select
from textual.widgets import Input

from firstresponse.config import Settings
from firstresponse.records import Assessment, User
from firstresponse.security.pins import hash_pin
from firstresponse.store import Store
from firstresponse.store.form_drafts import FormDraft
from firstresponse.tui.app import FirstResponseApp
from firstresponse.tui.widgets.picker import Picker
from tests.functional.forms import burst, new_call_thrive
from tests.functional.pilot import on_screen, press_to, settle, sign_in
from tests.functional.test_followup_high_risk import _seed as _high_risk

SIZE = (80, 24)


def _call_handler(store: Store) -> None:
    with store.session() as db:
        db.add(User(collar="CH1001", name="CH1001", role="call_handler", pin_hash=hash_pin("1234")))


async def test_space_and_ctrl_q_in_the_same_instant_keep_the_answer(
    settings: Settings, store: Store
) -> None:
    _call_handler(store)
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        form = await new_call_thrive(pilot, "Nova Testnew")
        talk = form.field("caller_can_talk")
        assert talk is not None and talk.control is not None
        talk.control.focus()
        await pilot.pause()
        burst(app, " <ctrl+q>")  # Yes, and quit, as one read of the terminal
        await settle(pilot, lambda: not app.is_running)
    with store.session() as db:
        (draft,) = db.exec(select(Assessment).where(Assessment.checklist_id == "thrive")).all()
        assert draft.answers["caller_can_talk"] == "yes"


async def test_the_new_call_typed_is_kept_through_escape_and_ctrl_q(
    settings: Settings, store: Store
) -> None:
    _call_handler(store)
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "CH1001")
        await press_to(pilot, "n", "NewCallScreen")
        burst(app, "Nova Testnew\r\r\r\r\r<right>\rvictim\rShouting")
        await settle(pilot, lambda: app.screen.value("happening") == "Shouting")
        await press_to(pilot, "escape", "CallHandlerHome")
        await press_to(pilot, "n", "NewCallScreen")
        await settle(pilot, lambda: app.screen.value("name") == "Nova Testnew")
        assert app.screen.value("happening") == "Shouting"
        assert app.screen.choice("relationship") == "partner"
        box = app.screen.query_one("#happening", Input)
        box.focus()
        box.cursor_position = len(box.value)
        await pilot.pause()
        burst(app, " again<ctrl+q>")
        await settle(pilot, lambda: not app.is_running)
    again = FirstResponseApp(settings, store)
    async with again.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "CH1001")
        await press_to(pilot, "n", "NewCallScreen")
        await settle(pilot, lambda: again.screen.value("happening") == "Shouting again")
        await press_to(pilot, "f5", "ThriveScreen")  # the call is opened: no draft left
    with store.session() as db:
        assert db.exec(select(FormDraft)).all() == []


async def test_enter_moves_on_in_the_high_risk_review_and_escape_keeps_it(
    settings: Settings, store: Store
) -> None:
    _high_risk(store)  # a high-risk submission to review, the test officers' PIN 1234
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "SG3001")
        await press_to(pilot, "h", "HighRiskQueueScreen")
        await press_to(pilot, "enter", "HighRiskReviewScreen")
        app.screen.query_one("#hr-reason", Input).focus()
        await pilot.pause()
        burst(app, "Threats to kill\rSafety plan; MARAC\rWell assessed")
        await settle(pilot, lambda: app.screen.query_one("#hr-feedback", Input).value != "")
        values = [app.screen.query_one(f"#hr-{w}", Input).value for w in ("reason", "actions")]
        assert values == ["Threats to kill", "Safety plan; MARAC"]
        assert app.screen.query_one("#hr-feedback", Input).value == "Well assessed"
        await press_to(pilot, "escape", "HighRiskQueueScreen")
        await press_to(pilot, "enter", "HighRiskReviewScreen")
        reason = app.screen.query_one("#hr-reason", Input)
        await settle(pilot, lambda: reason.value == "Threats to kill")
        assert "typed before is back" in str(app.screen.query_one("#fu-status").render())
        app.screen.query_one("#hr-decision", Picker).value = "confirm"
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: on_screen(pilot, "HighRiskQueueScreen"))
    with store.session() as db:
        assert db.exec(select(FormDraft)).all() == []  # saved: the draft went with it
