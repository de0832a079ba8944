"""The responding officer's screens: assignments, briefing, checklists, risk, outbox."""

from firstresponse.tui.screens.responder.home import ResponderHome

__all__ = ["ResponderHome"]
