"""Referrals the answers suggest: accept each, or decline it with a reason."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from firstresponse.attendance import ReferralChoice, drafts_for, referral_choices, set_referral
from firstresponse.tui.screens.responder.base import ResponderScreen
from firstresponse.tui.screens.responder.dialogs import ReasonDialog


def _line(choice: ReferralChoice) -> str:
    if choice.accepted is None:
        state = "[ CHOOSE ]"
    elif choice.accepted:
        state = "[accepted]"
    else:
        state = "[declined]"
    text = f"{state} {choice.label}\n           why: {choice.why}"
    if choice.accepted is False:
        text += f"\n           reason: {choice.reason or 'REASON NEEDED'}"
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
        self.choices: list[ReferralChoice] = []

    def body(self) -> ComposeResult:
        yield Static("Referrals suggested by the answers", classes="title")
        yield OptionList(id="referrals")
        yield Static("a: accept · d: decline with a reason", classes="hint")

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#referrals").focus()

    def reload(self) -> None:
        facts = self.facts(self.incident_id)
        with self.store.session() as db:
            drafts = drafts_for(db, self.incident_id, self.collar)
        self.checklist_of: dict[str, str] = {d.id: d.checklist_id for d in drafts}
        self.choices = [
            c for d in drafts for c in referral_choices(d, self.checklists[d.checklist_id], facts)
        ]
        listing = self.query_one("#referrals", OptionList)
        keep = listing.highlighted
        listing.clear_options()
        listing.add_options([Option(Text(_line(c))) for c in self.choices])
        if not self.choices:
            listing.add_option(
                Option("No referrals suggested by the answers so far.", disabled=True)
            )
        else:
            listing.highlighted = min(keep or 0, len(self.choices) - 1)

    def _current(self) -> ReferralChoice | None:
        index = self.query_one("#referrals", OptionList).highlighted
        if index is None or index >= len(self.choices):
            return None
        return self.choices[index]

    def _set(self, choice: ReferralChoice, accepted: bool, reason: str = "") -> None:
        checklist = self.checklists[self.checklist_of[choice.assessment_id]]
        set_referral(
            self.store,
            choice.assessment_id,
            choice.id,
            accepted,
            reason,
            checklist,
            self.facts(self.incident_id),
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

        self.app.push_screen(ReasonDialog(f"Why is '{choice.label}' declined?"), given)
