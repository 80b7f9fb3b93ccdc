"""The magnum-api WSGI application: Pecan controllers and middleware, in order.

From the outside in::

    RequestId            X-OpenStack-Request-Id on every response
    HTTPProxyToWSGI      (when [api] enable_proxy_headers_parsing)
    Healthcheck          GET /healthcheck, before auth
    MicroversionMiddleware   negotiation, 406s, version headers on every response
    ErrorMiddleware      every 4xx/5xx as the OpenStack error body
    AuthTokenMiddleware  (auth_strategy = keystone) every route but / and /v1
    Pecan                hooks (context, RPC client) and the controllers
"""

from __future__ import annotations

import logging
from typing import Any

import pecan
from oslo_config import cfg
from oslo_middleware import healthcheck, http_proxy_to_wsgi, request_id

from magnum.api import auth, errors, hooks, microversions
from magnum.api.controllers import root

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


def setup_app(conf: cfg.ConfigOpts | None = None) -> Any:
    conf = conf or cfg.CONF
    app = pecan.make_app(
        root.RootController(),
        hooks=[hooks.ContextHook(), hooks.JsonBodyHook(), hooks.RPCHook()],
        force_canonical=False,
        guess_content_type_from_ext=False,
        debug=False,
        wsme={"debug": False},
    )
    if conf.auth_strategy == "keystone":
        app = auth.AuthTokenMiddleware(app, conf)
    app = errors.ErrorMiddleware(app)
    app = microversions.MicroversionMiddleware(app, errors.render)
    app = HealthcheckRoute(app, healthcheck.Healthcheck(None, {"detailed": False}))
    if conf.api.enable_proxy_headers_parsing:
        # The middleware reads its own [oslo_middleware] switch; ours decides.
        app = http_proxy_to_wsgi.HTTPProxyToWSGI(app, {"enable_proxy_headers_parsing": True})
    app = request_id.RequestId(app)
    return app
