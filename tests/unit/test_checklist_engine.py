"""The checklist engine on small purpose-written checklists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from firstresponse.checklist import ChecklistError, evaluate, load_checklist

BASE = """
id = "demo"
version = "2"
title = "Demo"
facts = ["incidents_12m", "markers"]
"""


def make(tmp_path: Path, body: str, name: str = "demo.toml"):
    path = tmp_path / name
    path.write_text(BASE + body, encoding="utf-8")
    return load_checklist(path)


SIMPLE = """
[[items]]
id = "grounds"
section = "Suspect"
type = "yesno"
label = "Grounds to arrest?"
required = true

[[items]]
id = "arrested"
type = "yesno"
label = "Arrested?"
required = true
when = { answer = "grounds", equals = "yes" }
reason_if = { answer = "arrested", equals = "no" }
reason_label = "Why not?"
decision = "no_arrest"

[[items]]
id = "count_of_things"
type = "number"
label = "How many?"
min = 0
max = 10

[[items]]
id = "when_seen"
type = "date"
label = "Date seen"
"""


def test_loads_metadata_and_hash(tmp_path: Path) -> None:
    cl = make(tmp_path, SIMPLE)
    assert (cl.id, cl.version, cl.title) == ("demo", "2", "Demo")
    assert len(cl.hash) == 64
    assert [i.id for i in cl.items] == ["grounds", "arrested", "count_of_things", "when_seen"]
    assert cl.items[1].section == "Suspect"  # inherited from the item before
    assert cl.item("arrested").options[0] == ("yes", "Yes")


def test_hash_changes_with_content(tmp_path: Path) -> None:
    first = make(tmp_path, SIMPLE, "a.toml")
    second = make(tmp_path, SIMPLE.replace("How many?", "How many now?"), "b.toml")
    assert first.hash != second.hash


def test_hidden_item_not_required_and_stale_answer_ignored(tmp_path: Path) -> None:
    cl = make(tmp_path, SIMPLE)
    ev = evaluate(cl, {"grounds": "no", "arrested": "no"})
    assert "arrested" not in ev.visible
    assert ev.missing_required == [] and ev.missing_reasons == []
    assert ev.decisions == []
    assert ev.complete


def test_reason_if_requires_reason_and_records_decision(tmp_path: Path) -> None:
    cl = make(tmp_path, SIMPLE)
    ev = evaluate(cl, {"grounds": "yes", "arrested": "no"})
    assert [i.item for i in ev.missing_reasons] == ["arrested"]
    assert ev.missing_reasons[0].message == "Why not?"
    assert [(d.kind, d.item, d.reason) for d in ev.decisions] == [("no_arrest", "arrested", "")]
    assert not ev.complete
    ev = evaluate(cl, {"grounds": "yes", "arrested": "no", "arrested.reason": "  Fled  "})
    assert ev.missing_reasons == []
    assert ev.decisions[0].reason == "Fled"
    assert "arrested" in ev.reasons_required
    assert ev.complete


def test_missing_required_lists_visible_unanswered(tmp_path: Path) -> None:
    cl = make(tmp_path, SIMPLE)
    ev = evaluate(cl, {"grounds": "yes", "arrested": "   "})
    assert [i.item for i in ev.missing_required] == ["arrested"]


def test_type_and_limit_errors(tmp_path: Path) -> None:
    cl = make(tmp_path, SIMPLE)
    ev = evaluate(cl, {"grounds": "maybe", "count_of_things": 11, "when_seen": "yesterday"})
    messages = {i.item: i.message for i in ev.errors}
    assert "not one of the choices" in messages["grounds"]
    assert "at most 10" in messages["count_of_things"]
    assert "expected a date" in messages["when_seen"]
    assert evaluate(cl, {"count_of_things": True}).errors[0].message.endswith("expected a number")


def test_unknown_answer_keys_and_bad_shapes_are_ignored(tmp_path: Path) -> None:
    cl = make(tmp_path, SIMPLE)
    ev = evaluate(cl, {"removed_item": "yes", "grounds": "no"}, facts=None)
    assert ev.complete
    assert evaluate(cl, None).missing_required[0].item == "grounds"
    assert evaluate(cl, ["not", "a", "dict"]).missing_required[0].item == "grounds"  # type: ignore[arg-type]


def test_as_dict_is_json(tmp_path: Path) -> None:
    cl = make(tmp_path, SIMPLE)
    snap = evaluate(cl, {"grounds": "yes", "arrested": "no"}).as_dict()
    again = json.loads(json.dumps(snap))
    assert again["checklist_hash"] == cl.hash
    assert again["decisions"][0]["kind"] == "no_arrest"
    assert again["complete"] is False


GROUP = """
[[items]]
id = "children"
type = "group"
label = "Children"
entry_label = "Child"
required = true

[[items.items]]
id = "name"
type = "text"
label = "Name"
required = true

[[items.items]]
id = "seen"
type = "yesno"
label = "Seen?"
required = true
reason_if = { answer = "seen", equals = "no" }
decision = "child_not_seen"

[[items.items]]
id = "why_away"
type = "text"
label = "Where?"
when = { answer = "seen", equals = "no" }

[[items]]
id = "tally"
type = "number"
label = "Tally"

[[computed]]
id = "child_count"
kind = "entries"
items = ["children"]

[[computed]]
id = "tally_sum"
kind = "sum"
items = ["tally"]

[[flags]]
id = "child_not_seen"
label = "A child was not seen"
when = { any_entry = "children", where = { answer = "seen", equals = "no" } }

[[referrals]]
id = "school"
label = "School"
why = "children"
when = { count = "children", gte = 1 }
"""


def test_group_entries_each_checked_with_own_paths(tmp_path: Path) -> None:
    cl = make(tmp_path, GROUP)
    ev = evaluate(cl, {"children": [{"name": "A", "seen": "yes"}, {"seen": "no"}], "tally": 4})
    assert "children[1].why_away" in ev.visible
    assert "children[0].why_away" not in ev.visible
    assert [i.item for i in ev.missing_required] == ["children[1].name"]
    assert [i.item for i in ev.missing_reasons] == ["children[1].seen"]
    assert [(d.kind, d.item) for d in ev.decisions] == [("child_not_seen", "children[1].seen")]
    assert ev.computed == {"child_count": 2, "tally_sum": 4}
    assert ev.flags == {"child_not_seen"}
    assert [r.id for r in ev.referrals] == ["school"]


def test_required_group_needs_an_entry_and_bad_entries_are_errors(tmp_path: Path) -> None:
    cl = make(tmp_path, GROUP)
    ev = evaluate(cl, {"children": []})
    assert [i.item for i in ev.missing_required] == ["children"]
    ev = evaluate(cl, {"children": "two"})
    assert [i.item for i in ev.errors] == ["children"]
    ev = evaluate(cl, {"children": [5, {"name": "B", "seen": "yes"}]})
    assert ev.missing_required == [] and ev.flags == set()


def test_conditions_operators(tmp_path: Path) -> None:
    body = """
[[items]]
id = "kinds"
type = "multi"
label = "Kinds"
options = ["a", "b", "c"]

[[items]]
id = "n"
type = "number"
label = "N"

[[items]]
id = "shown_contains"
type = "note"
label = "x"
when = { answer = "kinds", contains = "b" }

[[items]]
id = "shown_in"
type = "note"
label = "x"
when = { answer = "kinds", in = ["c"] }

[[items]]
id = "shown_fact"
type = "note"
label = "x"
when = { all = [
  { fact = "incidents_12m", gte = 3 },
  { not = { fact = "markers", contains = "x" } },
] }

[[items]]
id = "shown_lt"
type = "note"
label = "x"
when = { any = [ { answer = "n", lt = 2 }, { answer = "n", answered = false } ] }
"""
    cl = make(tmp_path, body)
    ev = evaluate(cl, {"kinds": ["b"], "n": 5}, {"incidents_12m": 3, "markers": ["y"]})
    assert {"shown_contains", "shown_fact"} <= ev.visible
    assert not {"shown_in", "shown_lt"} & ev.visible
    ev = evaluate(cl, {"kinds": ["c"]}, {"incidents_12m": "lots", "markers": ["x"]})
    assert {"shown_in", "shown_lt"} <= ev.visible
    assert not {"shown_contains", "shown_fact"} & ev.visible


def test_risk_level_judgement_raise_and_lower(tmp_path: Path) -> None:
    body = """
[[items]]
id = "f1"
type = "yesno"
label = "F1"
tags = ["factor"]

[[items]]
id = "f2"
type = "yesno"
label = "F2"
tags = ["factor"]

[[items]]
id = "level"
type = "single"
label = "Level"
options = ["standard", "medium", "high"]

[[computed]]
id = "factors"
tag = "factor"

[risk]
judgement_item = "level"

[[risk.rules]]
level = "high"
when = { computed = "factors", gte = 2 }

[[risk.rules]]
level = "medium"
when = { computed = "factors", gte = 1 }
"""
    cl = make(tmp_path, body)
    ev = evaluate(cl, {"f1": "yes"})
    assert ev.risk_level == "medium" and ev.decisions == []
    ev = evaluate(cl, {"f1": "yes", "level": "high"})
    assert ev.risk_level == "high"
    assert [(d.kind, d.item) for d in ev.decisions] == [("risk_raised", "level")]
    assert [i.item for i in ev.missing_reasons] == ["level"]
    ev = evaluate(cl, {"f1": "yes", "f2": "yes", "level": "standard", "level.reason": "why"})
    assert ev.risk_level == "standard"
    assert ev.computed["computed_risk_level"] == "high"
    assert [(d.kind, d.reason) for d in ev.decisions] == [("risk_lowered", "why")]
    assert ev.missing_reasons == []


def test_load_errors_raise_checklist_error_with_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(BASE + '[[items]]\nid = "x"\ntype = "colour"\nlabel = "X"\n', "utf-8")
    with pytest.raises(ChecklistError) as info:
        load_checklist(path)
    assert info.value.line == 7
    assert "unknown type 'colour'" in info.value.reason
    assert str(info.value).startswith(f"{path}:7: ")


def test_old_answers_still_evaluate_after_the_file_changes(tmp_path: Path) -> None:
    old = make(tmp_path, SIMPLE, "v1.toml")
    answers = {
        "grounds": "yes",
        "arrested": "no",
        "arrested.reason": "Fled",
        "when_seen": "2025-03-01",
    }
    assert evaluate(old, answers).complete
    changed = SIMPLE.replace('id = "when_seen"', 'id = "seen_on"').replace(
        'type = "yesno"\nlabel = "Arrested?"',
        'type = "single"\nlabel = "Arrested?"\noptions = ["arrested", "not_arrested"]',
    )
    changed = changed.replace(
        'equals = "no" }\nreason_label', 'equals = "not_arrested" }\nreason_label'
    )
    new = make(tmp_path, changed.replace('version = "2"', 'version = "3"'), "v2.toml")
    assert new.hash != old.hash
    ev = evaluate(new, answers)
    assert ev.checklist_hash == new.hash
    assert [i.item for i in ev.errors] == ["arrested"]  # "no" is no longer a choice
    assert "not one of the choices" in ev.errors[0].message
    assert "seen_on" in ev.visible and "when_seen" not in ev.visible


def test_decision_reason_falls_back_when_its_reason_item_is_hidden(tmp_path: Path) -> None:
    body = """
[[items]]
id = "grade"
type = "single"
label = "Grade"
options = ["fast", "slow"]

[[items]]
id = "why_slow"
type = "text"
label = "Why slow?"
when = { answer = "grade", equals = "never" }

[[decisions]]
kind = "low_grade"
item = "grade"
reason_item = "why_slow"
when = { answer = "grade", equals = "slow" }
"""
    cl = make(tmp_path, body.replace('"never"', '"fast"'))
    ev = evaluate(cl, {"grade": "slow"})
    assert "why_slow" not in ev.visible
    assert [i.item for i in ev.missing_reasons] == ["grade"]
    ev = evaluate(cl, {"grade": "slow", "grade.reason": "Caller asked"})
    assert [(d.kind, d.item, d.reason) for d in ev.decisions] == [
        ("low_grade", "grade", "Caller asked")
    ]
    assert ev.complete
