"""MagnumService: one process (host, binary) and its heartbeats."""

from __future__ import annotations

from typing import Any, Self

from magnum.objects import base, fields


@base.MagnumObjectRegistry.register
class MagnumService(base.MagnumObject):
    # Version 1.0: initial version
    VERSION = "1.0"

    fields = {
        "id": fields.IntegerField(),
        "host": fields.StringField(),
        "binary": fields.StringField(),
        "disabled": fields.BooleanField(nullable=True),
        "disabled_reason": fields.StringField(nullable=True),
        "last_seen_up": fields.DateTimeField(nullable=True),
        "forced_down": fields.BooleanField(nullable=True),
        "report_count": fields.IntegerField(),
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
    def heartbeat(cls, context: Any, host: str, binary: str) -> Self:
        """Record that (host, binary) is alive, creating its row on the first beat."""
        row = cls.dbapi().heartbeat_magnum_service(host, binary)
        return cls._from_db_object(cls(context), row)

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
