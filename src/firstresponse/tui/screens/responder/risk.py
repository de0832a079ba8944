"""The risk level: what the answers give, the factors behind it, and the officer's level."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from firstresponse.attendance import RISK, risk_summary
from firstresponse.attendance.terminal import risk_answers_for
from firstresponse.tui.screens.responder.base import ResponderScreen


class RiskScreen(ResponderScreen):
    """Computed and final level side by side; raising or lowering shows its reason."""

    DEFAULT_CSS = """
    RiskScreen #risk-body { height: 1fr; padding: 0 1; }
    RiskScreen .risk-level { text-style: bold; }
    RiskScreen .risk-high { color: $error; text-style: bold; }
    RiskScreen .heading { text-style: bold; color: $accent; margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("r", "checklist", "Risk checklist"),
    ]

    def __init__(self, incident_id: str) -> None:
        super().__init__()
        self.incident_id = incident_id

    def body(self) -> ComposeResult:
        yield VerticalScroll(id="risk-body", can_focus=True)

    def on_mount(self) -> None:
        self.query_one("#risk-body").focus()

    async def on_screen_resume(self) -> None:
        await self.show()

    async def show(self) -> None:
        body = self.query_one("#risk-body", VerticalScroll)
        await body.remove_children()
        await body.mount_all([Static(t, markup=False, classes=c) for t, c in self._lines()])

    def _lines(self) -> list[tuple[str, str]]:
        row = risk_answers_for(self.store, self.incident_id, self.collar)
        if row is None:
            return [("The risk checklist has not been started: press r to start it.", "hint")]
        s = risk_summary(self.checklists[RISK], row.answers, self.facts(self.incident_id))
        high = "high" in (s.computed, s.final)
        lines = [
            (f"From the answers and history: {(s.computed or '-').upper()}", "risk-level"),
            (
                f"After your judgement:         {(s.final or '-').upper()}",
                "risk-high" if high else "risk-level",
            ),
        ]
        if s.raised or s.lowered:
            verb = "Raised" if s.raised else "LOWERED below the computed level"
            lines.append(
                (
                    f"{verb}: {s.judgement_reason or 'REASON NEEDED'}",
                    "error" if not s.judgement_reason else "",
                )
            )
        lines.append(("Why this level", "heading"))
        lines += [(f"• {r}", "") for r in s.rules] or [("• no rule raised it above standard", "")]
        lines.append((f"Risk factors answered yes or not known: {s.factor_count}", "heading"))
        lines += [(f"• {f}", "") for f in s.factors] or [("• none", "")]
        lines.append(
            (
                "Raise the level by professional judgement in the checklist's last section (r). "
                "Lowering it below the computed level needs a reason a supervisor sees.",
                "hint",
            )
        )
        return lines

    def action_checklist(self) -> None:
        from firstresponse.tui.screens.responder.checklist import ChecklistScreen

        self.app.push_screen(ChecklistScreen(self.incident_id, RISK))
