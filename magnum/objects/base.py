"""Base classes of magnum's versioned objects.

Objects are what crosses RPC between magnum-api and magnum-conductor, so each
carries a version; ``tests/unit/objects/test_objects.py`` fails when a field
changes without a version bump. They stay thin: fields plus the persistence
calls of ``magnum.db.api``, no business logic.

Most resources are a uuid-keyed, project-owned row: ``MagnumPersistentObject``
gives them ``get``/``get_by_*``/``list``/``create``/``save``/``destroy``/
``refresh`` through the ``Connection`` methods named after ``db_resource``
(``get_<db_resource>_by_uuid`` and so on).
"""

from __future__ import annotations

import sys
import uuid as uuid_lib
from typing import Any, ClassVar, Self

from oslo_utils import uuidutils, versionutils
from oslo_versionedobjects import base as ovo_base

from magnum.common import exception
from magnum.db import api as db_api
from magnum.objects import fields


class MagnumObjectRegistry(ovo_base.VersionedObjectRegistry):
    def registration_hook(self, cls: type, index: int) -> None:
        # magnum.objects.<Name> is always the newest registered version.
        # sys.modules, not "import magnum.objects": the package is still being
        # initialised when it registers its own classes.
        package = sys.modules["magnum.objects"]
        current = getattr(package, cls.obj_name(), None)
        if current is None or versionutils.convert_version_to_tuple(
            cls.VERSION
        ) >= versionutils.convert_version_to_tuple(current.VERSION):
            setattr(package, cls.obj_name(), cls)


class MagnumObject(ovo_base.VersionedObject, ovo_base.VersionedObjectDictCompat):
    OBJ_SERIAL_NAMESPACE = "magnum_object"
    OBJ_PROJECT_NAMESPACE = "magnum"

    # Fields added after 1.0 → the version that added them, so that
    # obj_make_compatible can drop them for an older peer. Add an entry with
    # every new field (and bump VERSION).
    FIELDS_ADDED: ClassVar[dict[str, str]] = {}

    fields: ClassVar[dict[str, Any]] = {
        "created_at": fields.DateTimeField(nullable=True),
        "updated_at": fields.DateTimeField(nullable=True),
    }

    def obj_make_compatible(self, primitive: dict, target_version: str) -> None:
        super().obj_make_compatible(primitive, target_version)
        target = versionutils.convert_version_to_tuple(target_version)
        for field, added_in in self.FIELDS_ADDED.items():
            if target < versionutils.convert_version_to_tuple(added_in):
                primitive.pop(field, None)

    def as_dict(self) -> dict[str, Any]:
        """The set fields as a plain dict."""
        return {name: getattr(self, name) for name in self.fields if self.obj_attr_is_set(name)}

    @staticmethod
    def _from_db_object(obj: MagnumObject, db_object: Any, context: Any = None) -> Any:
        """Fill ``obj`` from a DB row and mark it unchanged."""
        for name in obj.fields:
            setattr(obj, name, getattr(db_object, name))
        if context is not None:
            obj._context = context
        obj.obj_reset_changes()
        return obj

    @classmethod
    def _from_db_object_list(cls, context: Any, db_objects: list[Any]) -> list[Any]:
        return [cls._from_db_object(cls(context), row) for row in db_objects]

    @staticmethod
    def dbapi() -> db_api.Connection:
        return db_api.get_instance()


class MagnumObjectSerializer(ovo_base.VersionedObjectSerializer):
    """Serializes magnum objects into RPC messages and back."""

    OBJ_BASE_CLASS = MagnumObject


class MagnumPersistentObject(MagnumObject):
    """A uuid-keyed row reached through the ``Connection`` methods of ``db_resource``."""

    db_resource: ClassVar[str]
    # Resources without a name column (legacy nodes) turn this off.
    has_name: ClassVar[bool] = True

    @classmethod
    def _db(cls, action: str) -> Any:
        return getattr(cls.dbapi(), action.format(cls.db_resource))

    @classmethod
    def get(cls, context: Any, ident: str, filters: db_api.Filters = None) -> Self:
        """The object named by ``ident``: a uuid when it parses as one, else a name."""
        if uuidutils.is_uuid_like(ident):
            return cls.get_by_uuid(context, str(uuid_lib.UUID(ident)), filters)
        if not cls.has_name:
            raise exception.InvalidUUID(uuid=ident)
        return cls.get_by_name(context, ident, filters)

    @classmethod
    def get_by_id(cls, context: Any, obj_id: int, filters: db_api.Filters = None) -> Self:
        row = cls._db("get_{}_by_id")(context, obj_id, filters=filters)
        return cls._from_db_object(cls(context), row)

    @classmethod
    def get_by_uuid(cls, context: Any, uuid: str, filters: db_api.Filters = None) -> Self:
        row = cls._db("get_{}_by_uuid")(context, uuid, filters=filters)
        return cls._from_db_object(cls(context), row)

    @classmethod
    def get_by_name(cls, context: Any, name: str, filters: db_api.Filters = None) -> Self:
        row = cls._db("get_{}_by_name")(context, name, filters=filters)
        return cls._from_db_object(cls(context), row)

    @classmethod
    def list(
        cls,
        context: Any,
        limit: int | None = None,
        marker: str | None = None,
        sort_key: str | None = None,
        sort_dir: str | None = None,
        filters: db_api.Filters = None,
    ) -> list[Self]:
        rows = cls._db("get_{}_list")(
            context,
            filters=filters,
            limit=limit,
            marker=marker,
            sort_key=sort_key,
            sort_dir=sort_dir,
        )
        return cls._from_db_object_list(context, rows)

    def create(self, context: Any = None) -> None:
        """Insert this object's row; the object then holds the stored values."""
        row = self._db("create_{}")(self.obj_get_changes())
        self._from_db_object(self, row, context)

    def save(self, context: Any = None) -> None:
        """Write the fields changed since the last load (only those).

        Changes made in place inside a dict or list field are not tracked:
        assign a new value instead.
        """
        updates = self.obj_get_changes()
        if not updates:
            return
        row = self._db("update_{}")(self.uuid, updates)
        self._from_db_object(self, row, context)

    def destroy(self, context: Any = None) -> None:
        self._db("destroy_{}")(self.uuid)
        self.obj_reset_changes()

    def refresh(self, context: Any = None) -> None:
        """Reload every field from the database."""
        current = self.get_by_uuid(context or self._context, self.uuid)
        for name in self.fields:
            if current.obj_attr_is_set(name):
                setattr(self, name, getattr(current, name))
        self.obj_reset_changes()
