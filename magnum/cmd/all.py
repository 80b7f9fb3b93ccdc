"""magnum-all: API and conductor in one process (the embedded mode).

RPC uses oslo.messaging's in-process transport, whatever ``transport_url``
says, and the database schema is brought to the latest version at start, so
``magnum-all`` alone gives a working service on SQLite.
"""

from __future__ import annotations

import os
import sys

from magnum.api import app as api_app
from magnum.api import auth, server
from magnum.common import rpc, service
from magnum.common.cert_manager import x509keypair
from magnum.conductor import service as conductor_service
from magnum.db import migration


def main(argv: list[str] | None = None) -> None:
    conf = service.prepare(argv or sys.argv)
    auth.refuse_exposed_noauth_or_exit(conf)
    os.makedirs(conf.state_path, exist_ok=True)
    migration.upgrade("head")
    service.check_database_or_exit(conf)
    if not conf.certificates.encryption_key:
        # One process holds API and conductor, so a generated key kept with
        # the rest of its state encrypts the bay CAs' private keys.
        x509keypair.ensure_local_key()
    rpc.init(conf, url=rpc.IN_PROCESS_TRANSPORT_URL)
    conductor = conductor_service.ConductorService(conf)
    conductor.start()
    http = server.make_server(
        api_app.setup_app(conf), conf.api.host_ip, conf.api.port, conf.api.threads
    )

    def stop_conductor() -> None:
        conductor.stop()
        rpc.cleanup()

    server.serve_in_process(http, on_stop=stop_conductor)
