"""DVDS (Clare's Law): applications with their next deadline, a new application, a step."""

from __future__ import annotations

from datetime import timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Label, Static

from firstresponse.followup.dvds import (
    ROUTES,
    STEP_OUTCOMES,
    STEPS,
    Application,
    DvdsRefused,
    record_step,
)
from firstresponse.followup.terminal import dvds_applications, log_application
from firstresponse.records import utcnow
from firstresponse.tui.screens.followup.base import FollowupForm, FollowupList, day_time, when
from firstresponse.tui.screens.followup.forms import choice, parse_local, read
from firstresponse.tui.widgets.marked_table import MarkedTable
from firstresponse.tui.widgets.picker import Picker
from firstresponse.tui.widgets.type_ahead import TextBox

#: How far back the Right to Know prompts look.
PROMPT_DAYS = 28
YES_NO = {"no": "No", "yes": "Yes"}


class DvdsListScreen(FollowupList):
    """Open applications, overdue first. n new application; Enter records the next step."""

    BINDINGS = [
        Binding("enter", "step", "Record step", show=True),
        Binding("n", "new", "New application"),
        Binding("a", "all", "Open/all"),
        Binding("f5", "refresh", "Refresh"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[Application] = []
        self.include_closed = False

    def body(self) -> ComposeResult:
        yield Label("DVDS (Clare's Law) applications", classes="title")
        yield Label("", id="dv-hint", classes="hint", markup=False)
        yield MarkedTable(id="dv-list")
        yield Static("", id="dv-prompts", markup=False)

    TABLE = "dv-list"
    COLUMNS = ("Next due", "Ref", "Route", "Next step", "Outcome")

    def action_refresh(self) -> None:
        now = utcnow()
        self.items, prompts = dvds_applications(
            self.store,
            now,
            include_closed=self.include_closed,
            prompts_since=now - timedelta(days=PROMPT_DAYS),
        )
        rows = []
        for a in self.items:
            nxt = a.next_due()
            if nxt is None:
                due, step = "closed", "—"
            else:
                late = "OVERDUE " if nxt.overdue(now) else ""
                due = late + (day_time(nxt.due_at) if nxt.due_at else f"after {nxt.waits_for}")
                step = nxt.step.replace("_", " ")
            route = ROUTES[a.record.route].removeprefix("Right to ")  # "Ask", "Know"
            rows.append((due, a.record.reference, route, step, a.outcome))
        self.fill(rows)
        self.query_one("#dv-hint", Label).update(
            f"{len(self.items)} {'in all' if self.include_closed else 'open'} · Enter step · "
            "n new · a open/all"
        )
        lines = [
            f"Consider Right to Know: {p.reference}, {p.suspect_name} "
            f"({p.earlier_victims} earlier victim{'s' if p.earlier_victims != 1 else ''})"
            for p in prompts[:3]
        ]
        self.query_one("#dv-prompts", Static).update("\n".join(lines))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_step()

    def action_step(self) -> None:
        if not self.items:
            self.status("No application chosen.")
            return
        chosen = self.items[self.query_one("#dv-list", DataTable).cursor_row]
        if chosen.next_due() is None:
            self.status(f"{chosen.record.reference} is closed: {chosen.outcome}")
            return
        self.app.push_screen(DvdsStepForm(chosen))

    def action_new(self) -> None:
        self.app.push_screen(DvdsApplicationForm())

    def action_all(self) -> None:
        self.include_closed = not self.include_closed
        self.action_refresh()


class DvdsApplicationForm(FollowupForm):
    """Who asks, about whom, the relationship, safety concerns, a safe way to reply."""

    def body(self) -> ComposeResult:
        yield Label("New DVDS application (Ctrl+S save, Esc back)", classes="title")
        with VerticalScroll():
            yield choice(ROUTES, "Route", "da-route")
            yield TextBox(
                placeholder="Who is asking (blank if the potential victim)", id="da-applicant"
            )
            yield Picker(
                [
                    ("Applicant is the potential victim: no", "no"),
                    ("Applicant is the potential victim: yes", "yes"),
                ],
                allow_blank=False,
                id="da-is-victim",
            )
            yield TextBox(placeholder="Potential victim's name", id="da-victim")
            yield TextBox(
                placeholder="Name of the person the information is about", id="da-subject"
            )
            yield TextBox(placeholder="Relationship between them", id="da-relationship")
            yield TextBox(placeholder="Why it is sought; risks seen", id="da-concerns")
            yield TextBox(placeholder="Safe way to contact the applicant", id="da-safe")
            yield Picker(
                [("Imminent risk found: no", "no"), ("Imminent risk found: YES", "yes")],
                allow_blank=False,
                id="da-imminent",
            )
            yield TextBox(placeholder="Received: YYYY-MM-DD HH:MM (blank for now)", id="da-when")

    def draft_name(self) -> str:
        return "dvds_application"

    def on_mount(self) -> None:
        self.query_one("#da-route").focus()

    def _text(self, widget_id: str) -> str:
        return read(self, widget_id)

    def action_save(self) -> None:
        try:
            received = parse_local(self._text("#da-when"))
            row = log_application(
                self.store,
                self.user,
                route=self._text("#da-route"),
                applicant_name=self._text("#da-applicant"),
                applicant_is_victim=self._text("#da-is-victim") == "yes",
                victim_name=self._text("#da-victim"),
                subject_name=self._text("#da-subject"),
                relationship=self._text("#da-relationship"),
                concerns=self._text("#da-concerns"),
                safe_contact=self._text("#da-safe"),
                imminent_risk=self._text("#da-imminent") == "yes",
                received_at=received,
            )
        except (DvdsRefused, PermissionError, ValueError) as exc:
            self.status(f"Not saved: {exc}")
            return
        urgent = " Imminent risk: safeguard now." if row.imminent_risk else ""
        self.app.notify(f"{row.reference} logged.{urgent}")
        self.saved()


class DvdsStepForm(FollowupForm):
    """The application's deadlines, and the next step to record (outcome, note, time)."""

    def __init__(self, application: Application) -> None:
        super().__init__()
        self.application = application
        nxt = application.next_due()
        self.step = nxt.step if nxt else ""

    def body(self) -> ComposeResult:
        r = self.application.record
        yield Label(
            f"{r.reference} · {ROUTES[r.route]} · {r.subject_name}", classes="title", markup=False
        )
        now = utcnow()
        lines = []
        for d in self.application.deadlines:
            if d.done is not None:
                state = f"done {when(d.done.done_at)}" + (" (LATE)" if d.late() else "")
            elif d.due_at is None:
                state = f"after {d.waits_for.replace('_', ' ')}" if d.waits_for else "no deadline"
            else:
                state = ("OVERDUE, was due " if d.overdue(now) else "due ") + when(d.due_at)
            lines.append(f"{d.label}: {state}")
        yield Static("\n".join(lines), markup=False)
        yield Label(f"Record: {STEPS.get(self.step, '—')}", classes="title")
        options = STEP_OUTCOMES.get(self.step, {})
        select = choice(options, "Outcome", "ds-outcome")
        select.display = bool(options)
        yield select
        yield TextBox(placeholder="Note or reason", id="ds-note")
        yield TextBox(placeholder="Done: YYYY-MM-DD HH:MM (blank for now)", id="ds-when")

    def draft_name(self) -> str:
        return f"dvds_step:{self.application.record.id}:{self.step}"

    def on_mount(self) -> None:
        target = "#ds-outcome" if STEP_OUTCOMES.get(self.step) else "#ds-note"
        self.query_one(target).focus()

    def action_save(self) -> None:
        try:
            self.store.run(
                record_step,
                self.user,
                self.application.record,
                self.step,
                read(self, "#ds-outcome"),
                read(self, "#ds-note"),
                parse_local(read(self, "#ds-when")),
            )
        except (DvdsRefused, PermissionError, ValueError) as exc:
            self.status(f"Not saved: {exc}")
            return
        self.app.notify(f"{STEPS[self.step]} recorded.")
        self.saved()
