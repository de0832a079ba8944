"""One person's history as a single narrative: incidents, partners, markers, orders."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from firstresponse.calls.facts import incidents_by_role
from firstresponse.tui.screens.call_handler.person_side import LinkScreen, person_side_lines


def history_lines(history: dict[str, Any]) -> list[str]:
    """The history as plain lines, most important first."""
    lines = [f"{history.get('name', '?')} · DOB {history.get('dob') or '?'}"]
    if history.get("aliases"):
        lines.append("Also known as: " + ", ".join(history["aliases"]))
    lines.append(
        f"DA incidents in last 12 months: {incidents_by_role(history)}"
        f" · last risk: {history.get('last_risk_level') or 'none'}"
        f" · MARAC: {'yes' if history.get('on_marac') else 'no'}"
    )
    if history.get("markers"):
        lines.append("Markers: " + ", ".join(m.replace("_", " ") for m in history["markers"]))
    if history.get("previous_partners"):
        lines.append("Previous partners: " + ", ".join(history["previous_partners"]))
    for order in history.get("orders") or []:
        state = "IN FORCE" if order.get("in_force") else "ended"
        detail = str(order.get("detail", "") or "")
        ends_on = str(order.get("ends_on") or "")
        ends = f" to {ends_on}" if ends_on and ends_on not in detail else ""
        kind = str(order.get("kind", "")).replace("_", " ")
        said = detail.lower().replace("-", " ").startswith(kind.lower())
        text = detail if said or not kind else f"{kind}: {detail}" if detail else kind
        lines.append(f"Order ({state}): {text}{ends}")
    lines += [f"Bail: {b}" for b in history.get("bail_conditions") or []]
    lines += [f"DVDS: {d}" for d in history.get("dvds") or []]
    lines += person_side_lines(history)
    lines.append("")
    lines.append("History, newest first:")
    lines += [f"• {line}" for line in history.get("narrative") or []] or ["• none"]
    return lines


class HistoryScreen(Screen[bool]):
    """Read the narrative; Enter uses this person for the call, Escape goes back."""

    BINDINGS = [
        Binding("enter", "use", "Use this person"),
        Binding("escape", "back", "Back"),
        Binding("l", "links", "Same person?"),
    ]

    def __init__(self, history: dict[str, Any], choosing: bool = True) -> None:
        super().__init__()
        self.history = history
        self.choosing = choosing

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="history"):
            yield Static("\n".join(history_lines(self.history)), id="history-text", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#history").focus()

    def action_use(self) -> None:
        self.dismiss(self.choosing)

    def action_back(self) -> None:
        self.dismiss(False)

    def action_links(self) -> None:
        self.app.push_screen(LinkScreen(self.history))
