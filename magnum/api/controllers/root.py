"""GET /: version discovery; any other first segment is routed under /v1."""

from __future__ import annotations

from typing import Any

import pecan
from pecan import rest

from magnum.api import links, microversions
from magnum.api.controllers import v1


def version_document() -> dict[str, Any]:
    return {
        "id": "v1",
        "links": [links.make("self", "")],
        "status": "CURRENT",
        "min_version": str(microversions.MIN_VERSION),
        "max_version": str(microversions.MAX_VERSION),
    }


class RootController(rest.RestController):
    v1 = v1.Controller()

    @pecan.expose("json")
    def get(self) -> dict[str, Any]:
        version = version_document()
        return {
            "name": "OpenStack Magnum API",
            "description": "Magnum is an OpenStack project which aims to provide "
            "container cluster management.",
            "versions": [version],
            # Liberty-era clients read default_version.
            "default_version": {"id": version["id"], "links": version["links"]},
        }

    @pecan.expose()
    def _route(self, args: list[str], request: Any = None) -> Any:
        # /bays behaves as /v1/bays, as magnum always did.
        if args and args[0] and args[0] != "v1":
            args = ["v1", *args]
        return super()._route(args, request)
