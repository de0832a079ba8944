"""Due contacts with the victim: the officer's own, their team's, or the overdue ones
(a supervisor's view); a form to record a contact, and one to record a case outcome."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Label, Static

from firstresponse.followup.contacts import METHODS, RESULTS, ContactRefused, DueContact
from firstresponse.followup.outcomes import OUTCOMES, OutcomeRefused
from firstresponse.followup.terminal import contacts_due, save_contact, save_outcome
from firstresponse.records import utcnow
from firstresponse.security.permissions import Action, allowed
from firstresponse.supervision.cases import aware
from firstresponse.supervision.shifts import UK
from firstresponse.tui.screens.followup.base import FollowupForm, FollowupList, when
from firstresponse.tui.screens.followup.forms import choice, parse_local, read
from firstresponse.tui.widgets.marked_table import MarkedTable
from firstresponse.tui.widgets.type_ahead import TextBox

SCOPES = ("mine", "team", "overdue")
SCOPE_TITLES = {
    "mine": "Victim contacts due: yours",
    "team": "Victim contacts due: your team",
    "overdue": "Victim contacts overdue: your team",
}


def due_by(at: datetime, overdue: bool) -> str:
    """ "OVERDUE 16 Nov", "Tue 08 Dec 15:00": a contact due by the end of a day is that day."""
    local = aware(at).astimezone(UK)
    day = f"{local:%d %b}" if (local.hour, local.minute) == (23, 59) else when(at)
    return ("OVERDUE " if overdue else "") + day


class ContactsScreen(FollowupList):
    """Due contacts, overdue first. Enter records a contact; o records a case outcome."""

    BINDINGS = [
        Binding("enter", "contact", "Record contact", show=True),
        Binding("o", "outcome", "Case outcome"),
        Binding("t", "scope", "Mine/team/overdue"),
        Binding("f5", "refresh", "Refresh"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, scope: str = "") -> None:
        super().__init__()
        self.scope = scope
        self.items: list[DueContact] = []

    def body(self) -> ComposeResult:
        yield Label("", id="vc-title", classes="title")
        yield Label("", id="vc-hint", classes="hint", markup=False)
        yield MarkedTable(id="vc-list")
        yield Static("", id="vc-detail", markup=False)

    TABLE = "vc-list"
    COLUMNS = ("Due", "Ref", "Owner", "Contact")

    def on_mount(self) -> None:
        # Textual then runs FollowupList.on_mount itself (handlers run down the MRO): calling
        # it here as well added every column twice.
        if not self.scope:
            self.scope = "overdue" if allowed(self.user, Action.REVIEW) else "mine"

    def action_refresh(self) -> None:
        now = utcnow()
        who = {"owner": self.user.collar} if self.scope == "mine" else {"team": self.user.team}
        self.items = contacts_due(self.store, now, overdue_only=self.scope == "overdue", **who)
        # Whole words, as many as fit 80 columns (in full below the list).
        self.fill([(due_by(d.due_at, d.overdue(now)), d.reference, d.owner, d.what)
                   for d in self.items])  # fmt: skip
        self.query_one("#vc-title", Label).update(SCOPE_TITLES[self.scope])
        self.query_one("#vc-hint", Label).update(
            f"{len(self.items)} due · Enter record contact · o outcome · t mine/team/overdue"
        )
        self._show_detail()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _current(self) -> DueContact | None:
        if not self.items:
            return None
        return self.items[
            min(self.query_one("#vc-list", DataTable).cursor_row, len(self.items) - 1)
        ]

    def _show_detail(self) -> None:
        due = self._current()
        text = ""
        if due is not None:
            how = due.method.replace("_", " ") or "not recorded"
            tries = f" · {len(due.attempts)} attempt(s)" if due.attempts else ""
            text = f"{due.what}\nContact by: {how}{tries}\nSafety: {due.safety or 'none recorded'}"
        self.query_one("#vc-detail", Static).update(text)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_contact()

    def action_contact(self) -> None:
        due = self._current()
        if due is None:
            self.status("No contact due.")
            return
        self.app.push_screen(ContactForm(due))

    def action_outcome(self) -> None:
        due = self._current()
        if due is None:
            self.status("Choose a case first.")
            return
        self.app.push_screen(OutcomeForm(due.incident_id, due.reference))

    def action_scope(self) -> None:
        self.scope = SCOPES[(SCOPES.index(self.scope) + 1) % len(SCOPES)]
        self.action_refresh()


class ContactForm(FollowupForm):
    """How the contact was made, what happened, a note and when. Ctrl+S saves."""

    def __init__(self, due: DueContact) -> None:
        super().__init__()
        self.due = due

    def body(self) -> ComposeResult:
        d = self.due
        yield Label(f"{d.reference}: {d.what}", classes="title", markup=False)
        yield Static(
            f"Due {when(d.due_at)} · victim prefers {d.method.replace('_', ' ') or '—'}\n"
            f"Safety: {d.safety or 'none recorded'}",
            markup=False,
        )
        yield choice(METHODS, "How was contact made?", "vc-method")
        yield choice(RESULTS, "What happened?", "vc-result")
        yield TextBox(placeholder="Note (needed if declined or unsafe)", id="vc-note")
        yield TextBox(placeholder="When: YYYY-MM-DD HH:MM (blank for now)", id="vc-when")

    def draft_name(self) -> str:
        return f"contact:{self.due.key}"

    def on_mount(self) -> None:
        self.query_one("#vc-method").focus()

    def action_save(self) -> None:
        try:
            save_contact(
                self.store,
                self.user,
                self.due,
                read(self, "#vc-method"),
                read(self, "#vc-result"),
                read(self, "#vc-note"),
                parse_local(read(self, "#vc-when")),
            )
        except (ContactRefused, PermissionError, ValueError) as exc:
            self.status(f"Not saved: {exc}")
            return
        self.app.notify("Contact recorded.")
        self.saved()


class OutcomeForm(FollowupForm):
    """A key decision in the case, with its reason. Ctrl+S saves."""

    def __init__(self, incident_id: str, reference: str) -> None:
        super().__init__()
        self.incident_id = incident_id
        self.reference = reference

    def body(self) -> ComposeResult:
        yield Label(f"{self.reference}: case outcome", classes="title", markup=False)
        yield Static(
            "The victim is owed a contact about every key decision within one working day.",
            classes="hint",
        )
        yield choice(OUTCOMES, "Outcome", "oc-outcome")
        yield TextBox(placeholder="Reason (needed unless charged or bailed)", id="oc-reason")
        yield TextBox(placeholder="Decided: YYYY-MM-DD HH:MM (blank for now)", id="oc-when")

    def draft_name(self) -> str:
        return f"outcome:{self.incident_id}"

    def on_mount(self) -> None:
        self.query_one("#oc-outcome").focus()

    def action_save(self) -> None:
        try:
            save_outcome(
                self.store,
                self.user,
                self.incident_id,
                read(self, "#oc-outcome"),
                read(self, "#oc-reason"),
                parse_local(read(self, "#oc-when")),
            )
        except (OutcomeRefused, PermissionError, ValueError) as exc:
            self.status(f"Not saved: {exc}")
            return
        self.app.notify("Outcome recorded; the victim's contact is now due.")
        self.saved()
