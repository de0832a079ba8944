"""The call handler's screens: this shift's calls, a new call with the repeat-victim lookup,
the history narrative, THRIVE with the grade floor, the override, the briefing and safety
advice."""

from firstresponse.tui.screens.call_handler.home import CallHandlerHome

__all__ = ["CallHandlerHome"]
