"""The risk level the answers give, the factors behind it, and the officer's judgement."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from firstresponse.checklist import Checklist, evaluate
from firstresponse.checklist.model import RiskModel
from firstresponse.records import RiskLevel

RISK_FACTOR_TAG = "risk_factor"
#: Answers that count towards the level: "not known" counts like a yes until it is answered.
COUNTED = ("yes", "unknown")
NOT_KNOWN = " (not known: counts until answered)"


@dataclass(frozen=True)
class RiskSummary:
    """Computed level, final level (after judgement), and why."""

    computed: str | None
    final: str | None
    factor_count: int
    factors: list[str] = field(default_factory=list)  # answered yes, or not known (marked)
    rules: list[str] = field(default_factory=list)  # why the computed level is what it is
    judgement_reason: str = ""

    @property
    def lowered(self) -> bool:
        return _rank(self.final) < _rank(self.computed)

    @property
    def raised(self) -> bool:
        return _rank(self.final) > _rank(self.computed)


def _rank(level: str | None) -> int:
    return RiskLevel(level).rank if level in {lv.value for lv in RiskLevel} else -1


def _rule_holds(checklist: Checklist, index: int, answers: dict[str, Any], facts: Any) -> bool:
    """Evaluate one risk rule alone, through the engine, so conditions mean the same."""
    assert checklist.risk is not None
    rule = checklist.risk.rules[index]
    lowest = min(RiskLevel, key=lambda lv: lv.rank).value
    if _rank(rule.level) <= _rank(lowest):
        return False
    alone = replace(checklist, risk=RiskModel(rules=(rule,), default=lowest), _index={})
    return bool(evaluate(alone, answers, facts).computed.get("computed_risk_level") == rule.level)


def risk_summary(
    checklist: Checklist, answers: dict[str, Any], facts: dict[str, Any] | None = None
) -> RiskSummary:
    """Summarise the risk checklist's answers for the risk screen and the incident."""
    ev = evaluate(checklist, answers, facts)
    computed = ev.computed.get("computed_risk_level")
    final = ev.computed.get("risk_level")
    factors = [
        item.label + ("" if answers.get(item.id) == "yes" else NOT_KNOWN)
        for item in checklist.items
        if RISK_FACTOR_TAG in item.tags
        and item.id in ev.visible
        and answers.get(item.id) in COUNTED
    ]
    rules = []
    if checklist.risk is not None:
        rules = [
            rule.why or rule.label
            for n, rule in enumerate(checklist.risk.rules)
            if _rule_holds(checklist, n, answers, facts)
        ]
    judge = checklist.risk.judgement_item if checklist.risk else ""
    reason = answers.get(f"{judge}.reason") if judge else ""
    return RiskSummary(
        computed=computed,
        final=final,
        factor_count=len(factors),
        factors=factors,
        rules=rules,
        judgement_reason=reason if isinstance(reason, str) else "",
    )
