"""What the terminal shows about sync: connected or not, how much is waiting, why not."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from firstresponse.records import OutboxItem
from firstresponse.store.outbox import PENDING, QUARANTINED


@dataclass(frozen=True)
class SyncStatus:
    """A snapshot for the status bar. `connected` is None before the first attempt."""

    connected: bool | None = None
    waiting: int = 0
    quarantined: int = 0
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    last_error: str = ""
    auth_failed: bool = False
    retry_in: float | None = None

    @property
    def label(self) -> str:
        """Short text such as 'online · 0 waiting' or 'offline · 12 waiting'."""
        state = {None: "not synced", True: "online", False: "offline"}[self.connected]
        if self.auth_failed:
            state = "sign-in refused"
        text = f"{state} · {self.waiting} waiting"
        if self.quarantined:
            text += f" · {self.quarantined} need attention"
        return text

    def with_counts(self, db: Session) -> SyncStatus:
        waiting, quarantined = counts(db)
        return replace(self, waiting=waiting, quarantined=quarantined)


def counts(db: Session) -> tuple[int, int]:
    """(waiting, quarantined) outbox rows."""
    query = (
        select(OutboxItem.status, func.count())
        .where(col(OutboxItem.status).in_([PENDING, QUARANTINED]))
        .group_by(col(OutboxItem.status))
    )
    found = dict(db.exec(query).all())
    return int(found.get(PENDING, 0)), int(found.get(QUARANTINED, 0))
