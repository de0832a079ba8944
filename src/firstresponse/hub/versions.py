"""The newest version of each record the hub has written to its record table."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from firstresponse.hub.id_lists import in_ids, listed
from firstresponse.hub.models import HubEnvelope
from firstresponse.records import table_of

ENVELOPES: Any = table_of(HubEnvelope)
_NEWEST = (
    select(ENVELOPES.c.record_id, func.max(ENVELOPES.c.version))
    .where(ENVELOPES.c.materialised, in_ids(ENVELOPES.c.record_id))
    .group_by(ENVELOPES.c.record_id)
)


def newest(db: Session, ids: Iterable[str]) -> dict[str, int]:
    """By record id, in one query; a record no terminal sent (none stored) is left out."""
    wanted = listed(ids)
    if not wanted:
        return {}
    return {record_id: version for record_id, version in db.execute(_NEWEST, {"ids": wanted})}
