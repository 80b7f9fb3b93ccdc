"""Schema migrations (alembic) on the database ``[database] connection`` names.

These back ``magnum-db-manage``; ``magnum-all`` calls ``upgrade`` at start.
Migrations only go forward: there is no downgrade.
"""

from __future__ import annotations

import os

import alembic.command
import alembic.config
import alembic.migration
import alembic.script
from sqlalchemy import Connection

from magnum.db.sqlalchemy import query

_INI = os.path.join(os.path.dirname(__file__), "sqlalchemy", "alembic.ini")


def _config(connection: Connection | None = None) -> alembic.config.Config:
    config = alembic.config.Config(_INI)
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head() -> str | None:
    """The newest revision this code knows."""
    return alembic.script.ScriptDirectory.from_config(_config()).get_current_head()


def upgrade(revision: str | None = "head") -> None:
    """Bring the schema to ``revision`` (default: the newest). Re-running is a no-op."""
    with query.get_engine().begin() as connection:
        alembic.command.upgrade(_config(connection), revision or "head")


def version() -> str | None:
    """The revision the database is at; None for an empty database."""
    with query.get_engine().connect() as connection:
        return alembic.migration.MigrationContext.configure(connection).get_current_revision()


def stamp(revision: str) -> None:
    """Record ``revision`` as current without running migrations."""
    with query.get_engine().begin() as connection:
        alembic.command.stamp(_config(connection), revision)


def revision(message: str | None = None, autogenerate: bool = False) -> None:
    """Write a new revision file; with ``autogenerate``, diff the models against the database."""
    with query.get_engine().begin() as connection:
        alembic.command.revision(_config(connection), message=message, autogenerate=autogenerate)
