"""Screenshot walks for the responder's screens (registered with `@shot`)."""

from __future__ import annotations

from textual.pilot import Pilot

from firstresponse.attendance.terminal import newest_submitted_incident
from firstresponse.tui.screenshots import (
    app_of,
    on_screen,
    press_to,
    settle,
    shot,
    sign_in,
    sign_in_home,
    type_text,
)


async def _submitted_incident(pilot: Pilot[None], collar: str) -> None:
    """Open the incident of the officer's newest submitted checklist."""
    from firstresponse.tui.screens.responder.incident import IncidentScreen

    incident_id = newest_submitted_incident(app_of(pilot).context.store, collar)
    if incident_id:
        pilot.app.push_screen(IncidentScreen(incident_id))
        await settle(pilot, lambda: on_screen(pilot, "IncidentScreen"))


async def _form_shown(pilot: Pilot[None]) -> None:
    await settle(
        pilot, lambda: on_screen(pilot, "ChecklistScreen") and bool(pilot.app.screen.query("#form"))
    )


@shot(
    "responder_assignments",
    "Responder: assignments, with sync state and records waiting",
    "ResponderHome",
)
async def _assignments(pilot: Pilot[None]) -> None:
    await sign_in(pilot, "PC2001")


@shot(
    "responder_briefing",
    "Responder: the call handler's briefing, readable offline",
    "IncidentScreen",
)
async def _briefing(pilot: Pilot[None]) -> None:
    await sign_in(pilot, "PC2001")
    await press_to(pilot, "enter", "IncidentScreen")


@shot(
    "responder_checklist",
    "Responder: first response checklist, saved on every answer",
    "ChecklistScreen",
)
async def _checklist(pilot: Pilot[None]) -> None:
    await _briefing(pilot)
    await pilot.press("c")
    await _form_shown(pilot)


@shot(
    "responder_children",
    "Responder: each child recorded individually, reasons if not seen",
    "ChecklistScreen",
)
async def _children(pilot: Pilot[None]) -> None:
    await sign_in(pilot, "PC2002")
    await _submitted_incident(pilot, "PC2002")
    await pilot.press("c")
    await _form_shown(pilot)
    group = pilot.app.screen.query("#f-children-1-location")
    if group:
        group.first().scroll_visible(top=True, animate=False)
    await settle(pilot)


@shot("responder_risk", "Responder: computed risk level and the factors behind it", "RiskScreen")
async def _risk(pilot: Pilot[None]) -> None:
    await sign_in(pilot, "PC2002")
    await _submitted_incident(pilot, "PC2002")
    await press_to(pilot, "k", "RiskScreen")


@shot(
    "responder_suspect",
    "Responder: the suspect at the scene (i): the call handler's, a match, new, or why not",
    "SuspectScreen",
)
async def _suspect(pilot: Pilot[None]) -> None:
    await _briefing(pilot)
    await press_to(pilot, "i", "SuspectScreen")


@shot(
    "responder_submit_refused",
    "Responder: submission refused with what is missing",
    "ProblemsDialog",
)
async def _refused(pilot: Pilot[None]) -> None:
    await _briefing(pilot)
    await press_to(pilot, "s", "ProblemsDialog")


@shot(
    "responder_outbox", "Responder: unsynced records, high risk and children first", "OutboxScreen"
)
async def _outbox(pilot: Pilot[None]) -> None:
    await sign_in_home(pilot, "PC2002")
    await press_to(pilot, "o", "OutboxScreen")


async def _amending(pilot: Pilot[None], collar: str) -> None:
    """Start an amendment of the officer's newest submitted checklist (a new draft, with
    its referrals to decide again) and come back to the incident."""
    await sign_in_home(pilot, collar)
    await _submitted_incident(pilot, collar)
    await press_to(pilot, "a", "AmendDialog")
    await type_text(pilot, "School name added")
    await pilot.press("enter")
    # The amendment's form opens; if an earlier walk left one open, the incident stays.
    await settle(pilot, lambda: not on_screen(pilot, "AmendDialog"))
    if on_screen(pilot, "ChecklistScreen"):
        await _form_shown(pilot)
        await press_to(pilot, "escape", "IncidentScreen")


@shot(
    "responder_referrals",
    "Responder: referrals the answers call for, a to accept, d to decline",
    "ReferralsScreen",
)
async def _referrals(pilot: Pilot[None]) -> None:
    await _amending(pilot, "PC2002")
    await press_to(pilot, "f", "ReferralsScreen")


@shot("responder_decline_reason", "Responder: a declined referral needs its reason", "ReasonDialog")
async def _decline(pilot: Pilot[None]) -> None:
    await _referrals(pilot)
    await press_to(pilot, "d", "ReasonDialog")


@shot(
    "responder_amend",
    "Responder: amend a submitted checklist as a new version, with why",
    "AmendDialog",
)
async def _amend(pilot: Pilot[None]) -> None:
    await sign_in_home(pilot, "PC2002")
    await _submitted_incident(pilot, "PC2002")
    await press_to(pilot, "a", "AmendDialog")


@shot(
    "responder_new_attendance",
    "Responder: attending an incident no call handler sent",
    "NewAttendance",
)
async def _new_attendance(pilot: Pilot[None]) -> None:
    await sign_in_home(pilot, "PC2001")
    await press_to(pilot, "n", "NewAttendance")


@shot(
    "officer_case_feedback",
    "Officer: every review of their cases, NEW until acknowledged",
    "CaseFeedbackScreen",
)
async def _case_feedback(pilot: Pilot[None]) -> None:
    await sign_in_home(pilot, "PC2002")
    await press_to(pilot, "f", "CaseFeedbackScreen")
