"""What the call handler's screens share about the call in hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
