"""The magnum-api WSGI application: Pecan controllers and middleware, in order.

From the outside in::

    RequestId            X-OpenStack-Request-Id on every response
    AccessLogMiddleware  one INFO line per request; a fresh log context
    HTTPProxyToWSGI      (when [api] enable_proxy_headers_parsing)
    Healthcheck          GET /healthcheck, before auth
    MicroversionMiddleware   negotiation, 406s, version headers on every response
    ErrorMiddleware      every 4xx/5xx as the OpenStack error body
    PathCheck            400 for path segments no row can hold (NUL, 4-byte, ..)
    AuthTokenMiddleware  (auth_strategy = keystone) every route but / and /v1
    Pecan                hooks (context, RPC client) and the controllers
"""

from __future__ import annotations

import logging
from typing import Any

import pecan
from oslo_config import cfg
from oslo_middleware import healthcheck, http_proxy_to_wsgi, request_id

from magnum.api import access_log, auth, errors, hooks, microversions
from magnum.api.controllers import root
from magnum.api.types import common
from magnum.common import exception

LOG = logging.getLogger(__name__)


class HealthcheckRoute:
    """Send /healthcheck to oslo.middleware's Healthcheck, the rest on.

    The middleware answers every request it sees (it expects to be mounted
    at a path by paste), so it is mounted here by path.
    """

    PATH = "/healthcheck"

    def __init__(self, app: Any, health: Any) -> None:
        self.app = app
        self.health = health

    def __call__(self, environ: dict, start_response: Any) -> Any:
        if environ.get("PATH_INFO", "").rstrip("/") == self.PATH:
            return self.health(environ, start_response)
        return self.app(environ, start_response)


class PathCheck:
    """Every path segment of every route passes ``check_text``: else 400.

    One check for all routes (and those added later), before routing: a NUL,
    a control character, a 4-byte UTF-8 character or a ".." segment never
    reaches a lookup in the database or a driver. PATH_INFO is WSGI's
    latin-1 text of the URL's bytes; a server that already decoded it as
    UTF-8 (an in-process test transport) is read as it is.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Any) -> Any:
        raw = environ.get("PATH_INFO", "")
        try:
            path = raw.encode("latin-1").decode("utf-8")
        except UnicodeEncodeError:
            path = raw
        except UnicodeDecodeError as err:
            raise exception.Invalid("The path is not valid UTF-8.") from err
        for segment in path.split("/"):
            try:
                common.check_text(segment, "A path segment")
            except ValueError as err:
                raise exception.Invalid(str(err)) from err
        return self.app(environ, start_response)


def setup_app(conf: cfg.ConfigOpts | None = None) -> Any:
    conf = conf or cfg.CONF
    app = pecan.make_app(
        root.RootController(),
        hooks=[
            hooks.ContextHook(),
            hooks.JsonBodyHook(),
            hooks.RPCHook(),
        ],
        force_canonical=False,
        guess_content_type_from_ext=False,
        debug=False,
        wsme={"debug": False},
    )
    if conf.auth_strategy == "keystone":
        app = auth.AuthTokenMiddleware(app, conf)
    app = PathCheck(app)
    app = errors.ErrorMiddleware(app)
    app = microversions.MicroversionMiddleware(app, errors.render)
    app = HealthcheckRoute(app, healthcheck.Healthcheck(None, {"detailed": False}))
    if conf.api.enable_proxy_headers_parsing:
        # The middleware reads its own [oslo_middleware] switch; ours decides.
        app = http_proxy_to_wsgi.HTTPProxyToWSGI(app, {"enable_proxy_headers_parsing": True})
    app = access_log.AccessLogMiddleware(app)
    app = request_id.RequestId(app)
    return app
