"""Pecan hooks: the request context and the conductor RPC client."""

from __future__ import annotations

import json
import logging
from typing import Any

from oslo_config import cfg
from pecan import hooks
from wsme import types as wtypes

from magnum.api import microversions
from magnum.common import context as magnum_context
from magnum.common import exception, policy

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
        overwrite=True,
    )


class ContextHook(hooks.PecanHook):
    """Build ``request.context`` from keystonemiddleware's headers or noauth."""

    def before(self, state: Any) -> None:
        request = state.request
        request_id = request.environ.get("openstack.request_id")
        if CONF.auth_strategy == "keystone":
            if request.environ.get("HTTP_X_IDENTITY_STATUS") == "Confirmed":
                ctx = magnum_context.RequestContext.from_environ(
                    request.environ, request_id=request_id, overwrite=True
                )
            else:
                # A public route (version discovery) that auth_token did not
                # see: identity headers there come from the client, not
                # Keystone, so nobody is named and no role is held.
                ctx = magnum_context.RequestContext(
                    request_id=request_id, roles=[], overwrite=True
                )
        else:
            ctx = _noauth_context(request.headers, request_id)
        ctx.is_admin = policy.check_is_admin(ctx)
        request.context = ctx
        request.version = request.environ.get(microversions.ENVIRON_KEY, microversions.MIN_VERSION)


class JsonBodyHook(hooks.PecanHook):
    """Bodies are JSON of the shape the method takes: else 415 or 400.

    WSME would also parse XML and forms, and answers a JSON list (or number)
    sent where it expects an object with a 500.
    """

    def before(self, state: Any) -> None:
        request = state.request
        limit = CONF.api.max_request_body_size
        if (request.content_length or 0) > limit:
            raise exception.RequestTooLarge(limit=limit)
        body_bytes = request.body
        if len(body_bytes) > limit:
            raise exception.RequestTooLarge(limit=limit)
        if not body_bytes:
            return
        if request.content_type != "application/json":
            raise exception.UnsupportedMediaType(
                content_type=request.content_type or "a body without Content-Type"
            )
        depth = json_depth(body_bytes)
        if depth > CONF.api.max_json_depth:
            raise exception.Invalid(
                f"The request body nests {depth} levels deep; at most "
                f"{CONF.api.max_json_depth} are allowed."
            )
        funcdef = getattr(state.controller, "_wsme_definition", None)
        body_type = getattr(funcdef, "body_type", None)
        if body_type is None:
            return
        try:
            body = json.loads(body_bytes)
        except ValueError:
            return  # WSME answers that with its own 400
        if not _has_shape(body, body_type):
            raise exception.Invalid(
                "The request body must be a JSON list of objects."
                if isinstance(body_type, wtypes.ArrayType)
                else "The request body must be a JSON object."
            )


def json_depth(raw: bytes) -> int:
    """The deepest nesting of [ and { in JSON text, strings skipped, without parsing it."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def _has_shape(body: Any, body_type: Any) -> bool:
    if isinstance(body_type, wtypes.ArrayType):
        return isinstance(body, list) and all(_has_shape(i, body_type.item_type) for i in body)
    if wtypes.iscomplex(body_type):
        return isinstance(body, dict)
    return True


class RPCHook(hooks.PecanHook):
    """Give controllers ``request.rpcapi``, the conductor client of this process."""

    def before(self, state: Any) -> None:
        from magnum.conductor import rpcapi

        state.request.rpcapi = rpcapi.get_client()
