"""Evaluate answers against a checklist: what shows, what is missing, what follows.

Pure and total: any answers dict (old, partial, wrong types, unknown keys) gives an
`Evaluation`; nothing here raises on bad answers. Hidden items are never required and
their stale answers are ignored everywhere (conditions, counts, decisions).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from firstresponse.checklist.item_types import check_value
from firstresponse.checklist.model import Checklist, Item, reason_key
from firstresponse.checklist.paths import entry_path
from firstresponse.checklist.prefill import ENTRY_ID, fact_entries
from firstresponse.vocab import Grade, RiskLevel

Scope = tuple[str, int, dict[str, Any]] | None  # (group id, entry index, entry answers)


@dataclass(frozen=True)
class Issue:
    """Something wrong or missing at one item path (e.g. `children[0].seen`)."""

    item: str
    message: str


@dataclass(frozen=True)
class Referral:
    """A referral the answers call for, and why."""

    id: str
    label: str
    why: str


@dataclass(frozen=True)
class DecisionNeeded:
    """A protection-reducing choice that must reach a supervisor, with the reason given."""

    kind: str
    item: str
    reason: str
    label: str = ""


@dataclass
class Evaluation:
    """The result of `evaluate`; `as_dict()` is the JSON snapshot stored with answers."""

    checklist_id: str
    checklist_version: str
    checklist_hash: str
    visible: set[str] = field(default_factory=set)
    missing_required: list[Issue] = field(default_factory=list)
    missing_reasons: list[Issue] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    reasons_required: set[str] = field(default_factory=set)
    computed: dict[str, Any] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    referrals: list[Referral] = field(default_factory=list)
    grade_floor: Grade | None = None
    grade_floor_reasons: list[str] = field(default_factory=list)
    risk_level: RiskLevel | None = None
    decisions: list[DecisionNeeded] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Nothing required or reason missing, and no constraint broken."""
        return not (self.missing_required or self.missing_reasons or self.errors)

    def issues_for(self, path: str) -> list[Issue]:
        """Every issue recorded against one item path."""
        return [
            i
            for i in (*self.missing_required, *self.missing_reasons, *self.errors)
            if i.item == path
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "checklist_id": self.checklist_id,
            "checklist_version": self.checklist_version,
            "checklist_hash": self.checklist_hash,
            "complete": self.complete,
            "visible": sorted(self.visible),
            "missing_required": [asdict(i) for i in self.missing_required],
            "missing_reasons": [asdict(i) for i in self.missing_reasons],
            "errors": [asdict(i) for i in self.errors],
            "reasons_required": sorted(self.reasons_required),
            "computed": {k: _plain(v) for k, v in self.computed.items()},
            "flags": sorted(self.flags),
            "referrals": [asdict(r) for r in self.referrals],
            "grade_floor": _plain(self.grade_floor),
            "grade_floor_reasons": list(self.grade_floor_reasons),
            "risk_level": _plain(self.risk_level),
            "decisions": [asdict(d) for d in self.decisions],
        }


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Grade | RiskLevel) else value


def is_answered(value: Any) -> bool:
    """True when an answer has been given (blank text and empty lists are not answers)."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | dict):
        return bool(value)
    return True


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


class _Resolver:
    """Lazy, memoised look-ups for conditions; guards against cycles by answering 'no'."""

    def __init__(self, cl: Checklist, answers: dict[str, Any], facts: dict[str, Any]) -> None:
        self.cl = cl
        self.answers = answers
        self.facts = facts
        self.memo: dict[str, Any] = {}
        self.busy: set[str] = set()
        self.computed_defs = {c.id: c for c in cl.computed}
        self.flag_defs = {f.id: f for f in cl.flags}
        self.referral_defs = {r.id: r for r in cl.referrals}

    def _once(self, key: str, default: Any, fn: Any) -> Any:
        if key in self.memo:
            return self.memo[key]
        if key in self.busy:
            return default
        self.busy.add(key)
        try:
            value = fn()
        finally:
            self.busy.discard(key)
        self.memo[key] = value
        return value

    # -- items ---------------------------------------------------------------------------
    def _target(self, name: str, scope: Scope) -> tuple[Item | None, Scope]:
        if scope is not None:
            parent = self.cl.item(scope[0])
            child = parent.child(name) if parent else None
            if child is not None:
                return child, scope
        return self.cl.item(name), None

    def raw(self, item: Item, scope: Scope) -> Any:
        source = self.answers if scope is None else scope[2]
        return source.get(item.id)

    def is_visible(self, item: Item, scope: Scope) -> bool:
        if scope is None:
            key = item.id
        else:
            key = entry_path(scope[0], scope[1], item.id)
            parent = self.cl.item(scope[0])
            if parent is None or not self.is_visible(parent, None):
                return False

        def check() -> bool:
            return item.when is None or item.when.holds(self, scope)

        return bool(self._once("visible:" + key, False, check))

    def answer(self, name: str, scope: Any) -> Any:
        item, where = self._target(name, scope)
        if item is None or not self.is_visible(item, where):
            return None
        return self.raw(item, where)

    def fact(self, name: str) -> Any:
        return self.facts.get(name)

    def count(self, name: str, scope: Any) -> int:
        value = self.answer(name, scope)
        return len(value) if isinstance(value, list) else 0

    def entries(self, name: str) -> list[Any]:
        item = self.cl.item(name)
        value = self.answer(name, None)
        if item is None or not isinstance(value, list):
            return []
        return [(name, i, e) for i, e in enumerate(value) if isinstance(e, dict)]

    # -- derived -------------------------------------------------------------------------
    def computed(self, name: str) -> Any:
        return self._once("computed:" + name, None, lambda: self._compute(name))

    def _compute(self, name: str) -> Any:
        if name == "risk_level":
            return self.risk_levels()[1]
        if name == "computed_risk_level":
            return self.risk_levels()[0]
        if name == "grade_floor":
            floor, _ = self.floor()
            return floor.value if floor else None
        comp = self.computed_defs.get(name)
        if comp is None:
            return None
        values = [self.answer(n, None) for n in comp.items]
        if comp.kind == "sum":
            return sum(v for v in values if isinstance(v, int | float) and not isinstance(v, bool))
        if comp.kind == "entries":
            return sum(len(v) for v in values if isinstance(v, list))
        if comp.kind == "hours_between":
            return _hours_between(*values)
        return sum(
            1
            for v in values
            if v in comp.values or (isinstance(v, list) and any(c in v for c in comp.values))
        )

    def flag(self, name: str) -> bool:
        if name == "grade_below_floor":
            return bool(self._once("flag:" + name, False, self._below_floor))
        rule = self.flag_defs.get(name)
        if rule is None:
            return False
        return bool(self._once("flag:" + name, False, lambda: rule.when.holds(self)))

    def referral(self, name: str) -> bool:
        rule = self.referral_defs.get(name)
        if rule is None:
            return False
        return bool(self._once("referral:" + name, False, lambda: rule.when.holds(self)))

    def floor(self) -> tuple[Grade | None, list[str]]:
        def find() -> tuple[Grade | None, list[str]]:
            if self.cl.grading is None:
                return None, []
            hits = [f for f in self.cl.grading.floors if f.when.holds(self)]
            if not hits:
                return None, []
            floor = max((Grade(f.level) for f in hits), key=lambda g: g.urgency)
            return floor, [f.why or f.label for f in hits]

        return self._once("floor", (None, []), find)

    def _below_floor(self) -> bool:
        floor, _ = self.floor()
        grading = self.cl.grading
        if floor is None or grading is None:
            return False
        chosen = self.answer(grading.item, None)
        if not isinstance(chosen, str) or chosen not in {g.value for g in Grade}:
            return False
        return Grade(chosen).urgency < floor.urgency

    def risk_levels(self) -> tuple[str | None, str | None]:
        """(level the rules give, level after the officer's judgement)."""

        def find() -> tuple[str | None, str | None]:
            risk = self.cl.risk
            if risk is None:
                return None, None
            levels = [RiskLevel(risk.default)]
            levels += [RiskLevel(r.level) for r in risk.rules if r.when.holds(self)]
            computed = max(levels, key=lambda lv: lv.rank)
            judged = self.answer(risk.judgement_item, None) if risk.judgement_item else None
            levels_known = {lv.value for lv in RiskLevel}
            final = judged if isinstance(judged, str) and judged in levels_known else computed.value
            return computed.value, final

        return self._once("risk", (None, None), find)


def _hours_between(start: Any, end: Any) -> float | None:
    """Hours from one date-time answer to another, or None unless both are date-times."""
    try:
        first, second = (datetime.fromisoformat(str(v).strip()) for v in (start, end))
        return (second - first).total_seconds() / 3600
    except (TypeError, ValueError):
        return None


class _Walker:
    """Walks every item once, filling an Evaluation."""

    def __init__(self, cl: Checklist, res: _Resolver, ev: Evaluation) -> None:
        self.cl, self.res, self.ev = cl, res, ev
        self.seen_decisions: set[tuple[str, str]] = set()

    def item(self, item: Item, scope: Scope) -> None:
        path = item.id if scope is None else entry_path(scope[0], scope[1], item.id)
        if not self.res.is_visible(item, scope):
            return
        self.ev.visible.add(path)
        if not item.answerable:
            return
        value = self.res.raw(item, scope)
        answered = is_answered(value)
        if item.is_group:
            self.group(item, path, value)
        elif item.required and not answered:
            self.ev.missing_required.append(Issue(path, f"Answer needed: {item.label}"))
        if answered and not item.is_group:
            problem = check_value(item, value)
            if problem:
                self.ev.errors.append(Issue(path, f"{item.label}: {problem}"))
            else:
                self.constraints(item, path, scope)
        if item.reason_if is not None and item.reason_if.holds(self.res, scope):
            source = self.res.answers if scope is None else scope[2]
            self.reason(
                path,
                _text(source.get(reason_key(item.id))),
                item.reason_label or f"{item.label}: give the reason",
                item.decision,
                item.label,
            )

    def constraints(self, item: Item, path: str, scope: Scope) -> None:
        """The item's constraint and each further check: every one broken is an error."""
        default = "the answer does not fit the other answers"
        rules = [(item.constraint, item.constraint_message or default)] if item.constraint else []
        for cond, message in (*rules, *item.checks):
            if not cond.holds(self.res, scope):
                self.ev.errors.append(Issue(path, f"{item.label}: {message}"))

    def group(self, item: Item, path: str, value: Any) -> None:
        if value is not None and check_value(item, value):
            self.ev.errors.append(Issue(path, f"{item.label}: expected a list of entries"))
        entries = value if isinstance(value, list) else []
        least = max(item.min_entries, 1 if item.required else 0)
        if len(entries) < least:
            need = "an entry" if least == 1 else f"at least {least} entries"
            self.ev.missing_required.append(Issue(path, f"Needs {need}: {item.label}"))
        if item.max_entries is not None and len(entries) > item.max_entries:
            self.ev.errors.append(Issue(path, f"{item.label}: at most {item.max_entries} entries"))
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict):
                continue
            for child in item.items:
                self.item(child, (item.id, index, entry))
        if item.entries_from:
            listed = {e.get(ENTRY_ID) for e in entries if isinstance(e, dict)}
            for wanted in fact_entries(self.res.fact(item.entries_from)):
                if wanted["id"] not in listed:
                    what = wanted.get("label") or wanted["id"]
                    self.ev.missing_required.append(
                        Issue(path, f"{item.label}: not listed: {what} (reopen the form)")
                    )

    def reason(self, path: str, given: str, prompt: str, kind: str, label: str) -> None:
        self.ev.reasons_required.add(path)
        if not given and not any(i.item == path for i in self.ev.missing_reasons):
            self.ev.missing_reasons.append(Issue(path, prompt))
        if kind:
            self._decision(kind, path, given, label)

    def decisions(self) -> None:
        """Declared [[decisions]]: each needs its reason, from `reason_item` when that is
        shown, else from the item's own `<item>.reason`."""
        for rule in self.cl.decisions:
            item = self.cl.item(rule.item)
            if item is None or not self.res.is_visible(item, None):
                continue
            if not rule.when.holds(self.res):
                continue
            prompt = rule.why or f"{item.label}: record the reason for this decision"
            holder = self.cl.item(rule.reason_item) if rule.reason_item else None
            if holder is not None and self.res.is_visible(holder, None):
                given = _text(self.res.answer(holder.id, None))
                listed = any(i.item == holder.id for i in self.ev.missing_required)
                self.ev.reasons_required.add(holder.id)
                if not given and not listed:
                    self.ev.missing_reasons.append(Issue(holder.id, prompt))
            else:
                given = _text(self.res.answers.get(reason_key(rule.item)))
                self.reason(rule.item, given, prompt, "", "")
            self._decision(rule.id, rule.item, given, rule.label)

    def _decision(self, kind: str, path: str, given: str, label: str) -> None:
        if (kind, path) not in self.seen_decisions:
            self.seen_decisions.add((kind, path))
            self.ev.decisions.append(DecisionNeeded(kind, path, given, label))

    def risk(self) -> None:
        risk = self.cl.risk
        if risk is None:
            return
        computed, final = self.res.risk_levels()
        self.ev.risk_level = RiskLevel(final) if final else None
        self.ev.computed["computed_risk_level"] = computed
        self.ev.computed["risk_level"] = final
        if not risk.judgement_item or computed is None or final is None or final == computed:
            return
        judged, base = RiskLevel(final), RiskLevel(computed)
        kind = "risk_raised" if judged.rank > base.rank else "risk_lowered"
        item = self.cl.item(risk.judgement_item)
        label = item.label if item else risk.judgement_item
        given = _text(self.res.answers.get(reason_key(risk.judgement_item)))
        prompt = (
            f"Say why the level is raised above {base.value}"
            if kind == "risk_raised"
            else f"Say why the level is lowered below the {base.value} the answers indicate"
        )
        self.reason(risk.judgement_item, given, prompt, kind, label)


def evaluate(
    cl: Checklist, answers: dict[str, Any] | None = None, facts: dict[str, Any] | None = None
) -> Evaluation:
    """Evaluate answers (and context facts) against a checklist. Never raises on bad answers."""
    answers = answers if isinstance(answers, dict) else {}
    facts = facts if isinstance(facts, dict) else {}
    res = _Resolver(cl, answers, facts)
    ev = Evaluation(cl.id, cl.version, cl.hash)
    walker = _Walker(cl, res, ev)
    for item in cl.items:
        walker.item(item, None)
    for comp in cl.computed:
        ev.computed[comp.id] = res.computed(comp.id)
    walker.risk()
    floor, reasons = res.floor()
    ev.grade_floor, ev.grade_floor_reasons = floor, reasons
    if cl.grading is not None:
        ev.computed["grade_floor"] = floor.value if floor else None
    ev.flags = {f.id for f in cl.flags if res.flag(f.id)}
    if res.flag("grade_below_floor"):
        ev.flags.add("grade_below_floor")
    ev.referrals = [Referral(r.id, r.label, r.why) for r in cl.referrals if res.referral(r.id)]
    walker.decisions()
    return ev
