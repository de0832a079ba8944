"""Compliance figures: the APP "nine pieces of data" where the records hold them.

Each case yields `Observation`s (one per thing that can be counted: a checklist, a
child, a suggested referral ...), attributed to the officer who did the work and the
incident's date. `summarise` turns any set of observations into `Figure`s, so the
same code gives the totals, each team, each officer and each week.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlmodel import Session

from firstresponse.checklist import is_answered, reason_key
from firstresponse.supervision.cases import Case, aware, load_cases, teams


@dataclass(frozen=True)
class Metric:
    id: str
    label: str
    kind: str = "rate"  # "rate": hits of count; "minutes": a measured time


METRICS = [
    Metric("bwv_used", "Body-worn video recording on arrival"),
    Metric("children_recorded", "Children present recorded individually"),
    Metric("children_seen", "Children seen by an officer"),
    Metric("risk_with_text", "Risk assessment completed with free text"),
    Metric("arrest_where_grounds", "Arrest where there were grounds"),
    Metric("no_arrest_reason", "Reason recorded for no arrest"),
    Metric("referrals_made", "Referrals made where called for"),
    Metric("repeat_identified", "Repeat victims identified at the call"),
    Metric("override_recorded", "Grade below floor with override recorded"),
    Metric("minutes_to_arrival", "Minutes from call to arrival", "minutes"),
]
METRIC = {m.id: m for m in METRICS}

#: Free-text items of the risk checklist in the victim's words (any one counts).
RISK_DETAIL_ITEMS = (
    "now_detail",
    "relationship_detail",
    "pattern_detail",
    "serious_detail",
    "abuser_detail",
)
#: A referral the risk checklist suggests -> the item recording whether it was made.
REFERRAL_ITEMS = {
    "marac": "marac_referral",
    "idva": "idva_referral",
    "childrens_services": "childrens_services_referral",
    "dvpn": "dvpn_considered",
}


@dataclass(frozen=True)
class Observation:
    """One countable thing: `hit` for rates, `value` for measured metrics."""

    metric: str
    officer: str
    at: datetime
    incident_id: str = ""
    hit: bool | None = None
    value: float | None = None


#: Fewest characters that count as free text in the victim's or officer's words.
MIN_FREE_TEXT = 20


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _free_text(value: Any) -> bool:
    return isinstance(value, str) and len(value.strip()) >= MIN_FREE_TEXT


def parse_time(value: Any) -> datetime | None:
    """An answered date-time ("YYYY-MM-DD HH:MM" or ISO) as UTC, or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _first_response(case: Case) -> list[Observation]:
    answers = case.answers("first_response")
    if "first_response" not in case.assessments:
        return []
    officer, at, iid = case.author("first_response"), aware(case.incident.occurred_at), case.id

    def obs(metric: str, hit: bool | None = None, value: float | None = None) -> Observation:
        return Observation(metric, officer, at, iid, hit, value)

    out = []
    if is_answered(answers.get("bwv_on")):
        out.append(obs("bwv_used", answers["bwv_on"] == "yes"))
    entries = [e for e in answers.get("children") or [] if isinstance(e, dict)]
    if answers.get("children_present") == "yes":
        out.append(obs("children_recorded", bool(entries or case.children)))
    if entries:
        out += [obs("children_seen", e.get("seen") == "yes") for e in entries]
    else:
        out += [obs("children_seen", c.seen is True) for c in case.children]
    if answers.get("grounds_for_arrest") == "yes":
        arrested = answers.get("arrested")
        out.append(obs("arrest_where_grounds", arrested == "yes"))
        if arrested != "yes":
            out.append(obs("no_arrest_reason", _text(answers.get(reason_key("arrested")))))
    arrived = parse_time(answers.get("arrived_at"))
    if arrived is not None and arrived >= at:
        out.append(obs("minutes_to_arrival", value=(arrived - at).total_seconds() / 60))
    return out


def _risk(case: Case) -> list[Observation]:
    if "risk" not in case.assessments:
        return []
    answers, result = case.answers("risk"), case.result("risk")
    officer, at, iid = case.author("risk"), aware(case.incident.occurred_at), case.id
    with_text = (
        result.get("complete", True) is not False
        and _free_text(answers.get("officer_view"))
        and any(_free_text(answers.get(i)) for i in RISK_DETAIL_ITEMS)
    )
    out = [Observation("risk_with_text", officer, at, iid, with_text)]
    for referral in result.get("referrals") or []:
        item = REFERRAL_ITEMS.get(referral.get("id", ""))
        if item:
            out.append(Observation("referrals_made", officer, at, iid, answers.get(item) == "yes"))
    return out


def _call(case: Case) -> list[Observation]:
    if "thrive" not in case.assessments:
        return []
    answers, flags = case.answers("thrive"), set(case.result("thrive").get("flags") or [])
    officer, at, iid = case.author("thrive"), aware(case.incident.occurred_at), case.id
    out = []
    if case.prior_incidents_12m >= 1 or "repeat_victim" in case.victim_markers:
        out.append(Observation("repeat_identified", officer, at, iid, "repeat_victim" in flags))
    if "grade_below_floor" in flags:
        recorded = _text(answers.get("floor_override_reason")) and _text(
            answers.get("floor_override_supervisor")
        )
        out.append(Observation("override_recorded", officer, at, iid, recorded))
    return out


def observe(case: Case) -> list[Observation]:
    """Everything countable in one case."""
    return _call(case) + _first_response(case) + _risk(case)


def collect(db: Session, start: datetime, end: datetime) -> list[Observation]:
    return [o for case in load_cases(db, start, end) for o in observe(case)]


@dataclass
class Figure:
    """One metric over a set of observations: hits of count, or the median of values."""

    metric: str
    label: str
    count: int = 0
    hits: int = 0
    median: float | None = None

    @property
    def rate(self) -> float | None:
        if METRIC[self.metric].kind != "rate" or not self.count:
            return None
        return self.hits / self.count

    def text(self) -> str:
        if not self.count:
            return "—"
        if self.median is not None:
            return f"{self.median:.0f} min (n={self.count})"
        return f"{self.hits}/{self.count} {100 * (self.rate or 0):.0f}%"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "rate": None if self.rate is None else round(self.rate, 4)}


def summarise(observations: list[Observation]) -> dict[str, Figure]:
    """A `Figure` for every metric (zero counts included) from these observations."""
    figures = {m.id: Figure(m.id, m.label) for m in METRICS}
    values: dict[str, list[float]] = defaultdict(list)
    for o in observations:
        figure = figures[o.metric]
        figure.count += 1
        if o.hit:
            figure.hits += 1
        if o.value is not None:
            values[o.metric].append(o.value)
    for metric, found in values.items():
        figures[metric].median = statistics.median(found)
    return figures


def week_of(at: datetime) -> date:
    """Monday of the ISO week containing `at`."""
    day = aware(at).date()
    return day - timedelta(days=day.weekday())


@dataclass
class Report:
    """Figures overall, by team, by officer and by week (and by team by week)."""

    start: datetime
    end: datetime
    overall: dict[str, Figure]
    by_team: dict[str, dict[str, Figure]] = field(default_factory=dict)
    by_officer: dict[str, dict[str, Figure]] = field(default_factory=dict)
    weeks: list[date] = field(default_factory=list)
    by_week: dict[date, dict[str, Figure]] = field(default_factory=dict)
    #: (scope, group, week) -> figures, scope "team" or "officer".
    by_group_week: dict[tuple[str, str, date], dict[str, Figure]] = field(default_factory=dict)

    def series(self, metric: str, scope: str = "", group: str = "") -> list[float | None]:
        """Weekly rates (percent) or medians, overall or for one team or officer.

        A week with nothing to count gives None (no data, not zero).
        """
        out: list[float | None] = []
        for week in self.weeks:
            block = self.by_group_week.get((scope, group, week)) if scope else self.by_week[week]
            figure = block[metric] if block else None
            if figure is None or not figure.count:
                out.append(None)
            elif figure.median is not None:
                out.append(figure.median)
            else:
                out.append(100 * (figure.rate or 0.0))
        return out

    def as_dict(self) -> dict[str, Any]:
        def block(figures: dict[str, Figure]) -> dict[str, Any]:
            return {k: f.as_dict() for k, f in figures.items()}

        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "overall": block(self.overall),
            "by_team": {k: block(v) for k, v in self.by_team.items()},
            "by_officer": {k: block(v) for k, v in self.by_officer.items()},
            "by_week": {w.isoformat(): block(self.by_week[w]) for w in self.weeks},
        }


def _weeks(start: datetime, end: datetime) -> list[date]:
    first, last = week_of(start), week_of(end - timedelta(microseconds=1))
    return [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]


def report(
    observations: list[Observation], team_of: dict[str, str], start: datetime, end: datetime
) -> Report:
    """Group observations by team (from the officer's collar), officer and week."""

    def grouped(key: Any) -> dict[Any, dict[str, Figure]]:
        groups: dict[Any, list[Observation]] = defaultdict(list)
        for o in observations:
            groups[key(o)].append(o)
        return {k: summarise(v) for k, v in sorted(groups.items(), key=lambda kv: str(kv[0]))}

    weeks = _weeks(start, end)
    by_week = grouped(lambda o: week_of(o.at))
    team = lambda o: team_of.get(o.officer) or "(no team)"  # noqa: E731
    officer = lambda o: o.officer or "(unknown)"  # noqa: E731
    by_group_week = grouped(lambda o: ("team", team(o), week_of(o.at)))
    by_group_week.update(grouped(lambda o: ("officer", officer(o), week_of(o.at))))
    return Report(
        start=start,
        end=end,
        overall=summarise(observations),
        by_team=grouped(team),
        by_officer=grouped(officer),
        weeks=weeks,
        by_week={w: by_week.get(w) or summarise([]) for w in weeks},
        by_group_week=by_group_week,
    )


def compliance(db: Session, start: datetime, end: datetime) -> Report:
    """The compliance report for incidents in [start, end)."""
    return report(collect(db, start, end), teams(db), start, end)
