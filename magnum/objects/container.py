"""Container: a Docker container run on a (swarm) bay (the legacy API)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Self

from magnum.objects import base, fields


@base.MagnumObjectRegistry.register
class Container(base.MagnumPersistentObject):
    # Version 1.0: initial version
    VERSION = "1.0"

    db_resource = "container"

    fields = {
        "id": fields.IntegerField(),
        "uuid": fields.UUIDField(nullable=True),
        "project_id": fields.StringField(nullable=True),
        "user_id": fields.StringField(nullable=True),
        "name": fields.StringField(nullable=True),
        "image": fields.StringField(nullable=True),
        "command": fields.StringField(nullable=True),
        "cluster_id": fields.StringField(nullable=True),
        "status": fields.ContainerStatusField(nullable=True),
        "status_reason": fields.StringField(nullable=True),
        "memory": fields.StringField(nullable=True),
        "environment": fields.DictOfStringsField(nullable=True),
        "host": fields.StringField(nullable=True),
        "container_id": fields.StringField(nullable=True),
    }

    @classmethod
    def set_status_if(
        cls,
        context: Any,
        uuid: str,
        new_status: str,
        allowed_from: Iterable[str],
        values: Mapping[str, Any] | None = None,
    ) -> Self:
        """Move a container's status atomically (see ``Connection.set_container_status_if``)."""
        row = cls.dbapi().set_container_status_if(uuid, new_status, allowed_from, values)
        return cls._from_db_object(cls(context), row)
