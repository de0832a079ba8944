"""Orders after the scene: what became of each notice at its hearing (DVPN to DVPO, DAPN to
DAPO: granted with its end, refused, adjourned), of bail conditions (extended, ended) and
of a MARAC referral (listed for a date, heard with what was agreed), recorded by the
officer or supervisor who learns it; and the supervisor's week ahead of
hearings due and orders ending, with the orders stored against the victim to review."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Label, Static

from firstresponse.followup.orders import (
    OUTCOME_WORDS,
    AwaitingOutcome,
    OrderOutcomeRefused,
    awaiting_outcome,
    orders_to_review_lines,
    record_order_outcome,
    week_ahead,
)
from firstresponse.records import utcnow
from firstresponse.supervision.shifts import UK
from firstresponse.tui.screens.followup.base import FollowupForm, FollowupList, FollowupScreen
from firstresponse.tui.screens.followup.forms import read
from firstresponse.tui.widgets.marked_table import MarkedTable
from firstresponse.tui.widgets.picker import Picker
from firstresponse.tui.widgets.type_ahead import TextBox


def today() -> date:
    """The day as the UK clock reads it."""
    return utcnow().astimezone(UK).date()


def parse_day(text: str, what: str) -> date | None:
    """A date typed as YYYY-MM-DD; blank is None."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"write {what} as YYYY-MM-DD") from exc


def due_words(order: AwaitingOutcome, on: date) -> str:
    """ "hearing 12 Jan", "OVERDUE hearing 10 Jan", "ends 20 Jan", "MARAC 20 Jan", "no date"."""
    marac = "marac_heard" in order.outcomes
    if order.due is None:
        return "to be listed" if marac else "no date"
    if marac:
        return f"{'OVERDUE ' if order.due < on else ''}MARAC {order.due:%d %b}"
    notice = "granted" in order.outcomes
    late = "OVERDUE " if notice and order.due < on else ""
    return f"{late}{'hearing' if notice else 'ends'} {order.due:%d %b}"


class OrderOutcomesScreen(FollowupList):
    """Notices before their hearing, bail not yet ended and MARAC referrals not yet heard,
    soonest first; Enter records what became of the marked one."""

    BINDINGS = [
        Binding("enter", "record", "Record outcome", show=True),
        Binding("f5", "refresh", "Refresh"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[AwaitingOutcome] = []

    def body(self) -> ComposeResult:
        yield Label("Awaiting an outcome: hearings, bail and MARAC", classes="title")
        yield Label("", id="oo-hint", classes="hint", markup=False)
        yield MarkedTable(id="oo-list")
        yield Static("", id="oo-detail", markup=False)

    TABLE = "oo-list"
    COLUMNS = ("Due", "Order")

    def action_refresh(self) -> None:
        on = today()
        self.items = self.store.run(awaiting_outcome)
        self.fill([(due_words(a, on), a.what) for a in self.items])
        self.query_one("#oo-hint", Label).update(
            f"{len(self.items)} awaiting · Enter: record what was decided · F5 refresh · Esc back"
        )
        self._show_detail()

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _current(self) -> AwaitingOutcome | None:
        if not self.items:
            return None
        row = self.query_one("#oo-list", DataTable).cursor_row
        return self.items[min(max(row, 0), len(self.items) - 1)]

    def _show_detail(self) -> None:
        order = self._current()
        text = "No notices, bail or MARAC referrals waiting for an outcome on this terminal."
        if order is not None:
            made = f"Made {order.starts_on}" if order.starts_on else "Made: date not recorded"
            text = f"{order.what}\n{made}" + (f" · so far: {order.so_far}" if order.so_far else "")
        self.query_one("#oo-detail", Static).update(text)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_record()

    def action_record(self) -> None:
        order = self._current()
        if order is None:
            self.status("Nothing waiting for an outcome.")
            return
        self.app.push_screen(OrderOutcomeForm(order))


class OrderOutcomeForm(FollowupForm):
    """The outcome, its date, the order's or bail's new end, the adjourned hearing, the
    court and a note (why, if refused). Ctrl+S saves."""

    DEFAULT_CSS = """
    OrderOutcomeForm #oo-form { height: 1fr; }
    OrderOutcomeForm Picker, OrderOutcomeForm Input { width: 1fr; }
    """

    def __init__(self, order: AwaitingOutcome) -> None:
        super().__init__()
        self.order = order

    def body(self) -> ComposeResult:
        order = self.order
        notice = "granted" in order.outcomes
        marac = "marac_heard" in order.outcomes
        yield Label(order.what, classes="title", markup=False)
        if marac:
            due = f"Conference: {order.due or 'not listed yet'}"
            grant = "Listed needs the conference's date; heard, what it agreed."
        elif notice:
            due = f"Hearing: {order.due or 'no date recorded'}"
            grant = "A DVPO lasts 14 to 28 days from the hearing; a DAPO may have no end."
        else:
            due = f"Bail ends: {order.due or 'no date recorded'}"
            grant = "Bail extended needs its new end; bail ended, the day it ended."
        yield Static(due + (f" · so far: {order.so_far}" if order.so_far else ""), markup=False)
        yield Static(grant, classes="hint")
        with VerticalScroll(id="oo-form"):
            yield Picker(
                [(OUTCOME_WORDS[o], o) for o in order.outcomes],
                prompt="What was decided?",
                id="oo-outcome",
            )
            yield TextBox(placeholder="Decided on: YYYY-MM-DD (blank for today)", id="oo-on")
            if marac:
                yield TextBox(placeholder="Listed for: YYYY-MM-DD (listed)", id="oo-next")
                yield TextBox(placeholder="What the conference agreed (heard)", id="oo-note")
                return
            yield TextBox(
                placeholder="Order or bail ends on: YYYY-MM-DD (granted, bail extended)",
                id="oo-ends",
            )
            if notice:
                yield TextBox(placeholder="Adjourned to: YYYY-MM-DD (adjourned)", id="oo-next")
                yield TextBox(placeholder="Court", id="oo-court")
            yield TextBox(placeholder="Note (why, if the court refused it)", id="oo-note")

    def draft_name(self) -> str:
        return f"order_outcome:{self.order.order_id}"

    def on_mount(self) -> None:
        self.query_one("#oo-outcome").focus()

    def _box(self, wid: str) -> str:
        found = self.query(f"#{wid}")
        return read(self, f"#{wid}") if found else ""

    def action_save(self) -> None:
        try:
            outcome = read(self, "#oo-outcome")
            on = parse_day(self._box("oo-on"), "the day it was decided") or today()
            row = self.store.run(
                record_order_outcome,
                self.user,
                self.order.order_id,
                outcome,
                on,
                ends_on=parse_day(self._box("oo-ends"), "the end"),
                next_hearing_on=parse_day(self._box("oo-next"), "the date"),
                court=self._box("oo-court"),
                note=self._box("oo-note"),
            )
        except (OrderOutcomeRefused, PermissionError, ValueError) as exc:
            self.status(f"Not saved: {exc}")
            return
        until = f" to {row.ends_on}" if row.ends_on else ""
        until = f" to {row.next_hearing_on}" if row.next_hearing_on else until
        self.app.notify(f"Recorded: {OUTCOME_WORDS[row.outcome]} on {row.outcome_on}{until}.")
        self.saved()


class WeekAheadScreen(FollowupScreen):
    """For supervisors: hearings due this week and those past with no outcome, orders and
    bail ending this week, and orders stored against the victim that need a decision."""

    DEFAULT_CSS = """
    WeekAheadScreen #wa-body { height: 1fr; padding: 0 1; }
    WeekAheadScreen .heading { text-style: bold; color: $accent; }
    """
    BINDINGS = [
        Binding("o", "outcomes", "Record outcomes"),
        Binding("f5", "refresh", "Refresh"),
        Binding("escape", "back", "Back"),
    ]

    def body(self) -> ComposeResult:
        yield Label("", id="wa-title", classes="title", markup=False)
        yield VerticalScroll(id="wa-body", can_focus=True)
        yield Label("o: record a hearing's or bail's outcome · F5 refresh · Esc back",
                    classes="hint")  # fmt: skip

    async def on_mount(self) -> None:
        self.query_one("#wa-body").focus()
        await self.action_refresh()

    async def on_screen_resume(self) -> None:
        await self.action_refresh()

    async def action_refresh(self) -> None:
        on = today()
        week = self.store.run(week_ahead, on)
        review = self.store.run(orders_to_review_lines)
        self.query_one("#wa-title", Label).update(f"Week ahead from {on:%a %d %b %Y}")
        sections = [
            ("Hearings past with no outcome recorded", week.hearings_overdue),
            ("Hearings due this week", week.hearings_due),
            ("Orders and bail ending this week", week.ending),
            ("MARAC conferences this week", week.conferences),
            ("Orders to review: stored against the victim, no suspect named", review),
        ]
        widgets: list[Static] = []
        for title, lines in sections:
            widgets.append(Static(f"{title}: {len(lines)}", classes="heading", markup=False))
            widgets += [Static(f"• {line}", markup=False) for line in lines] or [
                Static("• none", markup=False)
            ]
        body = self.query_one("#wa-body", VerticalScroll)
        await body.remove_children()
        await body.mount_all(widgets)

    def action_outcomes(self) -> None:
        self.app.push_screen(OrderOutcomesScreen())
