"""Compliance dashboard: each measure overall with a weekly sparkline, then bars by team
and by officer for the chosen measure. Keys: up/down choose a measure, [ ] change the
period, Esc back."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Label, Static

from firstresponse.records import utcnow
from firstresponse.supervision import METRICS, Report
from firstresponse.supervision.compliance import METRIC
from firstresponse.supervision.terminal import compliance_report
from firstresponse.tui.screens.supervisor.charts import bar_lines, spark
from firstresponse.tui.terminal import TerminalScreen

PERIODS = [28, 56, 91, 182]
SPARK_WIDTH = 20


class MetricRow(Horizontal):
    """One measure: label, overall figure and a weekly sparkline (· a week with no data)."""

    DEFAULT_CSS = """
    MetricRow { height: 1; padding: 0 1; }
    MetricRow.-chosen { background: $accent 30%; }
    MetricRow .m-label { width: 41; padding-right: 1; }
    MetricRow .m-value { width: 14; }
    MetricRow .m-spark { width: 1fr; color: $accent; }
    """

    def __init__(self, metric_id: str, label: str) -> None:
        super().__init__(id=f"m-{metric_id}")
        self.metric_id = metric_id
        self.label = label

    def compose(self) -> ComposeResult:
        yield Static(self.label, classes="m-label", markup=False)
        yield Static("", classes="m-value", markup=False)
        yield Static("", classes="m-spark", markup=False)

    def show(self, report: Report) -> None:
        self.query_one(".m-value", Static).update(report.overall[self.metric_id].text())
        series = report.series(self.metric_id)
        top = None if METRIC[self.metric_id].kind == "minutes" else 100.0
        cells = max(1, SPARK_WIDTH // max(1, len(series)))
        text = "".join(ch * cells for ch in spark(series, top))
        self.query_one(".m-spark", Static).update(text)


class DashboardScreen(TerminalScreen[None]):
    """The APP's nine pieces of data, where the records hold them."""

    BINDINGS = [
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("down", "move(1)", "Next measure"),
        Binding("left_square_bracket", "period(-1)", "Shorter"),
        Binding("right_square_bracket", "period(1)", "Longer"),
        Binding("escape", "back", "Back"),
    ]

    DEFAULT_CSS = """
    DashboardScreen #db-bars { height: 1fr; padding: 0 1; }
    DashboardScreen .db-head { text-style: bold; color: $accent; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.chosen = 0
        self.period = 0
        self.report: Report | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="db-title", classes="title")
        for metric in METRICS:
            yield MetricRow(metric.id, metric.label)
        with VerticalScroll(id="db-bars"):
            yield Static("", id="db-detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def load(self) -> None:
        days = PERIODS[self.period]
        end = utcnow()
        self.report = compliance_report(self.app.context.store, end - timedelta(days=days), end)
        self.query_one("#db-title", Label).update(
            f"Compliance, last {days} days, {len(self.report.weeks)} weeks (· no data that week)"
        )
        for row in self.query(MetricRow):
            row.show(self.report)
        self.show_detail()

    def show_detail(self) -> None:
        if self.report is None:
            return
        metric = METRICS[self.chosen]
        for n, row in enumerate(self.query(MetricRow)):
            row.set_class(n == self.chosen, "-chosen")
        teams = {k: v[metric.id] for k, v in self.report.by_team.items() if v[metric.id].count}
        officers = {
            k: v[metric.id] for k, v in self.report.by_officer.items() if v[metric.id].count
        }
        report = self.report

        def weekly(scope: str, groups: Iterable[str]) -> dict[str, list[float | None]]:
            return {g: report.series(metric.id, scope, g) for g in groups}

        lines = [f"{metric.label}, by team (weekly at right):"]
        lines += bar_lines(teams, weekly=weekly("team", teams))
        lines += ["By officer:", *bar_lines(officers, weekly=weekly("officer", officers))]
        self.query_one("#db-detail", Static).update("\n".join(lines))

    def action_move(self, step: int) -> None:
        self.chosen = (self.chosen + step) % len(METRICS)
        self.show_detail()

    def action_period(self, step: int) -> None:
        self.period = max(0, min(len(PERIODS) - 1, self.period + step))
        self.load()

    def action_back(self) -> None:
        self.dismiss()
