"""Node: the Liberty-era record of a host (``/v1/nodes``); nothing is provisioned."""

from __future__ import annotations

from magnum.objects import base, fields


@base.MagnumObjectRegistry.register
class Node(base.MagnumPersistentObject):
    # Version 1.0: initial version
    VERSION = "1.0"

    db_resource = "node"
    has_name = False

    fields = {
        "id": fields.IntegerField(),
        "uuid": fields.UUIDField(nullable=True),
        "project_id": fields.StringField(nullable=True),
        "user_id": fields.StringField(nullable=True),
        "type": fields.StringField(nullable=True),
        "image_id": fields.StringField(nullable=True),
        "ironic_node_id": fields.StringField(nullable=True),
    }
