"""Search-as-you-type repeat-victim results: debounced, ranked, each with its reasons."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from firstresponse.calls import Candidate, LookupSource, Search
from firstresponse.sync.client import SyncFailure

DEBOUNCE_SECONDS = 0.3


def describe(candidate: Candidate) -> str:
    """Two lines: who, and why they matched."""
    facts = [candidate.dob or "DOB ?", candidate.postcode or "no postcode"]
    if roles := candidate.recent_roles():
        facts.append(roles)
    elif candidate.da_incidents_12m:  # a hub that does not count by role
        facts.append(f"{candidate.da_incidents_12m} DA in 12m")
    if candidate.markers:
        facts.append(", ".join(m.replace("_", " ") for m in candidate.markers))
    why = "; ".join(candidate.reasons) or "matched"
    return f"{candidate.name} · {' · '.join(facts)}\n  {round(candidate.score * 100)}% {why}"


class LookupPanel(Vertical):
    """Shows matches for whatever is typed; Enter on a match posts `Chosen`."""

    DEFAULT_CSS = """
    LookupPanel { height: 9; border-top: solid $accent; }
    LookupPanel #lookup-status { height: 1; color: $text-muted; padding: 0 1; }
    LookupPanel OptionList { height: 1fr; border: none; }
    """

    class Chosen(Message):
        """The call handler picked a match."""

        def __init__(self, candidate: Candidate) -> None:
            super().__init__()
            self.candidate = candidate

    def __init__(self, source: LookupSource, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.source = source
        self.candidates: list[Candidate] = []
        self._timer: Timer | None = None
        self._query = Search()
        self._who = "victim"
        self._asked = 0

    def compose(self) -> ComposeResult:
        yield Static("Lookup: type a name, DOB, phone or postcode", id="lookup-status")
        yield OptionList(id="matches", compact=True)

    def status(self, text: str) -> None:
        self.query_one("#lookup-status", Static).update(text)

    def query_changed(self, query: Search, who: str = "victim") -> None:
        """Search again shortly for the `who` (victim or suspect), unless more is typed first."""
        self._query = query
        self._who = who
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_SECONDS, self._search_now)

    def _search_now(self) -> None:
        if self._query.empty:
            self._show([], "Lookup: type a name, DOB, phone or postcode")
            return
        self._asked += 1
        self.status("Searching…")
        self._run(self._query, self._asked)

    @work(thread=True, exclusive=True, group="lookup")
    def _run(self, query: Search, ticket: int) -> None:
        try:
            found = self.source.search(query)
            count = f"{len(found)} match{'es' if len(found) != 1 else ''}"
            note = f"{self._who.capitalize()}: {count} ({self.source.name})"
            if found:
                note += " · F3 to choose"
        except SyncFailure as exc:
            found, note = [], f"Lookup unavailable: {exc}"
        if ticket == self._asked:
            self.app.call_from_thread(self._show, found, note)

    def _show(self, found: list[Candidate], note: str) -> None:
        self.candidates = found
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(describe(c), id=c.person_id) for c in found])
        if found:
            options.highlighted = 0
        self.status(note)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.candidates):
            self.post_message(self.Chosen(self.candidates[event.option_index]))
