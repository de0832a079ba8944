"""The children line of a new call: each child, its date of birth, the one being typed."""

from __future__ import annotations

from datetime import date

from firstresponse.calls.details import child_at, parse_child, replace_child


def test_a_childs_date_of_birth_and_the_child_under_the_cursor() -> None:
    cai = parse_child("Cai Example 2019-03-04")
    assert cai is not None and (cai.name, cai.age, cai.dob) == (
        "Cai Example",
        None,
        date(2019, 3, 4),
    )
    text = "Amy 6, poppy 8; Ben"
    assert child_at(text, len("Amy 6, pop")) == (1, " poppy 8")
    assert child_at(text, len(text)) == (2, " Ben")
    assert replace_child(text, 1, "Poppy Testchild 8") == "Amy 6, Poppy Testchild 8; Ben"
