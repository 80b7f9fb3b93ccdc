"""/v1/nodes: the 2015 node record (uuid, type, image_id); no provisioning.

A cluster's real hosts, as its driver sees them, are listed under
/v1/clusters/{ident}/nodes (and /v1/bays/{ident}/nodes).
"""

from __future__ import annotations

from typing import Any

from magnum import objects
from magnum.api.controllers.v1 import resource
from magnum.api.types import common
from magnum.api.types import node as types
from magnum.common import exception


class NodeController(resource.ResourceController):
    resource = resource.Resource(
        collection="nodes",
        display="Node",
        policy="node",
        object_class=objects.Node,
        wire=types.Node,
        wire_collection=types.NodeCollection,
        summary=("uuid", "type", "image_id", "ironic_node_id", "links"),
        max_version="1.10",
        admin_sees_all=False,
    )

    def load(self, ident: str, action: str) -> Any:
        if not common.is_uuid(ident):
            raise exception.InvalidUUID(uuid=ident)
        obj = objects.Node.get_by_uuid(self.context, ident)
        self.authorize(action, obj)
        return obj

    def create(self, values: dict[str, Any]) -> Any:
        values.pop("uuid", None)
        node = objects.Node(
            self.context,
            project_id=self.context.project_id,
            user_id=self.context.user_id,
            **values,
        )
        node.create()
        return node
