"""Canonical JSON: the text both ends hash, so equal content always has equal text."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from firstresponse.records import canonical_json, content_hash
from firstresponse.records.base import legacy_canonical_json

scalars = st.none() | st.booleans() | st.integers() | st.text()
values = st.recursive(
    scalars, lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner), max_leaves=30
)


@given(values)
def test_the_text_is_the_standard_library_text_for_everything_but_tiny_floats(
    value: Any,
) -> None:
    assert canonical_json(value) == legacy_canonical_json(value)
    assert json.loads(canonical_json(value)) == value


@given(st.dictionaries(st.text(), values))
def test_key_order_does_not_change_the_hash(body: dict[str, Any]) -> None:
    reversed_body = dict(reversed(list(body.items())))
    assert content_hash(reversed_body) == content_hash(body)


def test_tiny_floats_are_the_one_difference_from_the_legacy_text() -> None:
    assert canonical_json({"rate": 1e-05}) == '{"rate":0.00001}'
    assert legacy_canonical_json({"rate": 1e-05}) == '{"rate":1e-05}'


def test_values_orjson_cannot_write_fall_back_to_the_legacy_text() -> None:
    assert canonical_json({"n": 2**70}) == '{"n":1180591620717411303424}'
    assert canonical_json({3: "x"}) == legacy_canonical_json({3: "x"}) == '{"3":"x"}'
