"""[database] options: oslo.db's, with the embedded mode's SQLite as default."""

from oslo_config import cfg
from oslo_db import options as db_options

DEFAULT_CONNECTION = "sqlite:///$state_path/magnum.sqlite"

# Bounds on waiting for MariaDB/MySQL and PostgreSQL, so a stopped or frozen
# database answers 503 in seconds instead of hanging requests (see
# magnum/db/sqlalchemy/query.py, which passes them to PyMySQL and libpq).
timeout_opts = [
    cfg.IntOpt(
        "connect_timeout",
        default=3,
        min=1,
        help="Seconds to wait for a connection to MariaDB/MySQL or PostgreSQL to open.",
    ),
    cfg.IntOpt(
        "statement_timeout",
        default=5,
        min=1,
        help="Seconds a statement may wait for the database before the request "
        "fails with 503: PyMySQL's read and write timeouts (also a frozen server) "
        "and PostgreSQL's server-side statement_timeout.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    db_options.set_defaults(conf, connection=DEFAULT_CONNECTION)
    # Also on the option objects, so the generated sample shows the default.
    cfg.set_defaults(db_options.database_opts, connection=DEFAULT_CONNECTION)
    conf.register_opts(timeout_opts, group="database")


def list_opts() -> dict:
    return {"database": db_options.database_opts + timeout_opts}
