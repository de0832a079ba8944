"""The supervisor's screens: the dip-sample queue, the review of one case with feedback,
and the compliance dashboard."""

from firstresponse.tui.screens.supervisor.home import SupervisorHome

__all__ = ["SupervisorHome"]
