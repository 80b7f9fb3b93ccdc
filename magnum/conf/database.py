"""[database] options: oslo.db's, with the embedded mode's SQLite as default."""

from oslo_config import cfg
from oslo_db import options as db_options

DEFAULT_CONNECTION = "sqlite:///$state_path/magnum.sqlite"


def register_opts(conf: cfg.ConfigOpts) -> None:
    db_options.set_defaults(conf, connection=DEFAULT_CONNECTION)
    # Also on the option objects, so the generated sample shows the default.
    cfg.set_defaults(db_options.database_opts, connection=DEFAULT_CONNECTION)


def list_opts() -> dict:
    return {"database": db_options.database_opts}
