"""What the terminal shows about sync, in words: "synced 22:47 · 0 waiting",
"offline since 22:45 · 12 waiting · held on the hub: 2"."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from firstresponse.records import OutboxItem
from firstresponse.store.outbox import PENDING, QUARANTINED

NO_HUB = "no hub set"


def clock(moment: datetime | None) -> str:
    """HH:MM in the terminal's local time."""
    return moment.astimezone().strftime("%H:%M") if moment else "--:--"


@dataclass(frozen=True)
class SyncStatus:
    """A snapshot for the status bar. `connected` is None before the first attempt."""

    connected: bool | None = None
    waiting: int = 0
    quarantined: int = 0
    held: int = 0
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    offline_since: datetime | None = None
    last_error: str = ""
    auth_failed: bool = False
    configured: bool = True
    retry_in: float | None = None
    pulled: int = 0  # changes pulled since the link started (screens reload when it grows)
    pulled_waiting: int = 0  # pulled records waiting for one they refer to (sync.pull)

    @property
    def state(self) -> str:
        """The connection in words."""
        if not self.configured:
            return f"offline ({NO_HUB})"
        if self.auth_failed:
            return "sign in again to sync" if "sign in" in self.last_error else "hub refused"
        if self.connected is None:
            return "connecting"
        if self.connected:
            return f"synced {clock(self.last_success)}"
        return f"offline since {clock(self.offline_since or self.last_attempt)}"

    @property
    def label(self) -> str:
        """One line: 'synced 22:47 · 0 waiting', 'offline since 22:45 · 12 waiting' ..."""
        text = f"{self.state} · {self.waiting} waiting"
        if self.held:
            text += f" · held on the hub: {self.held}"
        if self.quarantined:
            text += f" · {self.quarantined} need attention"
        if self.pulled_waiting:
            text += f" · from the hub, not filed yet: {self.pulled_waiting}"
        return text

    def with_counts(self, db: Session) -> SyncStatus:
        from firstresponse.sync import held, pull

        waiting, quarantined = counts(db)
        return replace(
            self,
            waiting=waiting,
            quarantined=quarantined,
            held=held.count(db),
            pulled_waiting=pull.waiting_count(db),
        )


def counts(db: Session) -> tuple[int, int]:
    """(waiting, quarantined) outbox rows."""
    query = (
        select(OutboxItem.status, func.count())
        .where(col(OutboxItem.status).in_([PENDING, QUARANTINED]))
        .group_by(col(OutboxItem.status))
    )
    found = dict(db.exec(query).all())
    return int(found.get(PENDING, 0)), int(found.get(QUARANTINED, 0))
