"""MagnumService: one process (host, binary), its heartbeats, and what it serves.

A conductor publishes its enabled drivers' declarations (``cluster_types``,
see ``magnum.drivers.registry.declarations``) with its start-up heartbeat; the
API finds a template's driver among them (``declared_cluster_type``) without
importing or instantiating any driver.
"""

from __future__ import annotations

from typing import Any, Self

from magnum.common import exception, liveness
from magnum.objects import base, fields


@base.MagnumObjectRegistry.register
class MagnumService(base.MagnumObject):
    # Version 1.0: initial version
    # Version 1.1: cluster_types
    VERSION = "1.1"

    fields = {
        "id": fields.IntegerField(),
        "host": fields.StringField(),
        "binary": fields.StringField(),
        "disabled": fields.BooleanField(nullable=True),
        "disabled_reason": fields.StringField(nullable=True),
        "last_seen_up": fields.DateTimeField(nullable=True),
        "forced_down": fields.BooleanField(nullable=True),
        "report_count": fields.IntegerField(),
        "cluster_types": fields.JsonListField(nullable=True),
    }

    @classmethod
    def get_by_host_and_binary(cls, context: Any, host: str, binary: str) -> Self | None:
        """The service row of (host, binary), or None when it never reported."""
        row = cls.dbapi().get_magnum_service_by_host_and_binary(host, binary)
        return None if row is None else cls._from_db_object(cls(context), row)

    @classmethod
    def list(cls, context: Any) -> list[Self]:
        return cls._from_db_object_list(context, cls.dbapi().get_magnum_service_list())

    @classmethod
    def heartbeat(
        cls, context: Any, host: str, binary: str, cluster_types: list[dict] | None = None
    ) -> Self:
        """Record that (host, binary) is alive, creating its row on the first beat.

        ``cluster_types`` (a conductor's start-up beat) replaces what it serves.
        """
        row = cls.dbapi().heartbeat_magnum_service(host, binary, cluster_types)
        return cls._from_db_object(cls(context), row)

    @classmethod
    def declared_cluster_type(
        cls, context: Any, server_type: str, os: str | None, coe: str
    ) -> dict[str, Any]:
        """The declaration of the driver serving (server_type, os, coe).

        Read from the conductors that are up; when none is, from every
        conductor that ever reported (their configuration is the best
        knowledge there is). Raises ClusterTypeNotSupported when no declaration
        matches.
        """
        conductors = [s for s in cls.list(context) if s.binary == liveness.CONDUCTOR_BINARY]
        live = [s for s in conductors if liveness.is_up(s)]
        os = (os or "").lower()
        for service in live or conductors:
            for declared in service.cluster_types or ():
                if (declared["server_type"], declared["coe"]) == (server_type, coe) and declared[
                    "os"
                ] in ("*", os):
                    return declared
        raise exception.ClusterTypeNotSupported(server_type=server_type, os=os, coe=coe)

    def create(self, context: Any = None) -> None:
        row = self.dbapi().create_magnum_service(self.obj_get_changes())
        self._from_db_object(self, row, context)

    def save(self, context: Any = None) -> None:
        updates = self.obj_get_changes()
        if not updates:
            return
        row = self.dbapi().update_magnum_service(self.id, updates)
        self._from_db_object(self, row, context)

    def destroy(self, context: Any = None) -> None:
        self.dbapi().destroy_magnum_service(self.id)
        self.obj_reset_changes()
