"""Synthetic force history and the embedded demo: generator, showcase people, word lists."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from firstresponse.demo.generate import Counts, generate_history

__all__ = ["Counts", "generate_history"]


def __getattr__(name: str) -> Any:
    """The generator loads only when it is used: opening a seeded demo store needs none."""
    if name in __all__:
        from firstresponse.demo import generate

        return getattr(generate, name)
    raise AttributeError(f"module 'firstresponse.demo' has no attribute {name!r}")
