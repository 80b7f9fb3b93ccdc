"""magnum-api: the REST API, served by cheroot (see magnum.api.server)."""

from __future__ import annotations

import sys

from magnum.api import app as api_app
from magnum.api import auth, server
from magnum.common import rpc, service
from magnum.db import api as db_api


def main(argv: list[str] | None = None) -> None:
    conf = service.prepare(argv or sys.argv)
    auth.refuse_exposed_noauth_or_exit(conf)
    service.check_database_or_exit(conf)

    forked = conf.api.workers > 1

    def build() -> server.wsgi.Server:
        rpc.init(conf)
        return server.make_server(
            api_app.setup_app(conf),
            conf.api.host_ip,
            conf.api.port,
            conf.api.threads,
            shared_port=forked,
        )

    if forked:
        # The database check above left a pooled connection in this process;
        # forked workers sharing its socket corrupt each other's queries
        # ("Lost connection to MySQL server during query"), so drop it first.
        db_api.get_instance().dispose()
        server.serve_forked(build, conf.api.workers)
    else:
        server.serve_in_process(build())
