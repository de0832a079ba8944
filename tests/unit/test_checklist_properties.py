"""Property tests: evaluation is total, and hidden items never demand anything."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from firstresponse.checklist import Checklist, Item, evaluate, load_checklists, reason_key

REPO = Path(__file__).resolve().parents[2]
LISTS = load_checklists(REPO / "checklists")
PATH_RE = re.compile(r"^(\w+)\[(\d+)\]\.(\w+)$")

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 40),
    st.floats(allow_nan=True),
    st.text(max_size=5),
    st.lists(st.text(max_size=3), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def valid_value(item: Item) -> st.SearchStrategy[Any]:
    values = [v for v, _ in item.options]
    match item.type:
        case "yesno" | "single":
            return st.sampled_from(values)
        case "multi":
            return st.lists(st.sampled_from(values), max_size=3, unique=True)
        case "number":
            return st.integers(-1, 30)
        case "date":
            return st.just("2025-03-01")
        case "datetime":
            return st.just("2025-03-01T21:40")
        case "group":
            entry = st.fixed_dictionaries(
                {}, optional={c.id: answer_for(c) for c in item.items if c.answerable}
            )
            return st.lists(entry, max_size=3)
    return st.text(max_size=8)


def answer_for(item: Item) -> st.SearchStrategy[Any]:
    return st.one_of(valid_value(item), valid_value(item), JUNK)


def answers_for(cl: Checklist) -> st.SearchStrategy[dict[str, Any]]:
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for item in cl.items:
        if item.answerable:
            optional[item.id] = answer_for(item)
            optional[reason_key(item.id)] = st.sampled_from(["", "a reason"])
    optional["no_such_item"] = JUNK
    return st.fixed_dictionaries({}, optional=optional)


FACTS = st.fixed_dictionaries(
    {},
    optional={
        "repeat_victim": st.one_of(st.booleans(), JUNK),
        "markers": st.one_of(st.lists(st.sampled_from(["firearms", "child"])), JUNK),
        "incidents_12m": st.one_of(st.integers(0, 6), JUNK),
        "police_workforce_suspect": st.booleans(),
        "live_orders": st.integers(0, 2),
        "previous_risk_level": st.sampled_from(["standard", "medium", "high"]),
    },
)


def top(path: str) -> str:
    return path.split("[", 1)[0]


@pytest.mark.parametrize("name", sorted(LISTS))
def test_evaluation_is_total_and_hidden_items_demand_nothing(name: str) -> None:
    cl = LISTS[name]

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(answers=answers_for(cl), facts=st.one_of(st.none(), FACTS))
    def check(answers: dict[str, Any], facts: dict[str, Any] | None) -> None:
        ev = evaluate(cl, answers, facts)
        for issue in (*ev.missing_required, *ev.missing_reasons, *ev.errors):
            assert issue.item in ev.visible, issue
        for decision in ev.decisions:
            assert decision.item in ev.visible, decision
        for path in ev.visible:
            if "[" in path:
                assert top(path) in ev.visible
        assert ev.complete == (not (ev.missing_required or ev.missing_reasons or ev.errors))
        json.dumps(ev.as_dict())
        # Stale answers to hidden items are ignored: dropping them changes nothing.
        hidden = [i.id for i in cl.items if i.id not in ev.visible]
        pruned = {k: v for k, v in answers.items() if k.removesuffix(".reason") not in hidden}
        assert evaluate(cl, pruned, facts).as_dict() == ev.as_dict()

    check()


def set_path(answers: dict[str, Any], path: str, value: Any) -> None:
    match = PATH_RE.match(path)
    if match:
        group, index, child = match.group(1), int(match.group(2)), match.group(3)
        answers[group][index][child] = value
    else:
        answers[path] = value


def item_at(cl: Checklist, path: str) -> Item:
    match = PATH_RE.match(path)
    if match:
        child = cl.item(match.group(1)).child(match.group(3))  # type: ignore[union-attr]
        assert child is not None
        return child
    item = cl.item(path)
    assert item is not None
    return item


def first_value(item: Item) -> Any:
    return {
        "yesno": "yes",
        "single": item.options[0][0] if item.options else "",
        "multi": [item.options[0][0]] if item.options else [],
        "number": int(item.minimum or 1),
        "date": "2025-03-01",
        "datetime": "2025-03-01T21:40",
        "time": "21:40",
        "group": [{}],
    }.get(item.type, "Synthetic answer")


def fill(
    cl: Checklist, answers: dict[str, Any] | None = None, facts: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Answer whatever is still required, as a user would, until the form is complete."""
    answers = dict(answers or {})
    tries: dict[str, int] = {}
    for _ in range(60):
        ev = evaluate(cl, answers, facts)
        if ev.complete:
            return answers
        for issue in ev.missing_required:
            set_path(answers, issue.item, first_value(item_at(cl, issue.item)))
        for issue in ev.missing_reasons:
            item_path = issue.item
            if PATH_RE.match(item_path):
                group, index, child = PATH_RE.match(item_path).groups()  # type: ignore[union-attr]
                answers[group][int(index)][reason_key(child)] = "Synthetic reason"
            elif (
                cl.item(item_path)
                and cl.item(item_path).reason_if is None
                and any(  # type: ignore[union-attr]
                    d.reason_item == item_path for d in cl.decisions
                )
            ):
                answers[item_path] = "Synthetic reason"
            else:
                answers[reason_key(item_path)] = "Synthetic reason"
        for issue in ev.errors:
            item = item_at(cl, issue.item)
            tries[issue.item] = tries.get(issue.item, 0) + 1
            if item.type == "single":
                set_path(
                    answers, issue.item, item.options[tries[issue.item] % len(item.options)][0]
                )
            elif item.pattern:
                set_path(answers, issue.item, "SG3001")
    raise AssertionError(
        f"{cl.id} could not be completed: {evaluate(cl, answers, facts).as_dict()}"
    )


@pytest.mark.parametrize("name", sorted(LISTS))
def test_every_shipped_checklist_can_be_completed(name: str) -> None:
    answers = fill(LISTS[name], facts={"repeat_victim": True, "incidents_12m": 4})
    assert evaluate(LISTS[name], answers, {"repeat_victim": True}).complete
