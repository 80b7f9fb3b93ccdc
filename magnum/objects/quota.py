"""Quota: a project's hard limit on one resource (only "Cluster" exists)."""

from __future__ import annotations

from typing import Any, Self

from magnum.objects import base, fields


@base.MagnumObjectRegistry.register
class Quota(base.MagnumObject):
    # Version 1.0: initial version
    VERSION = "1.0"

    fields = {
        "id": fields.IntegerField(),
        "project_id": fields.StringField(),
        "resource": fields.QuotaResourceField(),
        "hard_limit": fields.IntegerField(),
    }

    @classmethod
    def get_by_project_id_resource(cls, context: Any, project_id: str, resource: str) -> Self:
        """The quota row; ResourceNotFound when the project has none for ``resource``."""
        row = cls.dbapi().get_quota_by_project_id_resource(project_id, resource)
        return cls._from_db_object(cls(context), row)

    @classmethod
    def list(
        cls,
        context: Any,
        limit: int | None = None,
        marker: int | None = None,
        sort_key: str | None = None,
        sort_dir: str | None = None,
        filters: dict[str, Any] | None = None,
    ) -> list[Self]:
        """Quotas visible to ``context``; ``marker`` is the id of the previous page's last row."""
        rows = cls.dbapi().get_quota_list(
            context,
            filters=filters,
            limit=limit,
            marker=marker,
            sort_key=sort_key,
            sort_dir=sort_dir,
        )
        return cls._from_db_object_list(context, rows)

    def create(self, context: Any = None) -> None:
        row = self.dbapi().create_quota(self.obj_get_changes())
        self._from_db_object(self, row, context)

    def save(self, context: Any = None) -> None:
        updates = self.obj_get_changes()
        if not updates:
            return
        row = self.dbapi().update_quota(self.project_id, self.resource, updates)
        self._from_db_object(self, row, context)

    def destroy(self, context: Any = None) -> None:
        self.dbapi().delete_quota(self.project_id, self.resource)
        self.obj_reset_changes()
