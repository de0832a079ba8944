"""Keep the index current without being asked: people and aliases written through any ORM
session are refiled just before that session commits, in the same transaction.

Active once `firstresponse.lookup` is imported. Bulk loads that bypass the ORM call
`rebuild_index` instead.
"""

from __future__ import annotations

import logging
from itertools import chain
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from firstresponse.lookup.index import PENDING, index_people
from firstresponse.records import Person, PersonAlias

log = logging.getLogger("firstresponse.lookup")
__all__ = ["PENDING"]
_has_index: WeakKeyDictionary[Engine, bool] = WeakKeyDictionary()


def _indexed(session: Session) -> bool:
    """Whether this database has the lookup tables (checked once per engine)."""
    engine = session.get_bind()
    if not isinstance(engine, Engine):  # pragma: no cover - sessions bound to a connection
        engine = engine.engine
    if engine not in _has_index:
        _has_index[engine] = inspect(session.connection()).has_table("lookup_key")
    return _has_index[engine]


@event.listens_for(Session, "before_flush")
def _collect(session: Session, _context: Any, _instances: Any) -> None:
    ids = session.info.setdefault(PENDING, set())
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Person):
            ids.add(obj.id)
        elif isinstance(obj, PersonAlias):
            ids.add(obj.person_id)


@event.listens_for(Session, "before_commit")
def _refile(session: Session) -> None:
    session.flush()
    ids = session.info.pop(PENDING, None)
    if not ids or not _indexed(session):
        return
    try:
        with session.begin_nested():
            index_people(session, ids)  # type: ignore[arg-type]
    except SQLAlchemyError:  # never lose the record itself over its search keys
        log.exception("could not refile %d people in the lookup index", len(ids))
