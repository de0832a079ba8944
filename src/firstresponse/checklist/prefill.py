"""Group entries that come from the program's facts, not from the officer.

A group with `entries_from = "fact"` (e.g. the orders and bail conditions in force from
the history) must hold one entry for each entry of that fact, matched by its record id,
kept in the entry's `_id`. A fact entry is a table with an `id`, an optional `label`
(how it reads) and values for any of the group's child items, which fill the new entry.
"""

from __future__ import annotations

import copy
from typing import Any

from firstresponse.checklist.model import Checklist

ENTRY_ID = "_id"


def fact_entries(value: Any) -> list[dict[str, Any]]:
    """The well-formed entries of a list fact (tables with a text `id`); others are skipped."""
    if not isinstance(value, list):
        return []
    return [e for e in value if isinstance(e, dict) and isinstance(e.get("id"), str) and e["id"]]


def with_fact_entries(
    cl: Checklist, answers: dict[str, Any], facts: dict[str, Any] | None
) -> dict[str, Any]:
    """A copy of `answers` where every group filled from a fact lists each of its entries.

    Entries already there (matched on `_id`) keep their answers; new ones are appended with
    their `_id` and the fact's values for the group's child items. Nothing is removed.
    """
    out = copy.deepcopy(answers) if isinstance(answers, dict) else {}
    facts = facts if isinstance(facts, dict) else {}
    for item in cl.items:
        if not (item.is_group and item.entries_from):
            continue
        wanted = fact_entries(facts.get(item.entries_from))
        if not wanted:
            continue
        current = out.get(item.id)
        entries = current if isinstance(current, list) else []
        listed = {e.get(ENTRY_ID) for e in entries if isinstance(e, dict)}
        children = {c.id for c in item.items}
        for fact in wanted:
            if fact["id"] in listed:
                continue
            entry = {k: copy.deepcopy(v) for k, v in fact.items() if k in children}
            entries.append({ENTRY_ID: fact["id"], **entry})
        out[item.id] = entries
    return out
