"""Answer paths round-trip between the engine's format and their parts."""

from __future__ import annotations

from firstresponse.checklist import evaluate, load_checklists
from firstresponse.checklist.paths import AnswerPath, entry_path, parse_path
from tests.conftest import REPO


def test_top_level_and_entry_paths() -> None:
    assert parse_path("arrested") == AnswerPath("arrested")
    assert parse_path("arrested.reason") == AnswerPath("arrested.reason")
    assert parse_path("children[3].seen") == AnswerPath("seen", "children", 3)
    assert parse_path("children[0].seen.reason") == AnswerPath("seen.reason", "children", 0)
    assert parse_path(entry_path("children", 12, "age")).index == 12
    assert not parse_path("children[x].age").in_entry


def test_every_path_the_engine_reports_parses_back() -> None:
    checklist = load_checklists(REPO / "checklists")["first_response"]
    answers = {"children_present": "yes", "children": [{}, {"seen": "no"}]}
    ev = evaluate(checklist, answers, {})
    entry_paths = [p for p in ev.visible if "[" in p]
    assert entry_paths
    for path in entry_paths:
        parsed = parse_path(path)
        assert parsed.group is not None and parsed.index is not None
        assert entry_path(parsed.group, parsed.index, parsed.key) == path
