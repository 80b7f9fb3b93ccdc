"""NodeGroup: a set of a cluster's nodes sharing a flavor, image and role.

Nodegroup names are unique within a cluster only, so look them up with
``filters={"cluster_id": cluster.uuid}``.
"""

from __future__ import annotations

from magnum.objects import base, fields


@base.MagnumObjectRegistry.register
class NodeGroup(base.MagnumPersistentObject):
    # Version 1.0: initial version
    VERSION = "1.0"

    db_resource = "nodegroup"

    fields = {
        "id": fields.IntegerField(),
        "uuid": fields.UUIDField(nullable=True),
        "name": fields.StringField(nullable=True),
        "cluster_id": fields.StringField(nullable=True),
        "project_id": fields.StringField(nullable=True),
        "docker_volume_size": fields.IntegerField(nullable=True),
        "labels": fields.JsonDictField(nullable=True),
        "flavor_id": fields.StringField(nullable=True),
        "image_id": fields.StringField(nullable=True),
        "node_addresses": fields.ListOfStringsField(nullable=True),
        "node_count": fields.IntegerField(nullable=True),
        "role": fields.StringField(nullable=True),
        "max_node_count": fields.IntegerField(nullable=True),
        "min_node_count": fields.IntegerField(nullable=True),
        "is_default": fields.BooleanField(nullable=True),
        "stack_id": fields.StringField(nullable=True),
        "status": fields.ClusterStatusField(nullable=True),
        "status_reason": fields.StringField(nullable=True),
        "version": fields.StringField(nullable=True),
        "node_labels": fields.DictOfStringsField(nullable=True),
        "node_taints": fields.JsonListField(nullable=True),
    }
