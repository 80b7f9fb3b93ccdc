"""Alembic environment: migrations run on magnum's configured database.

``magnum.db.migration`` hands over an open connection in
``config.attributes["connection"]``; without one (plain ``alembic`` runs),
the engine comes from ``[database] connection``.
"""

from alembic import context
from oslo_config import cfg

from magnum.db.sqlalchemy import models, query

target_metadata = models.Base.metadata


def _configure_and_run(**kwargs: object) -> None:
    context.configure(target_metadata=target_metadata, compare_type=True, **kwargs)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    """Emit SQL to stdout instead of running it (``--sql``)."""
    _configure_and_run(url=cfg.CONF.database.connection, literal_binds=True)


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection=connection)
        return
    with query.get_engine().connect() as connection:
        _configure_and_run(connection=connection)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
