"""Serve the API with cheroot: threads per process, optional pre-forked workers.

cheroot is a pure-Python, multi-threaded HTTP/1.1 WSGI server (CherryPy's).
With ``[api] workers`` > 1 the parent forks that many children, each
building its own app and binding the port with SO_REUSEPORT, so the kernel
spreads connections; the parent restarts a child that dies and forwards
SIGTERM/SIGINT to all of them for a clean stop.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

from cheroot import wsgi

LOG = logging.getLogger(__name__)


def make_server(
    app: Any, host: str, port: int, threads: int, shared_port: bool = False
) -> wsgi.Server:
    """``shared_port`` lets forked workers bind the same port; a single
    process must fail with 'address in use' when the port is taken."""
    return wsgi.Server(
        (host, port),
        app,
        numthreads=threads,
        server_name="magnum-api",
        shutdown_timeout=10,
        reuse_port=shared_port,
    )


def serve_in_process(server: wsgi.Server, on_stop: Callable[[], None] | None = None) -> None:
    """Serve until SIGTERM/SIGINT, then stop accepting and finish requests."""
    stopping = threading.Event()

    def request_stop(signum: int, frame: Any) -> None:
        if not stopping.is_set():
            stopping.set()
            # server.stop() joins threads: never from inside the handler.
            threading.Thread(target=server.stop, name="api-stop").start()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    server.prepare()
    LOG.info("magnum-api serving on http://%s:%s", *server.bind_addr[:2])
    try:
        server.serve()
    finally:
        if on_stop is not None:
            on_stop()


def serve_forked(build_server: Callable[[], wsgi.Server], workers: int) -> None:
    children: dict[int, int] = {}
    stopping = False

    def spawn(slot: int) -> None:
        pid = os.fork()
        if pid == 0:  # child
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            try:
                serve_in_process(build_server())
            finally:
                os._exit(0)
        children[pid] = slot

    def forward(signum: int, frame: Any) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    for slot in range(workers):
        spawn(slot)
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        slot = children.pop(pid, None)
        if slot is not None and not stopping:
            LOG.error("API worker %s exited (status %s); starting a new one", pid, status)
            time.sleep(1)
            spawn(slot)
