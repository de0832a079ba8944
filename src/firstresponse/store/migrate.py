"""Schema migrations (Alembic), run whenever a store or a hub database is opened.

One linear history serves both roles. A step that concerns one role only asks
`migrating_for()`: the hub's own tables are created on a hub's database and never on a
terminal's store. Databases made before the history was linear recorded three branch
heads; `upgrade` rewrites those to the one linear revision they amount to first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from alembic import command, context
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).parent / "migrations"
HUB_TABLES = ("hub_change", "hub_envelope", "hub_device")
Role = Literal["terminal", "hub"]

# The branch heads an earlier release left, and the linear revision that holds the same schema.
_BRANCHED = {"0002_hub", "0002_lookup", "0003_outbox_order"}
_BRANCHED_AS_LINEAR = "0003_outbox_order"


def alembic_config(engine: Engine | None = None, role: Role = "terminal") -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    cfg.attributes["role"] = role
    return cfg


def migrating_for() -> Role:
    """The role of the database being migrated; for use inside a migration step."""
    role: Role = context.config.attributes.get("role", "terminal")
    return role


def _linearise(engine: Engine) -> None:
    """Rewrite an earlier release's branch heads as the one linear revision they amount to.

    Only reads, unless the database was made by that release."""
    heads = current_revisions(engine)
    if "0002_hub" not in heads:
        return
    if heads != _BRANCHED:
        raise RuntimeError(f"unexpected schema revisions {sorted(heads)}: upgrade by hand")
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM alembic_version"))
        conn.execute(
            text("INSERT INTO alembic_version (version_num) VALUES (:v)"),
            {"v": _BRANCHED_AS_LINEAR},
        )


def upgrade(engine: Engine, revision: str = "head", role: Role = "terminal") -> None:
    """Bring the database's schema up to `revision` for its role."""
    _linearise(engine)
    command.upgrade(alembic_config(engine, role), revision)


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


def head_revisions() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())
