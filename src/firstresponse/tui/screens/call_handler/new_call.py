"""A new call: the first details, with the repeat-victim lookup as they are typed."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Input, Label, OptionList, Static

from firstresponse.calls import CallDetails, Candidate, Search, facts_from_history
from firstresponse.calls.details import (
    ChildDetails,
    child_at,
    name_problems,
    parse_child,
    parse_children,
    parse_dob,
    replace_child,
    split_name,
)
from firstresponse.calls.people import CallPeople, call_people
from firstresponse.calls.terminal import StartedCall, start_call
from firstresponse.records import Relationship
from firstresponse.sync.client import SyncFailure
from firstresponse.tui.form_draft import FormDraftKeeper
from firstresponse.tui.screens.call_handler.fetching import fetching_note
from firstresponse.tui.screens.call_handler.history import HistoryScreen
from firstresponse.tui.screens.call_handler.lookup_panel import LookupPanel
from firstresponse.tui.screens.call_handler.state import CallState
from firstresponse.tui.terminal import TerminalScreen
from firstresponse.tui.widgets.picker import Picker
from firstresponse.tui.widgets.type_ahead import TextBox
from firstresponse.vocab import ETHNICITIES

YES_NO = [("Yes", "yes"), ("No", "no"), ("Not known", "unknown")]
#: (id, label, placeholder) of the text fields; the first five feed the lookup.
TEXT_FIELDS = [
    ("name", "Person at risk", "forename surname"),
    ("dob", "Date of birth", "YYYY-MM-DD"),
    ("phone", "Phone", "any format"),
    ("postcode", "Postcode", ""),
    ("address", "Address", ""),
    ("caller", "Caller", "name, or 'victim'"),
    ("happening", "Happening now", "what the caller says is happening"),
    ("suspect", "Suspect", "forename surname"),
    ("children", "Children", "names and ages: Amy 6, Ben 3"),
]
LOOKUP_FIELDS = ("name", "dob", "phone", "postcode", "address")
CHOICES = [
    ("relationship", "Relationship", [(r.value.replace("_", " "), r.value) for r in Relationship]),
    ("suspect_present", "Suspect there?", YES_NO),
    ("weapons", "Weapons?", YES_NO),
    (
        "ethnicity",
        "Ethnicity",
        [(f"{label} ({code})", code) for code, label in ETHNICITIES.items()],
    ),
]


class NewCallScreen(TerminalScreen[None]):
    """Caller and victim details; F3 picks a match; F5 goes on to THRIVE."""

    DEFAULT_CSS = """
    NewCallScreen #details { height: 1fr; }
    NewCallScreen .row { height: 1; }
    NewCallScreen .row Label { width: 16; padding: 0 1; }
    NewCallScreen .row Input, NewCallScreen .row Picker { width: 1fr; }
    NewCallScreen .row:focus-within > Label { text-style: bold reverse; }
    NewCallScreen #selected { height: 1; padding: 0 1; color: $success; }
    """

    BINDINGS = [
        Binding("f3", "matches", "Matches"),
        Binding("f5", "proceed", "THRIVE"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self) -> None:
        super().__init__()
        #: Whom the lookup panel is searching for: the "victim", "suspect" or "child" (the
        #: child under the cursor in the children box).
        self.target = "victim"
        #: Children chosen from the lookup, by the name now in the children box.
        self.known_children: dict[str, Candidate] = {}
        #: People chosen from the lookup, by role, with their history.
        self.known: dict[str, tuple[Candidate, dict[str, Any]]] = {}
        #: What is typed, kept until the call is opened (`FormDraftKeeper`).
        self.draft: FormDraftKeeper | None = None
        #: True while the call is being opened (the chosen people fetched) in a worker.
        self.opening = False

    @property
    def selected(self) -> Candidate | None:
        return self.known["victim"][0] if "victim" in self.known else None

    def _history(self, role: str) -> dict[str, Any] | None:
        return self.known[role][1] if role in self.known else None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="details"):
            for wid, label, placeholder in TEXT_FIELDS[:5]:
                yield self._text_row(wid, label, placeholder)
            yield self._choice_row(*CHOICES[0])
            for wid, label, placeholder in TEXT_FIELDS[5:8]:
                yield self._text_row(wid, label, placeholder)
            for spec in CHOICES[1:3]:
                yield self._choice_row(*spec)
            yield self._text_row(*TEXT_FIELDS[8])
            yield self._choice_row(*CHOICES[3])  # self-defined, optional: a new victim's
        yield Static("", id="selected", markup=False)
        yield LookupPanel(self.app.context.lookup, id="lookup")
        yield Footer()

    @staticmethod
    def _text_row(wid: str, label: str, placeholder: str) -> Horizontal:
        return Horizontal(
            Label(label),
            TextBox(placeholder=placeholder, id=wid, compact=True, enter_moves_on=True),
            classes="row",
        )

    @staticmethod
    def _choice_row(wid: str, label: str, options: list[tuple[str, str]]) -> Horizontal:
        return Horizontal(Label(label), Picker(options, id=wid), classes="row")

    def on_mount(self) -> None:
        self.sub_title = "New call · Enter or Tab: next box"
        self.query_one("#name", Input).focus()
        self.draft = FormDraftKeeper(self, "new_call")
        self.draft.restore(
            lambda: self.notify("The call you had started is back: choose any match again (F3)")
        )

    def on_unmount(self) -> None:
        if self.draft is not None:
            self.draft.close()

    def value(self, wid: str) -> str:
        return self.query_one(f"#{wid}", Input).value.strip()

    def choice(self, wid: str) -> str:
        return self.query_one(f"#{wid}", Picker).value

    def _role_of(self, widget_id: str | None) -> str | None:
        if widget_id in LOOKUP_FIELDS:
            return "victim"
        return {"suspect": "suspect", "children": "child"}.get(widget_id or "")

    def _search(self, role: str) -> Search:
        if role == "victim":
            return Search(**{f: self.value(f) for f in LOOKUP_FIELDS})
        if role == "child":
            child = self._child_typed()
            if child is None or child.name == "Unnamed child":
                return Search()
            return Search(name=child.name, dob=child.dob.isoformat() if child.dob else "")
        return Search(name=self.value("suspect"))

    def _child_typed(self) -> ChildDetails | None:
        """The child the cursor is on in the children box."""
        box = self.query_one("#children", Input)
        return parse_child(child_at(box.value, box.cursor_position)[1])

    def on_picker_changed(self) -> None:
        if self.draft is not None:
            self.draft.changed()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.on_picker_changed()  # kept as typed
        role = self._role_of(event.input.id)
        if role is not None:
            self.target = role
            self.query_one(LookupPanel).query_changed(self._search(role), role)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Back in a victim (or suspect) box, the matches are the victim's (suspect's) again."""
        role = self._role_of(event.widget.id)
        if role is not None and role != self.target and not self._search(role).empty:
            self.target = role
            self.query_one(LookupPanel).query_changed(self._search(role), role)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter has moved to the next detail, as Tab does (TextBox): nothing else to do."""
        event.stop()

    def action_matches(self) -> None:
        matches = self.query_one("#matches", OptionList)
        if not matches.option_count:
            self.notify("No matches yet: type a name, DOB, phone or postcode")
            return
        if matches.highlighted is None:
            matches.highlighted = 0
        matches.focus()

    def on_lookup_panel_chosen(self, event: LookupPanel.Chosen) -> None:
        self.open_history(event.candidate)

    @work(thread=True, exclusive=True, group="history")
    def open_history(self, candidate: Candidate) -> None:
        panel = self.query_one(LookupPanel)
        try:
            history = panel.source.history(candidate.person_id)
        except SyncFailure as exc:
            self.app.call_from_thread(self.notify, f"History unavailable: {exc}", severity="error")
            return
        if history is None:
            self.app.call_from_thread(self.notify, "No history found", severity="warning")
            return
        self.app.call_from_thread(self._show_history, candidate, history)

    def _show_history(self, candidate: Candidate, history: dict[str, Any]) -> None:
        def chosen(use: bool | None) -> None:
            if use:
                self.use(candidate, history)
            else:
                self.query_one("#matches", OptionList).focus()  # back where Enter was pressed

        self.app.push_screen(HistoryScreen(history), chosen)

    def use(self, candidate: Candidate, history: dict[str, Any]) -> None:
        """Take this known person as the victim, suspect or child, keeping their history."""
        if self.target == "child":
            self._use_child(candidate)
            return
        self.known[self.target] = (candidate, history)
        if self.target == "victim":
            box = self.query_one("#dob", Input)
            if not box.value.strip() and candidate.dob:
                box.value = candidate.dob
        self.query_one("#selected", Static).update(" | ".join(self._notes()))
        next_box = "#relationship" if self.target == "victim" else "#suspect_present"
        self.query_one(next_box, Picker).jump_here()  # keys still coming do not choose

    def _use_child(self, candidate: Candidate) -> None:
        """The child under the cursor is this known person: their name written in the list
        (the age typed kept), so they keep their own id and history."""
        box = self.query_one("#children", Input)
        index, chunk = child_at(box.value, box.cursor_position)
        typed = parse_child(chunk)
        age = f" {typed.age}" if typed is not None and typed.age is not None else ""
        self.known_children[candidate.name.casefold()] = candidate
        box.value = replace_child(box.value, index, candidate.name + age)
        box.cursor_position = len(box.value)
        self.query_one("#selected", Static).update(" | ".join(self._notes()))
        box.focus()

    def _children(self) -> list[ChildDetails]:
        """The children typed, each one chosen from the lookup under their own id."""
        children = []
        for child in parse_children(self.value("children")):
            chosen = self.known_children.get(child.name.casefold())
            if chosen is not None:
                dob = child.dob or parse_dob(chosen.dob)
                child = replace(child, dob=dob, person_id=chosen.person_id)
            children.append(child)
        return children

    def _notes(self) -> list[str]:
        notes = []
        if "victim" in self.known:
            victim = self.known["victim"][0]
            facts = facts_from_history(self.known["victim"][1])
            note = f"Victim: {victim.name}"
            if facts["repeat_victim"]:
                note += f" REPEAT ({facts['incidents_12m']} in 12m)"
            notes.append(note)
        if "suspect" in self.known:
            suspect, history = self.known["suspect"]
            note = f"Suspect: {suspect.name}"
            if facts_from_history(None, history)["police_workforce_suspect"]:
                note += " POLICE WORKFORCE"
            notes.append(note)
        known = [c.name for c in self._children() if c.person_id]
        if known:
            notes.append("Known: " + ", ".join(known))
        return notes

    def details(self) -> CallDetails:
        forename, surname = split_name(self.value("name"))
        s_forename, s_surname = split_name(self.value("suspect"))
        return CallDetails(
            victim_forename=forename,
            victim_surname=surname,
            victim_dob=parse_dob(self.value("dob")),
            victim_ethnicity=self.choice("ethnicity"),
            phone=self.value("phone"),
            address=self.value("address"),
            postcode=self.value("postcode").upper(),
            caller_name=self.value("caller"),
            relationship=self.choice("relationship"),
            happening_now=self.value("happening"),
            suspect_forename=s_forename,
            suspect_surname=s_surname,
            suspect_present=self.choice("suspect_present"),
            weapons=self.choice("weapons"),
            children=self._children(),
        )

    def action_proceed(self) -> None:
        """Open the call and go on to THRIVE; the chosen people's records are fetched from
        the hub in a worker, the screen answering keys meanwhile."""
        details = self.details()
        if not details.victim_name and self.selected is None:
            self.notify("Enter the name of the person at risk first", severity="error")
            self.query_one("#name", Input).focus()
            return
        if self.opening:
            self.notify("Still opening the call: a moment", severity="warning")
            return
        problems = name_problems(details)
        if problems:
            box, why = problems[0]
            self.notify(why, title="Not a name", severity="error", timeout=10, markup=False)
            self.query_one(f"#{box}", Input).focus()
            return
        victim = self.selected
        suspect = self.known["suspect"][0] if "suspect" in self.known else None
        children = [c for c in self.known_children.values() if _listed(c, details)]
        chosen = [p.name for p in (victim, suspect, *children) if p is not None]
        self.query_one("#selected", Static).update(
            fetching_note(chosen, self.app.context.lookup.name) or "Opening the call…"
        )
        self.opening = True
        self._open_call(details, victim, suspect, children)

    @work(thread=True, exclusive=True, group="open-call")
    def _open_call(
        self,
        details: CallDetails,
        victim: Candidate | None,
        suspect: Candidate | None,
        children: list[Candidate],
    ) -> None:
        context = self.app.context
        try:
            started = start_call(
                context.store,
                context.signed_in,
                details,
                victim=victim,
                suspect=suspect,
                force_code=context.settings.force_code,
                source=context.lookup,
                children=children,
            )
            people = call_people(context.store, context.signed_in, started.incident.id)
        except ValueError as refused:  # nothing was written: the details stay on screen
            self.app.call_from_thread(self._refused, str(refused))
            return
        self.app.call_from_thread(self._opened, details, started, people)

    def _refused(self, why: str) -> None:
        self.opening = False
        self.query_one("#selected", Static).update(" | ".join(self._notes()))
        self.notify(why, title="Call not opened", severity="error")

    def _opened(self, details: CallDetails, started: StartedCall, people: CallPeople) -> None:
        from firstresponse.tui.screens.call_handler.thrive import ThriveScreen

        self.opening = False
        if self.draft is not None:
            self.draft.saved()  # the call is open: its details are on the record
        incident = started.incident
        if started.without_history:
            self.notify(
                f"History not loaded for {', '.join(started.without_history)}: the hub did "
                "not answer. The floor may be too low; reopen the call when it is back.",
                title="Hub unavailable",
                severity="warning",
                timeout=15,
            )
        state = CallState(
            incident_id=incident.id,
            reference=incident.reference,
            victim_name=self.selected.name if self.selected else details.victim_name,
            history=people.victim,
            facts=people.facts,
            suspect_markers=people.suspect_markers,
            answers=_prefill(details),
        )
        if not self.is_current:  # the call handler left while the hub was slow
            self.notify(f"{incident.reference} opened: it is in today's calls")
            return
        self.app.switch_screen(ThriveScreen(state))

    def action_cancel(self) -> None:
        if self.draft is not None and self.draft.typed:
            self.app.notify("Draft kept: n opens this call again", timeout=4)
        self.app.pop_screen()


def _listed(candidate: Candidate, details: CallDetails) -> bool:
    return any(c.person_id == candidate.person_id for c in details.children)


def _prefill(details: CallDetails) -> dict[str, Any]:
    """THRIVE answers the first details already give."""
    answers: dict[str, Any] = {}
    if details.suspect_present:
        answers["suspect_present"] = details.suspect_present
    if details.weapons:
        answers["weapons"] = details.weapons
    if details.children:
        answers["children_present"] = "yes"
        answers["children_details"] = ", ".join(
            c.name + (f" {c.age}" if c.age is not None else "") for c in details.children
        )
    return answers
