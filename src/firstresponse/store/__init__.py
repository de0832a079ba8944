"""Local SQLite store: engine, migrations, transactional outbox."""

from firstresponse.store.engine import Store, make_engine

__all__ = ["Store", "make_engine"]
