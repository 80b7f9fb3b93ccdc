"""Pecan hooks: the request context and the conductor RPC client."""

from __future__ import annotations

import logging
from typing import Any

from oslo_config import cfg
from pecan import hooks

from magnum.api import microversions
from magnum.common import context as magnum_context
from magnum.common import policy

LOG = logging.getLogger(__name__)
CONF = cfg.CONF

# Under noauth these headers may name the caller; anything else is ignored.
NOAUTH_HEADERS = ("X-Project-Id", "X-User-Id", "X-Roles", "X-Project-Name", "X-User-Name")
NOAUTH_DEFAULT_ROLES = ["admin", "member", "reader"]


def _noauth_context(headers: Any, request_id: str | None) -> magnum_context.RequestContext:
    roles = headers.get("X-Roles")
    return magnum_context.RequestContext(
        project_id=headers.get("X-Project-Id") or CONF.noauth_project_id,
        user_id=headers.get("X-User-Id") or CONF.noauth_user_id,
        project_name=headers.get("X-Project-Name"),
        user_name=headers.get("X-User-Name"),
        roles=[r.strip() for r in roles.split(",") if r.strip()]
        if roles
        else NOAUTH_DEFAULT_ROLES,
        request_id=request_id,
        overwrite=False,
    )


class ContextHook(hooks.PecanHook):
    """Build ``request.context`` from keystonemiddleware's headers or noauth."""

    def before(self, state: Any) -> None:
        request = state.request
        request_id = request.environ.get("openstack.request_id")
        if CONF.auth_strategy == "keystone":
            ctx = magnum_context.RequestContext.from_environ(
                request.environ, request_id=request_id, overwrite=False
            )
        else:
            ctx = _noauth_context(request.headers, request_id)
        ctx.is_admin = policy.check_is_admin(ctx)
        request.context = ctx
        request.version = request.environ.get(microversions.ENVIRON_KEY, microversions.MIN_VERSION)


class RPCHook(hooks.PecanHook):
    """Give controllers ``request.rpcapi``, the conductor client of this process."""

    def before(self, state: Any) -> None:
        from magnum.conductor import rpcapi

        state.request.rpcapi = rpcapi.get_client()
