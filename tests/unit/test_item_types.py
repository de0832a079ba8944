"""Question types are one typed table (`checklist.item_types`): every type the shipped
checklists use has its row, the loader refuses any other type plainly, and the engine,
loader and form read check, coercion, placeholder and control from the row."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from firstresponse.checklist import (
    ChecklistError,
    Control,
    ItemType,
    check_value,
    coerce,
    control_of,
    evaluate,
    load_checklist,
    load_checklists,
    placeholder_of,
)
from firstresponse.checklist.item_types import TYPES, parse_type, type_names
from firstresponse.checklist.paths import parse_path

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src" / "firstresponse"
HEAD = 'id = "demo"\nversion = "1"\ntitle = "Demo"\n'


def _types_written(items: list[dict[str, Any]]) -> set[str]:
    found: set[str] = set()
    for item in items:
        found.add(item["type"])
        found |= _types_written(item.get("items", []))
    return found


def _load(tmp_path: Path, items: str) -> Any:
    path = tmp_path / "demo.toml"
    path.write_text(HEAD + items, encoding="utf-8")
    return load_checklist(path)


def test_every_type_has_one_row_and_the_shipped_checklists_use_only_those() -> None:
    assert set(TYPES) == set(ItemType)
    assert all(spec.type is kind for kind, spec in TYPES.items())
    written: set[str] = set()
    for path in sorted((REPO / "checklists").glob("*.toml")):
        written |= _types_written(tomllib.loads(path.read_text("utf-8"))["items"])
    assert written, "the shipped checklists have items"
    assert {parse_type(name) for name in written} <= set(ItemType)
    assert None not in {parse_type(name) for name in written}


def test_loaded_items_carry_their_type_as_an_item_type() -> None:
    for checklist in load_checklists(REPO / "checklists").values():
        for item in checklist.items:
            for one in (item, *item.items):
                assert isinstance(one.type, ItemType), (checklist.id, one.id)
                assert one.spec is TYPES[one.type]


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ('type = "colour"\n', f"item 'a': unknown type 'colour'; use one of {type_names()}"),
        ("type = 3\n", f"item 'a': unknown type 3; use one of {type_names()}"),
        ("", f"item 'a': needs a type (type = \"...\"); use one of {type_names()}"),
    ],
)
def test_a_type_not_in_the_table_is_refused_with_the_types_it_could_be(
    tmp_path: Path, written: str, reason: str
) -> None:
    with pytest.raises(ChecklistError) as info:
        _load(tmp_path, f'[[items]]\nid = "a"\n{written}label = "A"\n')
    assert info.value.reason == reason
    assert info.value.line == 5
    for name in ("yesno", "single", "multi", "text", "number", "date", "group", "note"):
        assert name in reason


def test_the_table_gives_each_type_its_control_and_placeholder(tmp_path: Path) -> None:
    cl = _load(
        tmp_path,
        '[[items]]\nid = "seen"\ntype = "yesno"\nlabel = "Seen?"\n'
        '[[items]]\nid = "kind"\ntype = "multi"\nlabel = "Kinds"\noptions = ["a", "b"]\n'
        '[[items]]\nid = "note"\ntype = "text"\nlabel = "Note"\n'
        '[[items]]\nid = "account"\ntype = "text"\nlabel = "Account"\nlong = true\n'
        '[[items]]\nid = "age"\ntype = "number"\nlabel = "Age"\n'
        '[[items]]\nid = "at"\ntype = "datetime"\nlabel = "At"\n'
        '[[items]]\nid = "kids"\ntype = "group"\nlabel = "Kids"\n'
        '[[items.items]]\nid = "name"\ntype = "text"\nlabel = "Name"\n'
        '[[items]]\nid = "info"\ntype = "note"\nlabel = "Read this"\n',
    )
    controls = {item.id: control_of(item) for item in cl.items}
    assert controls == {
        "seen": Control.CHOICE,
        "kind": Control.CHOICES,
        "note": Control.TEXT,
        "account": Control.LONG_TEXT,
        "age": Control.NUMBER,
        "at": Control.MOMENT,
        "kids": Control.ENTRIES,
        "info": Control.NONE,
    }
    assert [v for v, _ in cl.item("seen").options] == ["yes", "no", "unknown"]
    assert placeholder_of(cl.item("at")) == "YYYY-MM-DD HH:MM"
    assert placeholder_of(cl.item("age")) == "number"
    assert cl.item("at").spec.now_format == "%Y-%m-%d %H:%M"
    assert not cl.item("info").answerable and cl.item("kids").is_group


def test_typed_text_is_coerced_by_its_type_and_checked_by_the_same_row(tmp_path: Path) -> None:
    cl = _load(
        tmp_path,
        '[[items]]\nid = "age"\ntype = "number"\nlabel = "Age"\nmin = 0\nmax = 17\n'
        '[[items]]\nid = "name"\ntype = "text"\nlabel = "Name"\n',
    )
    age, name = cl.item("age"), cl.item("name")
    assert [coerce(age, t) for t in ("12", " 1.5 ", "", "twelve")] == [12, 1.5, None, "twelve"]
    assert coerce(name, " 12 ") == " 12 "
    assert check_value(age, coerce(age, "twelve")) == "expected a number"
    assert check_value(age, coerce(age, "30")) == "must be at most 17"
    assert check_value(age, coerce(age, "9")) == ""
    ev = evaluate(cl, {"age": coerce(age, "30")})
    assert [i.message for i in ev.errors] == ["Age: must be at most 17"]


def test_a_choice_error_lists_the_choices_in_the_files_order(tmp_path: Path) -> None:
    cl = _load(
        tmp_path,
        '[[items]]\nid = "g"\ntype = "single"\nlabel = "G"\noptions = ["c", "a", "b"]\n',
    )
    assert check_value(cl.item("g"), "z") == "'z' is not one of the choices (c, a, b)"


def test_an_entrys_issue_path_reads_back_through_paths(tmp_path: Path) -> None:
    cl = _load(
        tmp_path,
        '[[items]]\nid = "kids"\ntype = "group"\nlabel = "Kids"\n'
        '[[items.items]]\nid = "age"\ntype = "number"\nlabel = "Age"\nrequired = true\n',
    )
    ev = evaluate(cl, {"kids": [{}, {"age": 4}]})
    [issue] = ev.missing_required
    path = parse_path(issue.item)
    assert (path.group, path.index, path.key) == ("kids", 0, "age")
    assert "kids[1].age" in ev.visible


#: An answer path written or read by hand: `...[{index}].` in an f-string, or a split at "[".
HAND_MADE_PATH = re.compile(r"\[\{[^}]+\}\]\.|partition\(\"\[\"\)|split\(\"\[\"\)")


def test_answer_paths_are_made_and_read_only_in_checklist_paths() -> None:
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path != SRC / "checklist" / "paths.py"
        and HAND_MADE_PATH.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_path_check_sees_a_path_made_by_hand() -> None:
    assert HAND_MADE_PATH.search('key = f"{scope[0]}[{scope[1]}].{item.id}"')
    assert HAND_MADE_PATH.search('group, _, rest = need_item.partition("[")')
    assert HAND_MADE_PATH.search((SRC / "checklist" / "paths.py").read_text(encoding="utf-8"))
