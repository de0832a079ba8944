"""The walk to each screen for `firstresponse screenshots` (one function per screen)."""

from __future__ import annotations
