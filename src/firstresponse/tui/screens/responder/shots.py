"""Screenshot walks for the responder's screens (registered with `@shot`)."""

from __future__ import annotations

from sqlmodel import col, select
from textual.pilot import Pilot

from firstresponse.records import Assessment
from firstresponse.tui.screenshots import shot, sign_in


async def _submitted_incident(pilot: Pilot[None], collar: str) -> None:
    """Open the incident of the officer's newest submitted checklist."""
    from firstresponse.tui.screens.responder.incident import IncidentScreen

    with pilot.app.store.session() as db:  # type: ignore[attr-defined]
        row = db.exec(
            select(Assessment)
            .where(Assessment.author == collar, Assessment.status == "submitted")
            .order_by(col(Assessment.submitted_at).desc())
        ).first()
    if row is not None and row.incident_id:
        pilot.app.push_screen(IncidentScreen(row.incident_id))
        await pilot.pause(0.5)


@shot("responder_assignments", "Responder: assignments, with sync state and records waiting")
async def _assignments(pilot: Pilot[None]) -> None:
    await sign_in(pilot, "PC2001")


@shot("responder_briefing", "Responder: the call handler's briefing, readable offline")
async def _briefing(pilot: Pilot[None]) -> None:
    await sign_in(pilot, "PC2001")
    await pilot.press("enter")
    await pilot.pause(0.5)


@shot("responder_checklist", "Responder: first response checklist, saved on every answer")
async def _checklist(pilot: Pilot[None]) -> None:
    await sign_in(pilot, "PC2001")
    await pilot.press("enter")
    await pilot.pause(0.3)
    await pilot.press("c")
    await pilot.pause(1.0)


@shot("responder_children", "Responder: each child recorded individually, reasons if not seen")
async def _children(pilot: Pilot[None]) -> None:
    await sign_in(pilot, "PC2002")
    await _submitted_incident(pilot, "PC2002")
    await pilot.press("c")
    await pilot.pause(1.0)
    group = pilot.app.screen.query("#f-children-1-location")
    if group:
        group.first().scroll_visible(top=True, animate=False)
    await pilot.pause(0.3)


@shot("responder_risk", "Responder: computed risk level and the factors behind it")
async def _risk(pilot: Pilot[None]) -> None:
    await sign_in(pilot, "PC2002")
    await _submitted_incident(pilot, "PC2002")
    await pilot.press("k")
    await pilot.pause(0.5)


@shot("responder_submit_refused", "Responder: submission refused with what is missing")
async def _refused(pilot: Pilot[None]) -> None:
    await sign_in(pilot, "PC2001")
    await pilot.press("enter")
    await pilot.pause(0.3)
    await pilot.press("s")
    await pilot.pause(0.3)


@shot("responder_outbox", "Responder: unsynced records, high risk and children first")
async def _outbox(pilot: Pilot[None]) -> None:
    await sign_in(pilot, "PC2002")
    await pilot.press("o")
    await pilot.pause(0.3)
