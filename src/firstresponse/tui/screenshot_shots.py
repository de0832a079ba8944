"""The walk to each screen for `firstresponse screenshots`: each area registers its own."""

from __future__ import annotations

import firstresponse.tui.screens.call_handler.shots
import firstresponse.tui.screens.responder.shots
import firstresponse.tui.screens.security_shots
import firstresponse.tui.screens.supervisor.shots  # noqa: F401
