"""The hub's tables, declared with every other table in `records.hub`, and the feed's
audiences that are no one officer or team.

The hub keeps nothing that matters in memory: idempotence comes from the unique
constraint on (record_id, version) and from transactions, so several hub processes
can share one PostgreSQL database.
"""

from __future__ import annotations

from firstresponse.records.hub import (
    HubChange,
    HubDevice,
    HubEnvelope,
    HubSession,
    HubSignInAttempt,
    HubSigningKey,
)

__all__ = [
    "EVERYONE",
    "RESTRICTED",
    "HubChange",
    "HubDevice",
    "HubEnvelope",
    "HubSession",
    "HubSignInAttempt",
    "HubSigningKey",
]

#: The recipients of a feed entry that are no one officer or team: every terminal, and
#: the terminals of officers allowed restricted records.
EVERYONE = "*"
RESTRICTED = "*restricted"
