"""Every walk for `firstresponse screenshots`: each area's shots module registers its own."""

from __future__ import annotations

import firstresponse.tui.screens.call_handler.shots
import firstresponse.tui.screens.followup.shots
import firstresponse.tui.screens.responder.shots
import firstresponse.tui.screens.security_shots
import firstresponse.tui.screens.supervisor.shots  # noqa: F401  (each registers with @shot)
from firstresponse.tui.screenshots import SHOTS, Shot


def all_shots() -> list[Shot]:
    """Sign-in's and every area's shots, in the order they registered."""
    return list(SHOTS)
