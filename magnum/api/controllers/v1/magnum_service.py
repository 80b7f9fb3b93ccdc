"""GET /v1/mservices: the conductors and their heartbeat state."""

from __future__ import annotations

import pecan
from pecan import rest
from wsme import types as wtypes

from magnum import objects
from magnum.api import errors
from magnum.api.controllers.v1 import resource
from magnum.api.types import magnum_service as types
from magnum.common import exception, liveness, policy


def to_wire(service: objects.MagnumService) -> types.MagnumService:
    return types.MagnumService(
        id=service.id,
        host=service.host,
        binary=service.binary,
        state="up" if liveness.is_up(service) else "down",
        report_count=service.report_count,
        disabled=service.disabled,
        disabled_reason=service.disabled_reason,
        created_at=resource.iso(service.created_at),
        updated_at=resource.iso(service.updated_at),
    )


class MagnumServiceController(rest.RestController):
    @errors.expose(types.MagnumServiceCollection)
    def get_all(self) -> types.MagnumServiceCollection:
        context = pecan.request.context
        policy.authorize("magnum-service:get_all", None, context)
        services = objects.MagnumService.list(context)
        return types.MagnumServiceCollection(mservices=[to_wire(s) for s in services])

    @errors.expose(types.MagnumService, wtypes.text)
    def get_one(self, ident: str) -> None:
        # There is no single-service route; without this Pecan answers a GET
        # of /v1/mservices/<x> with 405 "Allowed: GET".
        raise exception.ResourceNotFound(resource="MagnumService", ident=ident)
