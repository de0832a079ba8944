"""Screenshot walks for the supervisor's screens and the officer's feedback (demo store)."""

from __future__ import annotations

from textual.pilot import Pilot

from firstresponse.tui.screenshots import app_of, on_screen, press_to, settle, shot, sign_in


@shot("supervisor_queue", "Supervisor: dip-sample queue, must-check cases first", "SupervisorHome")
async def _queue(pilot: Pilot[None]) -> None:
    await sign_in(pilot, "SG3001")


@shot(
    "supervisor_review",
    "Supervisor: the sampled case read-only, then the review form",
    "ReviewScreen",
)
async def _review(pilot: Pilot[None]) -> None:
    await sign_in(pilot, "SG3001")
    await press_to(pilot, "enter", "ReviewScreen")


@shot(
    "supervisor_review_form",
    "Supervisor: review points met / not met / n.a. and feedback",
    "ReviewScreen",
)
async def _review_form(pilot: Pilot[None]) -> None:
    await _review(pilot)
    await pilot.press("f4")
    await settle(pilot)


@shot(
    "supervisor_dashboard",
    "Supervisor: compliance figures by week, team and officer",
    "DashboardScreen",
)
async def _dashboard(pilot: Pilot[None]) -> None:
    await sign_in(pilot, "SG3001")
    await press_to(pilot, "d", "DashboardScreen")


@shot("officer_feedback", "Officer: review feedback at sign-in, to acknowledge", "FeedbackScreen")
async def _feedback(pilot: Pilot[None]) -> None:
    from firstresponse.tui.screens.feedback import FeedbackScreen, feedback_screen_for

    await sign_in(pilot, "PC2002")
    if not isinstance(pilot.app.screen, FeedbackScreen):
        screen = feedback_screen_for(app_of(pilot))
        if screen is not None:
            pilot.app.push_screen(screen)
    await settle(pilot, lambda: on_screen(pilot, "FeedbackScreen"))
