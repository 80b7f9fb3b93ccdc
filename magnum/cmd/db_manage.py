"""magnum-db-manage: create and upgrade magnum's database schema.

    magnum-db-manage [--config-file magnum.conf] upgrade [REVISION]
    magnum-db-manage version
    magnum-db-manage stamp REVISION
    magnum-db-manage revision -m MESSAGE [--autogenerate]

An unreachable database ends the command with one error line naming the
database (password hidden) and exit status 1.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from oslo_config import cfg
from oslo_db import exception as db_exc
from oslo_log import log

from magnum.common import service
from magnum.db import api as db_api
from magnum.db import migration

LOG = logging.getLogger(__name__)
CONF = cfg.CONF


def do_upgrade() -> None:
    migration.upgrade(CONF.command.revision or "head")


def do_version() -> None:
    print(migration.version() or "None (no schema yet)")


def do_stamp() -> None:
    migration.stamp(CONF.command.revision)


def do_revision() -> None:
    migration.revision(message=CONF.command.message, autogenerate=CONF.command.autogenerate)


def add_command_parsers(subparsers: Any) -> None:
    parser = subparsers.add_parser("upgrade", help="Upgrade the schema (default: to head).")
    parser.add_argument("revision", nargs="?", default="head")
    parser.set_defaults(func=do_upgrade)

    parser = subparsers.add_parser("version", help="Print the schema's current revision.")
    parser.set_defaults(func=do_version)

    parser = subparsers.add_parser("stamp", help="Record a revision without migrating.")
    parser.add_argument("revision")
    parser.set_defaults(func=do_stamp)

    parser = subparsers.add_parser("revision", help="Write a new migration script.")
    parser.add_argument("-m", "--message", required=True)
    parser.add_argument("--autogenerate", action="store_true")
    parser.set_defaults(func=do_revision)


command_opt = cfg.SubCommandOpt(
    "command",
    title="Commands",
    help="Run 'magnum-db-manage COMMAND --help' for a command's arguments.",
    handler=add_command_parsers,
)


def main(argv: list[str] | None = None) -> None:
    # The sub-command is a command-line argument of this tool only, so it is
    # registered here rather than in magnum.conf.
    CONF.register_cli_opt(command_opt)
    # Fail at once on an unreachable database instead of oslo.db's default of
    # ten attempts ten seconds apart; a config file may still ask for retries.
    CONF.set_default("max_retries", 0, group="database")
    # Logs go to stderr so that stdout carries only results (``version``).
    log.register_options(CONF)
    CONF.set_default("use_stderr", True)
    service.prepare(argv or sys.argv)
    try:
        CONF.command.func()
        return
    except db_exc.DBConnectionError as err:
        reason = str(getattr(err, "inner_exception", None) or err).splitlines()[0]
    # Logged outside the except block: oslo.log would append the exception.
    LOG.error(
        "Cannot connect to the database at %s: %s",
        db_api.get_instance().safe_url(),
        reason,
    )
    sys.exit(1)


if __name__ == "__main__":
    main()
