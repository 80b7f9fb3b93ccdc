"""One INFO line per request, and a request context store that is never stale.

The line names the method, the path (without the query string, which may
carry filters but never a token or a body), the status, the duration and the
request id, so an error body's ``request_id`` finds it. oslo.log adds the
caller from the thread-local context the ContextHook set for THIS request;
it is cleared before and after, so a line logged below the hooks (auth
failures) names nobody rather than the previous caller of the thread.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from magnum.common import context

LOG = logging.getLogger("magnum.api.access")
REQUEST_ID_KEY = "openstack.request_id"


class AccessLogMiddleware:
    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        context.clear_store()
        started = time.monotonic()
        status: list[str] = ["500"]

        def record_status(code: str, headers: list, exc_info: Any = None) -> Callable:
            status[0] = code.split(" ", 1)[0]
            return (
                start_response(code, headers, exc_info)
                if exc_info
                else start_response(code, headers)
            )

        try:
            return self.app(environ, record_status)
        finally:
            LOG.info(
                '"%s %s" status: %s time: %.3f request_id: %s',
                environ.get("REQUEST_METHOD", ""),
                environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""),
                status[0],
                time.monotonic() - started,
                environ.get(REQUEST_ID_KEY, ""),
            )
            context.clear_store()
