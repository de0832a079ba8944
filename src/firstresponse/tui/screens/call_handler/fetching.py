"""What the call handler reads while the chosen people's records come from the hub."""

from __future__ import annotations


def fetching_note(names: list[str], source: str) -> str:
    """ "fetching Ann Example's record from the hub…"; empty when nobody is fetched."""
    named = [n for n in names if n]
    if not named:
        return ""
    where = "from the hub" if source != "local" else "from this terminal"
    if len(named) == 1:
        return f"fetching {named[0]}'s record {where}…"
    return f"fetching the records of {' and '.join(named)} {where}…"
