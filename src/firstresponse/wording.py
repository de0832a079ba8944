"""How the product words counts: "1 warrant", "2 warrants", never "warrant(s)"."""

from __future__ import annotations


def plural(count: int, one: str, many: str = "") -> str:
    """`count` and the noun that agrees with it (`many` defaults to `one` + "s")."""
    return f"{count} {one if count == 1 else (many or one + 's')}"
