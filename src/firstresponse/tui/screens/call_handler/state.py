"""What the call handler's screens share about the call in hand, and where lookups go."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from firstresponse.calls import FallbackLookup, HubLookup, LocalLookup, LookupSource
from firstresponse.checklist import Checklist, load_checklists
from firstresponse.config import Settings
from firstresponse.records import User
from firstresponse.store import Store


@dataclass
class CallState:
    """The call in hand: its incident, what the lookup found and the facts for THRIVE."""

    incident_id: str
    reference: str
    victim_name: str
    history: dict[str, Any] | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)
    suspect_markers: list[str] = field(default_factory=list)


def checklists(settings: Settings) -> dict[str, Checklist]:
    return load_checklists(settings.checklists_dir)


def lookup_source(app: Any) -> LookupSource:
    """The hub when this terminal is enrolled and the officer's PIN is known, else local."""
    store: Store = app.store
    user: User = app.user
    settings: Settings = app.settings
    local = LocalLookup(store, user)
    credentials = getattr(app, "credentials", None)
    pin = getattr(credentials, "pin", "") or getattr(app, "pin", "")
    if settings.hub_url and settings.device_token and pin:
        from firstresponse.sync.client import Credentials, HubClient, SyncFailure

        try:
            client = HubClient(
                settings.hub_url, settings.device_token, Credentials(user.collar, pin)
            )
        except SyncFailure:
            return local
        return FallbackLookup(HubLookup(client), local)
    return local
