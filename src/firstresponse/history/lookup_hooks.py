"""Tell the lookup index about new people, when the lookup package is installed.

History can be loaded before the lookup exists (or without it); these hooks do
nothing then and say so, rather than failing the load.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import Any

from sqlmodel import Session


def _lookup(name: str) -> Callable[..., Any] | None:
    try:
        module = importlib.import_module("firstresponse.lookup")
    except ModuleNotFoundError as exc:
        if exc.name == "firstresponse.lookup":
            return None
        raise
    return getattr(module, name, None)


def lookup_available() -> bool:
    """True when `firstresponse.lookup` offers `rebuild_index` and `index_person`."""
    return _lookup("rebuild_index") is not None and _lookup("index_person") is not None


def rebuild_lookup(db: Session) -> int | None:
    """Rebuild the whole lookup index; None when there is no lookup to rebuild."""
    rebuild = _lookup("rebuild_index")
    return None if rebuild is None else int(rebuild(db))


def index_people(db: Session, person_ids: Iterable[str]) -> int | None:
    """Index these people one by one; None when there is no lookup."""
    index_person = _lookup("index_person")
    if index_person is None:
        return None
    count = 0
    for person_id in person_ids:
        index_person(db, person_id)
        count += 1
    return count


def index_people_bulk(db: Session, person_ids: Iterable[str]) -> int | None:
    """Index these people in batches (new people from an import); None when there is no lookup."""
    index_many = _lookup("index_people")
    if index_many is None:
        return None
    ids = list(person_ids)
    if ids:
        index_many(db, ids)
    return len(ids)
