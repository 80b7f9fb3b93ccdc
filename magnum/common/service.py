"""Start-up steps every magnum process shares."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Sequence

from oslo_config import cfg
from oslo_db import exception as db_exc
from oslo_log import log

from magnum import objects, version
from magnum.db import api as db_api

LOG = logging.getLogger(__name__)


def prepare(argv: Sequence[str], default_config_files: list[str] | None = None) -> cfg.ConfigOpts:
    """Parse options, set up logging, register the versioned objects."""
    conf = cfg.CONF
    log.register_options(conf)
    conf(
        list(argv[1:]),
        project="magnum",
        version=version.version_string(),
        default_config_files=default_config_files,
    )
    log.setup(conf, "magnum")
    objects.register_all()
    return conf


def check_database_or_exit(conf: cfg.ConfigOpts) -> None:
    """Exit 1 with one clear line when the database cannot be used."""
    try:
        objects.MagnumService.list(None)
    except db_exc.DBError as err:
        reason = str(getattr(err, "inner_exception", None) or err).splitlines()[0]
        LOG.critical(
            "Cannot use the database at %s: %s. Check [database] connection and "
            "run 'magnum-db-manage upgrade'.",
            db_api.get_instance().safe_url(),
            reason,
        )
        sys.exit(1)


class StopSignal:
    """SIGTERM/SIGINT as an event; create it before starting anything.

    Installed first, a signal that arrives while the process is still
    starting is remembered, and the process stops cleanly right after.
    """

    def __init__(self) -> None:
        self.event = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: self.event.set())
        signal.signal(signal.SIGINT, lambda *_: self.event.set())

    def wait(self) -> None:
        while not self.event.wait(1):
            pass
