"""The suspect at the scene: the call handler's suspect carried through, searched for with
the call handler's own lookup (the hub when it answers, this terminal's copy otherwise),
chosen from the matches or added as a new person, or "not identified" with its reason.

What is typed is a draft (`FormDraftKeeper`): Escape goes back and the screen opens again
with it. Orders made at the incident restrain the suspect named here.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from firstresponse.calls import Candidate
from firstresponse.calls.details import parse_dob, split_name
from firstresponse.calls.scene_suspect import (
    MIN_REASON,
    NewSuspect,
    SuspectRefused,
    search_suspect,
    set_suspect,
    suspect_not_identified,
)
from firstresponse.calls.suspect_view import SceneSuspect, scene_suspect
from firstresponse.records import User
from firstresponse.sync.client import SyncFailure
from firstresponse.tui.form_draft import FormDraftKeeper
from firstresponse.tui.screens.call_handler.lookup_panel import DEBOUNCE_SECONDS, describe
from firstresponse.tui.screens.responder.base import ResponderScreen
from firstresponse.tui.screens.responder.dialogs import ReasonDialog
from firstresponse.tui.widgets.type_ahead import TextBox

#: (id, label, placeholder) of the boxes: searched on as typed, and a new person's details.
FIELDS = (
    ("sus-name", "Name", "forename surname"),
    ("sus-dob", "Date of birth", "YYYY-MM-DD"),
    ("sus-address", "Address", ""),
    ("sus-postcode", "Postcode", ""),
)
HINT = (
    "Type to search · Enter on a match (or F3) chooses it · ^n: a new person from the boxes"
    " · F4: not identified, with why · Esc: back (typing kept)"
)


def now_line(now: SceneSuspect) -> str:
    """The suspect the incident names now, and what the officer can do about it."""
    if now.suspect_id:
        return f"Suspect now: {now.line()}. Esc keeps them; choose or add another to correct it."
    if now.not_identified:
        return f"Suspect {now.line()}"
    return "No suspect named yet: find them below, add them (^n), or say why not (F4)."


class SuspectScreen(ResponderScreen):
    """Identify the incident's suspect: confirm the call handler's, choose a match, add a new
    person, or record that nobody could be identified and why."""

    DEFAULT_CSS = """
    SuspectScreen .row { height: 1; }
    SuspectScreen .row Label { width: 15; padding: 0 1; }
    SuspectScreen .row Input { width: 1fr; }
    SuspectScreen .row:focus-within > Label { text-style: bold reverse; }
    SuspectScreen #sus-now { height: auto; max-height: 2; padding: 0 1; }
    SuspectScreen #sus-status { height: 1; padding: 0 1; color: $text-muted; }
    SuspectScreen #sus-matches { height: 1fr; border: none; }
    SuspectScreen #sus-hint { height: auto; max-height: 2; width: 1fr; }
    """
    BINDINGS = [
        Binding("f3", "choose", "Choose match"),
        Binding("ctrl+n", "new", "New person", priority=True),
        Binding("f4", "not_identified", "Not identified"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, incident_id: str) -> None:
        super().__init__()
        self.incident_id = incident_id
        self.candidates: list[Candidate] = []
        self.draft: FormDraftKeeper | None = None
        self._timer: Timer | None = None
        self._asked = 0
        self.busy = False

    @property
    def user(self) -> User:
        return self.app.context.signed_in

    def body(self) -> ComposeResult:
        now = scene_suspect(self.store, self.incident_id)
        yield Static(
            f"Suspect at {now.reference} · person at risk: {now.victim_name}",
            classes="title",
            markup=False,
        )
        yield Static(now_line(now), id="sus-now", markup=False)
        for wid, label, placeholder in FIELDS:
            yield Horizontal(
                Label(label),
                TextBox(placeholder=placeholder, id=wid, compact=True, enter_moves_on=True),
                classes="row",
            )
        yield Static("Lookup: type a name, date of birth or address", id="sus-status")
        yield OptionList(id="sus-matches", compact=True)
        yield Label(HINT, id="sus-hint", classes="hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#sus-name", Input).focus()
        self.draft = FormDraftKeeper(self, f"scene_suspect:{self.incident_id}")
        self.draft.restore(self._search_soon)

    def on_unmount(self) -> None:
        if self.draft is not None:
            self.draft.close()

    def value(self, wid: str) -> str:
        return self.query_one(f"#{wid}", Input).value.strip()

    def status(self, text: str) -> None:
        self.query_one("#sus-status", Static).update(text)

    # -- the search, as typed ----------------------------------------------------------
    def on_input_changed(self, _event: Input.Changed) -> None:
        if self.draft is not None:
            self.draft.changed()
        self._search_soon()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()  # Enter has moved on to the next box (TextBox)

    def _search_soon(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_SECONDS, self._search_now)

    def _search_now(self) -> None:
        self._asked += 1
        boxes = [self.value(wid) for wid, _, _ in FIELDS]
        if not any(boxes):
            self._show([], "Lookup: type a name, date of birth or address")
            return
        self.status("Searching…")
        self._search(*boxes, ticket=self._asked)

    @work(thread=True, exclusive=True, group="suspect-lookup")
    def _search(self, name: str, dob: str, address: str, postcode: str, *, ticket: int) -> None:
        source = self.app.context.lookup
        try:
            found = search_suspect(source, name, dob, address, postcode)
            count = f"{len(found)} match{'es' if len(found) != 1 else ''}"
            note = f"{count} ({source.name})" + (" · Enter or F3 chooses" if found else "")
            if not found:
                note += " · ^n adds this person as new"
        except SyncFailure as exc:
            found, note = [], f"Lookup unavailable: {exc}"
        if ticket == self._asked:
            self.app.call_from_thread(self._show, found, note)

    def _show(self, found: list[Candidate], note: str) -> None:
        self.candidates = found
        options = self.query_one("#sus-matches", OptionList)
        options.clear_options()
        options.add_options([Option(describe(c), id=c.person_id) for c in found])
        if found:
            options.highlighted = 0
        self.status(note)

    # -- choosing ----------------------------------------------------------------------
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.candidates):
            self._set(chosen=self.candidates[event.option_index])

    def action_choose(self) -> None:
        index = self.query_one("#sus-matches", OptionList).highlighted
        if index is None or not 0 <= index < len(self.candidates):
            self.status("No match to choose: type the suspect's name, or ^n adds a new person.")
            return
        self._set(chosen=self.candidates[index])

    def action_new(self) -> None:
        forename, surname = split_name(self.value("sus-name"))
        dob_text = self.value("sus-dob")
        dob = parse_dob(dob_text)
        if dob_text and dob is None:
            self.status("Write the date of birth as YYYY-MM-DD (or leave it blank).")
            self.query_one("#sus-dob", Input).focus()
            return
        if not (forename and surname):
            self.status("A new person needs a forename and surname in the Name box.")
            self.query_one("#sus-name", Input).focus()
            return
        address, postcode = self.value("sus-address"), self.value("sus-postcode")
        self._set(new=NewSuspect(forename, surname, dob, address, postcode))

    def _set(self, *, chosen: Candidate | None = None, new: NewSuspect | None = None) -> None:
        if self.busy:
            return
        self.busy = True
        self.status("Saving the suspect…")
        self._setting(chosen, new)

    @work(thread=True, exclusive=True, group="suspect-set")
    def _setting(self, chosen: Candidate | None, new: NewSuspect | None) -> None:
        source = self.app.context.lookup if chosen is not None else None
        try:
            person = set_suspect(
                self.store, self.user, self.incident_id, chosen=chosen, source=source, new=new
            )
        except (SuspectRefused, PermissionError, SyncFailure) as exc:
            self.app.call_from_thread(self._refused, str(exc))
            return
        self.app.call_from_thread(self._done, f"Suspect: {person.full_name}. Orders made at "
                                  "this incident restrain them.")  # fmt: skip

    def _refused(self, why: str) -> None:
        self.busy = False
        self.status(f"Not set: {why}")

    def _done(self, message: str) -> None:
        if self.draft is not None:
            self.draft.saved()
            self.draft = None
        self.refresh_status()
        self.app.notify(message)
        self.dismiss()

    def action_not_identified(self) -> None:
        now = scene_suspect(self.store, self.incident_id)
        if now.suspect_id:
            self.status(f"{now.name} is named: choose or add the right person to correct it.")
            return

        def given(reason: str | None) -> None:
            if not reason:
                return
            try:
                suspect_not_identified(self.store, self.user, self.incident_id, reason)
            except (SuspectRefused, PermissionError) as exc:
                self.status(f"Not recorded: {exc}")
                return
            self._done("Suspect not identified: recorded with why, for a supervisor to see.")

        self.app.push_screen(
            ReasonDialog(
                "Why can the suspect not be identified? (a supervisor sees this)",
                placeholder=f"Reason (required, at least {MIN_REASON} characters)",
            ),
            given,
        )

    def action_back(self) -> None:
        if self.draft is not None and self.draft.typed:
            self.app.notify("Typing kept: open the suspect step again to go on", timeout=4)
        self.dismiss()
