"""Schema migrations (Alembic), run whenever a store or a hub database is opened.

One linear history serves both roles. Every table is declared in `firstresponse.records`,
and one made on one role's databases only says so there (`records.roles`); a step that
concerns one role only asks `migrating_for()`, so the hub's own tables are created on a
hub's database and never on a terminal's store. What Alembic compares a database with
(`target_metadata`, `belongs`) is those declarations, for the database's role.

Databases made before the history was linear recorded three branch heads; `upgrade`
rewrites those to the one linear revision they amount to first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command, context
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, Table, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from firstresponse.records.roles import DatabaseRole, belongs_on

MIGRATIONS = Path(__file__).parent / "migrations"
HUB_TABLES = ("hub_change", "hub_envelope", "hub_device")
Role = DatabaseRole

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


def target_metadata() -> MetaData:
    """Every table declared, of both roles (`belongs` picks a role's)."""
    import firstresponse.records  # noqa: F401  (registers every table)

    return SQLModel.metadata


def belongs(role: Role) -> Any:
    """An Alembic `include_object` that leaves out the tables of the other role: neither
    those declared for it nor those a database has that are declared for it."""
    tables = target_metadata().tables

    def include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        if type_ != "table":
            return True
        declared = obj if isinstance(obj, Table) and not reflected else tables.get(name or "")
        return declared is None or belongs_on(declared, role)

    return include


def _same_default(
    _context: Any,
    _inspected_column: Any,
    _metadata_column: Any,
    inspected: str | None,
    _metadata_default: Any,
    rendered: str | None,
) -> bool | None:
    """False (no change) where the database's default is the declared one: the same SQL,
    or the declared string as a literal, once SQLite's reading has put it in parentheses
    (Alembic's own SQLite comparison takes every `''` default for a change). None leaves
    Alembic to compare."""
    if inspected is None or rendered is None:
        return None
    bare = inspected.strip('"')
    while bare.startswith("(") and bare.endswith(")"):
        bare = bare[1:-1]
    literal = "'" + rendered.replace("'", "''") + "'"
    return False if bare in (rendered, literal) else None


def compare_options(role: Role) -> dict[str, Any]:
    """How Alembic compares a database of `role` with the declared tables: their columns'
    types and server defaults too."""
    return {
        "include_object": belongs(role),
        "compare_type": True,
        "compare_server_default": _same_default,
    }


def schema_drift(engine: Engine, role: Role) -> list[Any]:
    """What Alembic would change to make the database's schema the declared one for its
    `role` (nothing, on a database these migrations made)."""
    from alembic.autogenerate import compare_metadata

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts=compare_options(role))
        return list(compare_metadata(context, target_metadata()))


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
