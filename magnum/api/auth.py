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
on a loopback address, and start-up warns when the API listens elsewhere.
"""

from __future__ import annotations

import ipaddress
import logging
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


def warn_if_noauth_exposed(conf: cfg.ConfigOpts) -> None:
    host: Any = conf.api.host_ip
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        LOG.warning(
            "auth_strategy = noauth while the API listens on %s: anyone who can "
            "reach it acts as any project. noauth is meant for the embedded "
            "all-in-one mode on a loopback address.",
            host,
        )
