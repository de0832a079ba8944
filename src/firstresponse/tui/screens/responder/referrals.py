"""Referrals the answers suggest: accept each, or decline it with a reason."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from firstresponse.attendance import ReferralChoice, referral_choices, set_referral
from firstresponse.attendance.terminal import my_drafts
from firstresponse.tui.screens.responder.base import ResponderScreen
from firstresponse.tui.screens.responder.dialogs import ReasonDialog
from firstresponse.tui.widgets.marked_list import MarkedList


def _line(choices: list[ReferralChoice]) -> str:
    """One referral, however many of the officer's checklists suggest it: decided once,
    in any of them, it is decided (a checklist started later does not ask again)."""
    first = next((c for c in choices if c.accepted is not None), choices[0])
    states = {c.accepted for c in choices} - {None}
    accepted = states.pop() if len(states) == 1 else None
    if accepted is None:
        state = "[ CHOOSE ]"
    elif accepted:
        state = "[accepted]"
    else:
        state = "[declined]"
    why = "; ".join(dict.fromkeys(c.why for c in choices))
    text = f"{state} {first.label}\n           why: {why}"
    if accepted is False:
        text += f"\n           reason: {first.reason or 'REASON NEEDED'}"
    return text


class ReferralsScreen(ResponderScreen):
    """Every suggested referral across the officer's drafts for this incident."""

    DEFAULT_CSS = """
    ReferralsScreen #referrals { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("a", "accept", "Accept"),
        Binding("d", "decline", "Decline"),
    ]

    def __init__(self, incident_id: str) -> None:
        super().__init__()
        self.incident_id = incident_id
        #: One entry per referral: every draft's choice for it (accepting sets them all).
        self.choices: list[list[ReferralChoice]] = []

    def body(self) -> ComposeResult:
        yield Static("Referrals suggested by the answers", classes="title")
        yield MarkedList(id="referrals")
        yield Static("a: accept the marked referral · d: decline it with a reason", classes="hint")

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#referrals").focus()

    def reload(self) -> None:
        facts = self.facts(self.incident_id)
        drafts = my_drafts(self.store, self.incident_id, self.collar)
        self.checklist_of: dict[str, str] = {d.id: d.checklist_id for d in drafts}
        grouped: dict[str, list[ReferralChoice]] = {}
        for draft in drafts:
            for choice in referral_choices(draft, self.checklists[draft.checklist_id], facts):
                grouped.setdefault(choice.id, []).append(choice)
        self.choices = list(grouped.values())
        listing = self.query_one("#referrals", MarkedList)
        listing.set_options_text([(_line(c), None) for c in self.choices])
        if not self.choices:
            listing.set_options_text([("No referrals suggested by the answers so far.", None)])

    def _current(self) -> list[ReferralChoice] | None:
        index = self.query_one("#referrals", MarkedList).highlighted
        if index is None or index >= len(self.choices):
            return None
        return self.choices[index]

    def _set(self, choices: list[ReferralChoice], accepted: bool, reason: str = "") -> None:
        facts = self.facts(self.incident_id)
        for choice in choices:
            set_referral(
                self.store,
                choice.assessment_id,
                choice.id,
                accepted,
                reason,
                self.checklists[self.checklist_of[choice.assessment_id]],
                facts,
            )
        self.reload()

    def action_accept(self) -> None:
        choice = self._current()
        if choice is not None:
            self._set(choice, True)

    def action_decline(self) -> None:
        choice = self._current()
        if choice is None:
            return

        def given(reason: str | None) -> None:
            if reason:
                self._set(choice, False, reason)

        self.app.push_screen(ReasonDialog(f"Why is '{choice[0].label}' declined?"), given)
