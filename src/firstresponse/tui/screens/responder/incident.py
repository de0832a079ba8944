"""One assignment: the call handler's briefing, progress, and what to do next."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from firstresponse.attendance import (
    FIRST_RESPONSE,
    RISK,
    SubmissionRefused,
    briefing_sections,
    start_amendment,
    submit,
)
from firstresponse.attendance.orders import BAILED
from firstresponse.attendance.terminal import incident_overview, submitted
from firstresponse.calls.suspect_view import scene_suspect
from firstresponse.checklist import evaluate
from firstresponse.tui.screens.responder.base import ResponderScreen
from firstresponse.tui.screens.responder.dialogs import AmendDialog, ProblemsDialog

TITLES = {FIRST_RESPONSE: "First response checklist", RISK: "Risk checklist"}


class IncidentScreen(ResponderScreen):
    """Briefing first (readable offline), then the state of each checklist."""

    DEFAULT_CSS = """
    IncidentScreen #incident-body { height: 1fr; padding: 0 1; }
    IncidentScreen .brief-summary { text-style: bold; }
    IncidentScreen .brief-heading { text-style: bold; color: $accent; margin-top: 1; }
    IncidentScreen #incident-hint { height: 1; padding: 0 1; }
    """
    BINDINGS = [
        Binding("s", "submit", "Submit"),
        Binding("c", "checklist('first_response')", "Checklist"),
        Binding("r", "checklist('risk')", "Risk"),
        Binding("f", "referrals", "Referrals"),
        Binding("i", "suspect", "Suspect"),
        # Listed on the hint line under the briefing (the footer has room for seven keys).
        Binding("k", "risk", "Level", show=False),
        Binding("a", "amend", "Amend", show=False),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, incident_id: str) -> None:
        super().__init__()
        self.incident_id = incident_id

    def body(self) -> ComposeResult:
        yield VerticalScroll(id="incident-body", can_focus=True)
        yield Static(
            "k: risk level and why · a: amend a submitted checklist · i: the suspect",
            id="incident-hint",
            classes="hint",
        )

    def on_mount(self) -> None:
        self.query_one("#incident-body").focus()

    async def on_screen_resume(self) -> None:
        await self.show()

    async def show(self) -> None:
        body = self.query_one("#incident-body", VerticalScroll)
        await body.remove_children()
        await body.mount_all(
            [Static(text, markup=False, classes=cls) for text, cls in self._lines()]
        )

    def _lines(self) -> list[tuple[str, str]]:
        facts = self.facts(self.incident_id)
        overview = incident_overview(
            self.store, self.incident_id, self.collar, self.team, self.checklists, facts
        )
        incident, view, drafts, done = (
            overview.incident,
            overview.assignment,
            overview.drafts,
            overview.submitted,
        )
        versions, problems = overview.versions, overview.problems
        self._facts = facts
        lines: list[tuple[str, str]] = []
        reference = incident.reference if incident else ""
        lines.append((f"{reference} · {incident.address if incident else ''}", "title"))
        briefing = view.briefing if view else {}
        lines.append((str(briefing.get("summary") or "No briefing."), "brief-summary"))
        if briefing.get("restricted"):
            lines.append(("RESTRICTED: access is audited", "error"))
        for title, items in briefing_sections(briefing):
            lines.append((title, "brief-heading"))
            lines += [(f"• {item}", "brief-line") for item in items] or [("• none", "brief-line")]
        lines.append(("Progress", "brief-heading"))
        lines += self._suspect_lines(drafts, done)
        for checklist_id, title in TITLES.items():
            lines.append((f"{title}: {self._state(checklist_id, drafts, done)}", "progress"))
            lines += [
                (f"   v{row.version} amended: {row.amendment_reason}", "hint")
                for row in versions.get(checklist_id, [])
                if row.replaces_id
            ]
        if drafts:
            count = len(problems)
            state = (
                f"{count} thing{'s' if count != 1 else ''} missing (s shows them)"
                if problems
                else "ready to submit (s)"
            )
            lines.append((f"Submission: {state}", "progress"))
        return lines

    def _suspect_lines(self, drafts: dict[str, Any], done: dict[str, Any]) -> list[tuple[str, str]]:
        """Who the incident names as suspect, and an order that is not recorded for want of
        one (or because the suspect was named after the first response was submitted)."""
        now = scene_suspect(self.store, self.incident_id)
        lines = [(f"Suspect: {now.line()} (i: identify or correct)", "progress")]
        first = drafts.get(FIRST_RESPONSE) or done.get(FIRST_RESPONSE)
        answers = first.answers if first is not None else {}
        wanted = set()
        if answers.get("notice_decision") == "authorised":
            wanted.add(str(answers.get("notice_scheme") or "dvpn"))
        if answers.get("suspect_outcome") in BAILED:
            wanted.add("bail_conditions")
        if wanted and not now.suspect_id:
            lines.append(
                (
                    "ORDER NOT RECORDED: a notice or bail restrains a named person, and no"
                    " suspect is identified. Press i to identify them.",
                    "error",
                )
            )
        elif wanted - set(now.orders) and FIRST_RESPONSE not in drafts:
            lines.append(
                (
                    "ORDER NOT RECORDED: the suspect was named after the first response was"
                    " submitted. Amend it (a) to record the order against them.",
                    "error",
                )
            )
        return lines

    def _state(self, checklist_id: str, drafts: dict[str, Any], done: dict[str, Any]) -> str:
        parts = []
        if checklist_id in done:
            row = done[checklist_id]
            when = row.submitted_at.strftime("%d %b %H:%M") if row.submitted_at else ""
            parts.append(f"submitted v{row.version} {when}")
        draft = drafts.get(checklist_id)
        if draft is not None:
            ev = evaluate(self.checklists[checklist_id], draft.answers, self._facts)
            missing = len(ev.missing_required) + len(ev.missing_reasons) + len(ev.errors)
            kind = f"amendment v{draft.version}" if draft.replaces_id else "draft"
            parts.append(f"{kind}, " + (f"{missing} missing" if missing else "complete"))
        return "; ".join(parts) or "not started"

    # -- actions -------------------------------------------------------------------------
    def action_checklist(self, checklist_id: str) -> None:
        from firstresponse.tui.screens.responder.checklist import ChecklistScreen

        self.app.push_screen(ChecklistScreen(self.incident_id, checklist_id))

    def action_risk(self) -> None:
        from firstresponse.tui.screens.responder.risk import RiskScreen

        self.app.push_screen(RiskScreen(self.incident_id))

    def action_suspect(self) -> None:
        from firstresponse.tui.screens.responder.suspect import SuspectScreen

        self.app.push_screen(SuspectScreen(self.incident_id))

    def action_referrals(self) -> None:
        from firstresponse.tui.screens.responder.referrals import ReferralsScreen

        self.app.push_screen(ReferralsScreen(self.incident_id))

    async def action_submit(self) -> None:
        try:
            rows = submit(
                self.store,
                self.incident_id,
                self.collar,
                dict(self.checklists),
                self.facts(self.incident_id),
            )
        except SubmissionRefused as refused:
            self.app.push_screen(ProblemsDialog(refused.problems), self._go_to)
            return
        except PermissionError as exc:
            self.notify(str(exc), severity="error")
            return
        count = len(rows)
        self.notify(
            f"Submitted {count} checklist{'s' if count != 1 else ''}: waiting in the outbox to sync"
        )
        self.refresh_status()
        await self.show()

    def _go_to(self, checklist_id: str | None) -> None:
        """From the refusal: open a checklist at its first missing item."""
        from firstresponse.tui.screens.responder.checklist import ChecklistScreen

        if checklist_id:
            self.app.push_screen(ChecklistScreen(self.incident_id, checklist_id, jump=True))

    def action_amend(self) -> None:
        done = submitted(self.store, self.incident_id)
        if not done:
            self.notify("Nothing submitted yet to amend", severity="warning")
            return
        choices = [(row.id, f"{TITLES.get(cid, cid)} v{row.version}") for cid, row in done.items()]

        def chosen(result: tuple[str, str] | None) -> None:
            if result is None:
                return
            try:
                draft = start_amendment(self.store, result[0], self.collar, result[1])
            except (ValueError, PermissionError) as exc:
                self.notify(str(exc), severity="error")
                return
            self.action_checklist(draft.checklist_id)

        self.app.push_screen(AmendDialog(choices), chosen)
