"""The suspect's side and linked records in a history; a screen to confirm or reject links."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Input, Label, OptionList, Static

from firstresponse.tui.terminal import TerminalScreen
from firstresponse.tui.widgets.type_ahead import TextBox


def _profile_lines(profile: dict[str, Any], title: str) -> list[str]:
    flags = []
    if profile.get("serial"):
        flags.append(f"SERIAL PERPETRATOR ({profile.get('victim_count')} victims)")
    if profile.get("wanted"):
        flags.append("WANTED")
    flags += [str(m).replace("_", " ").upper() for m in profile.get("markers") or []]
    lines = [f"{title} {profile.get('name', '?')}: " + ("; ".join(flags) or "no warning markers")]
    lines += [f"  Order: {o}" for o in profile.get("orders") or []]
    lines += [f"  Bail: {b}" for b in profile.get("bail") or []]
    lines += [f"  Warrant: {w}" for w in profile.get("warrants") or []]
    lines += [f"  Victim: {v}" for v in profile.get("victims") or []]
    lines += [f"  DVDS: {d}" for d in profile.get("dvds") or []]
    return lines


def person_side_lines(history: dict[str, Any]) -> list[str]:
    """Linked records, possible links, markers with their source, and both sides' profiles."""
    lines = [f"Linked record: {r}" for r in history.get("linked_records") or []]
    for p in history.get("possible_links") or []:
        reasons = ", ".join(p.get("reasons") or [])
        lines.append(f"POSSIBLY THE SAME PERSON: {p.get('other_name')} ({reasons}) - press l")
    if history.get("perpetrator"):
        lines += _profile_lines(history["perpetrator"], "As a suspect:")
    for profile in history.get("suspects") or []:
        lines += _profile_lines(profile, "Suspect against them:")
    lines += [f"Marker: {m}" for m in history.get("marker_details") or []]
    return lines


class LinkScreen(TerminalScreen[bool]):
    """Confirm or reject a "possibly the same person" pair, or undo a confirmed link.

    Choose a pair, type why, then F2 (confirm), F3 (reject) or F4 (undo a link).
    """

    BINDINGS = [
        Binding("f2", "decide('confirmed')", "Confirm"),
        Binding("f3", "decide('rejected')", "Reject"),
        Binding("f4", "decide('unlinked')", "Undo link"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, history: dict[str, Any]) -> None:
        super().__init__()
        self.history = history
        self.pairs: list[tuple[str, list[str], str]] = [
            (str(p.get("other_id")), list(p.get("reasons") or []), str(p.get("other_name")))
            for p in history.get("possible_links") or []
        ]
        self.pairs += [
            (pid, [], f"{line} (linked)")
            for pid, line in zip(
                (history.get("person_ids") or [])[1:], history.get("linked_records") or [],
                strict=False,
            )
        ]  # fmt: skip

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(f"Records that may be {self.history.get('name', '?')}:")
        options = [f"{name}: {', '.join(reasons)}" if reasons else name
                   for _, reasons, name in self.pairs] or ["none proposed"]  # fmt: skip
        yield OptionList(*options, id="pairs")
        yield TextBox(placeholder="why (needed to reject or undo)", id="note", compact=True)
        with VerticalScroll():
            yield Static("F2 confirm · F3 reject · F4 undo a link · Esc back", markup=False)
        yield Footer()

    def action_decide(self, status: str) -> None:
        from firstresponse.people.linking import LinkRefused, decide

        index = self.query_one("#pairs", OptionList).highlighted
        if not self.pairs or index is None:
            self.notify("No pair chosen", severity="warning")
            return
        other_id, reasons, name = self.pairs[index]
        note = self.query_one("#note", Input).value
        context = self.app.context
        try:
            context.store.run(
                decide, context.signed_in, str(self.history.get("person_id")), other_id,
                status, reasons=reasons if status == "confirmed" else None, note=note,
            )  # fmt: skip
        except (LinkRefused, PermissionError) as refused:
            self.notify(str(refused), title="Not recorded", severity="error")
            return
        self.notify(f"{name}: {status}. Open the history again to see it.")
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)
