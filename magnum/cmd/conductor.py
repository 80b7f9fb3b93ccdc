"""magnum-conductor: RPC server, bay operations and periodic tasks."""

from __future__ import annotations

import sys

from magnum.common import rpc, service
from magnum.conductor import service as conductor_service


def main(argv: list[str] | None = None) -> None:
    stop = service.StopSignal()
    conf = service.prepare(argv or sys.argv)
    service.check_database_or_exit(conf)
    rpc.init(conf)
    conductor = conductor_service.ConductorService(conf)
    conductor.start()
    try:
        stop.wait()
    finally:
        conductor.stop()
        rpc.cleanup()
