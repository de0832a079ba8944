"""The hub: FastAPI service terminals sync with (SQLite by default, PostgreSQL by URL)."""
