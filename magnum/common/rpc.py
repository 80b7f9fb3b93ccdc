"""oslo.messaging plumbing: one transport per process, clients, servers.

The request context crosses RPC as a dict and objects as versioned
primitives, so the conductor acts as the caller. ``magnum-all`` passes
the in-process transport (``IN_PROCESS_TRANSPORT_URL``) to ``init``;
every other process uses the configured broker (RabbitMQ in production).
"""

from __future__ import annotations

from typing import Any

import oslo_messaging as messaging
from oslo_config import cfg

from magnum.common import context as magnum_context
from magnum.common import exception

# Exceptions the conductor may raise back to the API with their HTTP code kept.
ALLOWED_EXMODS = [exception.__name__]

# In memory, without the fake driver's 50 ms polling (common/inprocess_rpc.py).
IN_PROCESS_TRANSPORT_URL = "magnum-inprocess:/"

_TRANSPORT: messaging.Transport | None = None


def init(conf: cfg.ConfigOpts, url: str | None = None) -> None:
    """Create the transport; ``url`` overrides ``transport_url`` (magnum-all)."""
    global _TRANSPORT
    if _TRANSPORT is None:
        _TRANSPORT = messaging.get_rpc_transport(
            conf, url=url, allowed_remote_exmods=ALLOWED_EXMODS
        )


def cleanup() -> None:
    global _TRANSPORT
    if _TRANSPORT is not None:
        _TRANSPORT.cleanup()
    _TRANSPORT = None


def get_transport() -> messaging.Transport:
    if _TRANSPORT is None:
        init(cfg.CONF)
    assert _TRANSPORT is not None
    return _TRANSPORT


class RequestContextSerializer(messaging.Serializer):
    """Serialize the context as a dict and delegate entities to ``base``."""

    def __init__(self, base: messaging.Serializer | None = None) -> None:
        self._base = base or messaging.NoOpSerializer()

    def serialize_entity(self, ctxt: Any, entity: Any) -> Any:
        return self._base.serialize_entity(ctxt, entity)

    def deserialize_entity(self, ctxt: Any, entity: Any) -> Any:
        return self._base.deserialize_entity(ctxt, entity)

    def serialize_context(self, ctxt: Any) -> dict:
        values = ctxt.to_dict()
        # The conductor does not need the caller's token until a driver acts
        # on the caller's behalf; it is carried, never logged (oslo.context
        # masks it in its log representation).
        return values

    def deserialize_context(self, ctxt: dict) -> magnum_context.RequestContext:
        # The dispatcher runs this on the thread that handles the message:
        # its log lines must name this message's caller, not the last one.
        return magnum_context.RequestContext.from_dict(ctxt, overwrite=True)


def _serializer() -> RequestContextSerializer:
    from magnum.objects import base as objects_base

    return RequestContextSerializer(objects_base.MagnumObjectSerializer())


def get_client(target: messaging.Target, version_cap: str | None = None) -> messaging.RPCClient:
    return messaging.get_rpc_client(
        get_transport(), target, version_cap=version_cap, serializer=_serializer()
    )


def get_server(target: messaging.Target, endpoints: list[Any]) -> messaging.MessageHandlingServer:
    return messaging.get_rpc_server(
        get_transport(),
        target,
        endpoints,
        serializer=_serializer(),
    )
