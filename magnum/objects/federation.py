"""Federation: a host cluster and the member clusters joined to it."""

from __future__ import annotations

from magnum.objects import base, fields


@base.MagnumObjectRegistry.register
class Federation(base.MagnumPersistentObject):
    # Version 1.0: initial version
    VERSION = "1.0"

    db_resource = "federation"

    fields = {
        "id": fields.IntegerField(),
        "uuid": fields.UUIDField(nullable=True),
        "project_id": fields.StringField(nullable=True),
        "name": fields.StringField(nullable=True),
        "hostcluster_id": fields.StringField(nullable=True),
        "member_ids": fields.ListOfStringsField(nullable=True),
        "status": fields.FederationStatusField(nullable=True),
        "status_reason": fields.StringField(nullable=True),
        "properties": fields.JsonDictField(nullable=True),
    }
