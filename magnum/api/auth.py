"""Authentication at the edge: keystonemiddleware, with public version routes.

``auth_strategy = keystone``: keystonemiddleware's ``auth_token``, configured
from ``[keystone_authtoken]`` like any OpenStack service, guards every route
but version discovery. It answers a missing, bad, expired or revoked token
with 401 and ``WWW-Authenticate: Keystone uri=...``, and an unreachable
Keystone with 503; ``ErrorMiddleware`` (outside this one) turns both into the
OpenStack error body and keeps the header. Validated tokens are cached
(memcached when ``memcached_servers`` is set, else in process).

``auth_strategy = noauth``: no middleware; ``hooks.ContextHook`` takes the
caller from X-Project-Id / X-User-Id / X-Roles. It is for the embedded mode
on a loopback address: magnum-api and magnum-all refuse to start on any other
address unless ``[api] allow_noauth_on_non_loopback`` says so.
"""

from __future__ import annotations

import ipaddress
import logging
import sys
from collections.abc import Callable, Iterable
from typing import Any

from keystonemiddleware import auth_token
from oslo_config import cfg

LOG = logging.getLogger(__name__)

# Version discovery stays open so clients can negotiate before they log in.
PUBLIC_PATHS = frozenset({"", "/", "/v1", "/v1/"})


class AuthTokenMiddleware:
    """``auth_token`` for every route except version discovery."""

    def __init__(self, app: Callable, conf: cfg.ConfigOpts) -> None:
        self.app = app
        self.protected = auth_token.AuthProtocol(
            app, {"oslo_config_config": conf, "oslo_config_project": "magnum"}
        )

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "") in PUBLIC_PATHS:
            return self.app(environ, start_response)
        return self.protected(environ, start_response)


def noauth_exposed(conf: cfg.ConfigOpts) -> bool:
    """Whether noauth is on while the API listens on a non-loopback address."""
    if conf.auth_strategy != "noauth":
        return False
    host: Any = conf.api.host_ip
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host != "localhost"


def refuse_exposed_noauth_or_exit(conf: cfg.ConfigOpts) -> None:
    """Stop magnum-api/magnum-all before they listen when noauth would be reachable.

    Under noauth the caller names its own project and roles in headers, so an
    API reachable from other machines gives anyone admin. Starting anyway takes
    ``[api] allow_noauth_on_non_loopback = true``, and then a warning is logged.
    """
    if not noauth_exposed(conf):
        return
    if conf.api.allow_noauth_on_non_loopback:
        LOG.warning(
            "auth_strategy = noauth while the API listens on %s: anyone who can "
            "reach it acts as any project ([api] allow_noauth_on_non_loopback is set).",
            conf.api.host_ip,
        )
        return
    LOG.critical(
        "Refusing to start: auth_strategy = noauth and [api] host_ip = %s is not a "
        "loopback address, so anyone who can reach the API could act as any project. "
        "Listen on 127.0.0.1, use auth_strategy = keystone, or set "
        "[api] allow_noauth_on_non_loopback = true.",
        conf.api.host_ip,
    )
    sys.exit(1)
