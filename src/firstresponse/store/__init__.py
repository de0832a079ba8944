"""Local SQLite store: engine, migrations, transactional outbox.

`Store` and `make_engine` load the engine (and SQLAlchemy) on first use, so a check that
needs only `store.encryption` (the terminal's, before its first screen) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from firstresponse.store.engine import Store, make_engine

__all__ = ["Store", "make_engine"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from firstresponse.store import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
