"""KubeObject: a pod, service or replication controller of a bay, by ``kind``.

One object serves the three legacy resources; each uses the fields that make
sense for it (pods: images, status, host; services: selector, ip, ports;
replication controllers: images, replicas).
"""

from __future__ import annotations

from magnum.objects import base, fields


@base.MagnumObjectRegistry.register
class KubeObject(base.MagnumPersistentObject):
    # Version 1.0: initial version
    VERSION = "1.0"

    db_resource = "kube_object"

    fields = {
        "id": fields.IntegerField(),
        "uuid": fields.UUIDField(nullable=True),
        "project_id": fields.StringField(nullable=True),
        "user_id": fields.StringField(nullable=True),
        "kind": fields.KubeObjectKindField(),
        "name": fields.StringField(nullable=True),
        "cluster_id": fields.StringField(nullable=True),
        "description": fields.StringField(nullable=True),
        "images": fields.ListOfStringsField(nullable=True),
        "labels": fields.DictOfStringsField(nullable=True),
        "selector": fields.DictOfStringsField(nullable=True),
        "status": fields.StringField(nullable=True),
        "host": fields.StringField(nullable=True),
        "ip": fields.StringField(nullable=True),
        "ports": fields.JsonListField(nullable=True),
        "replicas": fields.IntegerField(nullable=True),
    }
