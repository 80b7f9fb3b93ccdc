"""The base of every collection controller: list, detail, show, patch, delete.

A subclass declares a ``Resource`` (its collection name, wire types, object
class, policy prefix, legacy renames) and implements the hooks it needs
(``create``, ``update``, ``remove``); ``__init_subclass__`` then generates
the WSME-exposed methods bound to that subclass's wire types. The legacy
routes (bays, baymodels) are subclasses of the modern ones that change only
their ``Resource``: they share every line of logic.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

import jsonpatch
import pecan
import wsme
import wsme.rest.json
from oslo_config import cfg
from pecan import rest
from wsme import types as wtypes

from magnum.api import errors, links, microversions
from magnum.api.types import common
from magnum.common import exception, policy

CONF = cfg.CONF

# Never patchable on any resource.
INTERNAL_PATHS = (
    "/created_at",
    "/id",
    "/links",
    "/updated_at",
    "/uuid",
    "/project_id",
    "/user_id",
)


@dataclasses.dataclass(frozen=True)
class Resource:
    collection: str  # URL segment and list key, e.g. "clusters"
    display: str  # name in messages, e.g. "Cluster"
    policy: str  # rule prefix, e.g. "cluster"
    object_class: Any
    wire: type
    wire_collection: type
    renames: dict[str, str] = dataclasses.field(default_factory=dict)  # internal -> wire
    summary: tuple[str, ...] | None = None  # wire fields of list items; None = all
    create_status: int = 201
    min_version: str = "1.1"
    max_version: str | None = None
    internal_paths: tuple[str, ...] = ()  # extra read-only PATCH paths
    unremovable_paths: tuple[str, ...] = ()
    admin_sees_all: bool = True  # admins list every project (modern routes)
    # PATCH takes ?rollback= from this microversion on (bays and clusters, 1.3).
    rollback_from: str | None = None


def paging(limit: int | None, sort_key: str, sort_dir: str, sortable: Any) -> int:
    """Check a collection's paging parameters (spec 1.4); the effective limit."""
    if limit is not None and limit <= 0:
        raise exception.InvalidParameterValue(err="Limit must be positive")
    if sort_dir not in ("asc", "desc"):
        raise exception.InvalidParameterValue(
            err=f"Invalid sort direction: {sort_dir}. Acceptable values are 'asc' or 'desc'"
        )
    if sort_key not in sortable:
        raise exception.InvalidParameterValue(
            err=f'The sort_key value "{sort_key}" is an invalid field for sorting'
        )
    return min(limit or CONF.api.max_limit, CONF.api.max_limit)


def iso(value: datetime.datetime | None) -> str | None:
    return value.replace(tzinfo=None).isoformat() + "+00:00" if value else None


class ResourceController(rest.RestController):
    resource: Resource
    _custom_actions = {"detail": ["GET"]}

    # --- helpers shared by every resource ------------------------------------
    @property
    def context(self) -> Any:
        return pecan.request.context

    @property
    def version(self) -> microversions.Version:
        return pecan.request.version

    def check_version(self, method: str) -> None:
        res = self.resource
        microversions.require(self.version, res.min_version, method, res.max_version)

    def authorize(self, action: str, target: Any = None) -> None:
        policy.authorize(f"{self.resource.policy}:{action}", target, self.context)

    def scope_to_all_projects_if_admin(self, action: str) -> None:
        """Admins see every project on the modern routes, after *_all_projects."""
        if self.resource.admin_sees_all and self.context.is_admin:
            # The rule for showing one object is named get_one_all_projects.
            action = "get_one" if action == "get" else action
            rule = f"{self.resource.policy}:{action}_all_projects"
            if policy.check(rule, {}, self.context):
                self.context.all_projects = True

    def load(self, ident: str, action: str) -> Any:
        """The object named by uuid or name, after the object-level policy check."""
        self.scope_to_all_projects_if_admin(action)
        obj = self.resource.object_class.get(self.context, ident)
        self.authorize(action, self.policy_target(obj, action))
        return obj

    def policy_target(self, obj: Any, action: str) -> Any:
        """What an object-level rule compares against: by default the object's owner."""
        return obj

    def to_wire(self, obj: Any, summary: bool = False) -> Any:
        res = self.resource
        wire = res.wire()
        attrs = {attr.name: attr for attr in wtypes.list_attributes(res.wire)}
        names = set(attrs)
        wanted = set(res.summary) if summary and res.summary else names
        for attr in attrs.values():
            # An attribute left unset would answer its input default (a
            # template's server_type "vm", merge_labels false): unset is
            # stored explicitly so that it is left out of the response.
            setattr(attr._get_dataholder(wire), attr.key, wtypes.Unset)
        for field in obj.fields:
            wire_name = res.renames.get(field, field)
            if wire_name not in names or wire_name not in wanted:
                continue
            value = getattr(obj, field) if obj.obj_attr_is_set(field) else None
            if isinstance(value, datetime.datetime):
                value = iso(value)
            # Stored values skip the input checks: a row that a newer route
            # allowed (a cluster of 0 nodes at 1.10) must still show on a
            # legacy one (bays need 1) instead of failing with a 500.
            attr = attrs[wire_name]
            setattr(attr._get_dataholder(wire), attr.key, value)
        if "links" in names:
            wire.links = [
                common.Link(**link) for link in links.resource_links(res.collection, obj.uuid)
            ]
        self.decorate(wire, obj, summary)
        return wire

    def decorate(self, wire: Any, obj: Any, summary: bool) -> None:
        """Add computed fields to a wire object (override per resource)."""

    def from_wire(self, wire: Any) -> dict[str, Any]:
        """The set attributes of a wire object, with internal names."""
        back = {v: k for k, v in self.resource.renames.items()}
        values = {}
        for attr in wtypes.list_attributes(type(wire)):
            value = getattr(wire, attr.key)
            if value is wtypes.Unset:
                continue
            values[back.get(attr.name, attr.name)] = value
        return values

    def page(
        self,
        objects: list[Any],
        limit: int,
        sort_key: str,
        sort_dir: str,
        detail: bool,
        summary: bool,
    ) -> Any:
        res = self.resource
        items = [self.to_wire(o, summary=summary) for o in objects]
        collection = res.wire_collection(**{res.collection: items})
        if objects and len(objects) == limit:
            path = f"{res.collection}/detail" if detail else res.collection
            query = (
                f"sort_key={sort_key}&sort_dir={sort_dir}&limit={limit}&marker={objects[-1].uuid}"
            )
            collection.next = links.make("next", path, query=query)["href"]
        return collection

    def list_objects(
        self,
        marker: str | None,
        limit: int | None,
        sort_key: str,
        sort_dir: str,
        filters: dict | None = None,
    ) -> tuple[list[Any], int]:
        # Only fields clients can see sort: ordering by a hidden column
        # (trustee_password, reservation) would leak it.
        visible = {a.name for a in wtypes.list_attributes(self.resource.wire)} | {"id"}
        limit = paging(limit, sort_key, sort_dir, visible)
        if marker is not None and not common.is_uuid(marker):
            raise exception.InvalidUUID(uuid=marker)
        internal_key = {v: k for k, v in self.resource.renames.items()}.get(sort_key, sort_key)
        objects = self.resource.object_class.list(
            self.context,
            limit=limit,
            marker=marker,
            sort_key=internal_key,
            sort_dir=sort_dir,
            filters=filters,
        )
        return list(objects), limit

    def apply_patch(self, obj: Any, patch: list[Any]) -> dict[str, Any]:
        """Apply a JSON patch to the object's wire view; return the changed internal fields."""
        res = self.resource
        internal = INTERNAL_PATHS + res.internal_paths
        operations = [p.as_dict() for p in patch]
        for op in operations:
            path = op["path"]
            if path in internal or any(path.startswith(p + "/") for p in internal):
                raise exception.PatchError(
                    patch=op, reason=f"{path} is an internal attribute and cannot be updated"
                )
            if op["op"] == "remove" and path in res.unremovable_paths:
                raise exception.PatchError(patch=op, reason=f"{path} cannot be removed")
            if op["op"] in ("add", "replace") and "value" not in op:
                raise exception.PatchError(patch=op, reason="a value is required")
        current = wsme.rest.json.tojson(res.wire, self.to_wire(obj))
        current.pop("links", None)
        names = {a.name for a in wtypes.list_attributes(res.wire)}
        for op in operations:
            top = op["path"].split("/")[1]
            if op["op"] == "add" and top not in names:
                raise exception.PatchError(
                    patch=op,
                    reason=f"Adding a new attribute ({op['path']}) to the root of "
                    "the resource is not allowed",
                )
            if op["op"] == "add" and current.get(top) is not None and op["path"] == f"/{top}":
                raise exception.PatchError(
                    patch=op,
                    reason=f"The attribute {op['path']} has existed, please use "
                    "'replace' operation instead",
                )
        try:
            patched = jsonpatch.apply_patch(current, operations)
        except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException) as err:
            raise exception.PatchError(patch=operations, reason=str(err)) from err
        readonly = {a.name for a in wtypes.list_attributes(res.wire) if a.readonly}
        writable = {k: v for k, v in patched.items() if k not in readonly and v is not None}
        validated = common.from_json(res.wire, writable)
        new_values = self.from_wire(validated)
        old_values = self.from_wire(
            common.from_json(
                res.wire, {k: v for k, v in current.items() if k not in readonly and v is not None}
            )
        )
        changed = {k: v for k, v in new_values.items() if old_values.get(k) != v}
        for key in old_values.keys() - new_values.keys():
            changed[key] = None  # removed
        return changed

    # --- hooks a resource implements -----------------------------------------
    def create(self, values: dict[str, Any]) -> Any:
        raise exception.NotSupported(operation=f"Creating a {self.resource.display}")

    def update(self, obj: Any, changes: dict[str, Any]) -> Any:
        for key, value in changes.items():
            setattr(obj, key, value)
        obj.save()
        return obj

    def remove(self, obj: Any) -> None:
        obj.destroy()

    def create_response(self, obj: Any) -> Any:
        return self.to_wire(obj)

    def update_response(self, obj: Any) -> Any:
        return self.to_wire(obj)

    def list_filters(self) -> dict[str, Any] | None:
        return None

    # --- generated, WSME-exposed methods -------------------------------------
    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        res = cls.__dict__.get("resource")
        if res is None:
            return

        def listing(
            self: ResourceController,
            marker: str | None,
            limit: int | None,
            sort_key: str,
            sort_dir: str,
            detail: bool,
        ) -> Any:
            self.check_version("GET")
            self.authorize("detail" if detail else "get_all")
            # Only <collection>/detail lists: <collection>/<ident>/detail is
            # routed here too (with the ident as marker) and must be a 404.
            segments = pecan.request.path.rstrip("/").split("/")
            if detail and segments[-2:] != [res.collection, "detail"]:
                raise exception.NotFound()
            self.scope_to_all_projects_if_admin("detail" if detail else "get_all")
            objects, limit = self.list_objects(
                marker, limit, sort_key, sort_dir, self.list_filters()
            )
            return self.page(objects, limit, sort_key, sort_dir, detail, summary=not detail)

        @errors.expose(res.wire_collection, wtypes.text, int, wtypes.text, wtypes.text)
        def get_all(self, marker=None, limit=None, sort_key="id", sort_dir="asc"):
            return listing(self, marker, limit, sort_key, sort_dir, detail=False)

        @errors.expose(res.wire_collection, wtypes.text, int, wtypes.text, wtypes.text)
        def detail(self, marker=None, limit=None, sort_key="id", sort_dir="asc"):
            return listing(self, marker, limit, sort_key, sort_dir, detail=True)

        @errors.expose(res.wire, wtypes.text)
        def get_one(self, ident):
            self.check_version("GET")
            return self.to_wire(self.load(ident, "get"))

        @errors.expose(res.wire, body=res.wire, status_code=res.create_status)
        def post(self, body):
            self.check_version("POST")
            self.authorize("create")
            obj = self.create(self.from_wire(body))
            pecan.response.location = links.make("self", res.collection, obj.uuid)["href"]
            return self.create_response(obj)

        def patching(self: ResourceController, ident: str, patch: Any, **query: Any) -> Any:
            self.check_version("PATCH")
            obj = self.load(ident, "update")
            changes = self.apply_patch(obj, patch)
            return self.update_response(self.update(obj, changes, **query) if changes else obj)

        if res.rollback_from is None:

            @errors.expose(res.wire, wtypes.text, body=[common.JsonPatch])
            def patch(self, ident, patch):
                return patching(self, ident, patch)

        else:

            @errors.expose(res.wire, wtypes.text, wtypes.text, body=[common.JsonPatch])
            def patch(self, ident, rollback=None, patch=None):  # WSME: the body comes last
                if rollback is None:
                    return patching(self, ident, patch)
                if self.version < microversions.Version.parse(res.rollback_from):
                    raise exception.InvalidParameterValue(
                        err=f'Unknown argument: "rollback" (accepted from '
                        f"microversion {res.rollback_from})."
                    )
                try:
                    wanted = common.BooleanType.validate(rollback)
                except ValueError as err:
                    raise exception.InvalidParameterValue(err=f"rollback: {err}") from err
                return patching(self, ident, patch, rollback=wanted is True)

        @errors.expose(None, wtypes.text, status_code=204)
        def delete(self, ident):
            self.check_version("DELETE")
            self.remove(self.load(ident, "delete"))

        for func in (get_all, detail, get_one, post, patch, delete):
            if func.__name__ not in cls.__dict__:
                setattr(cls, func.__name__, func)


def accepted(obj: Any) -> Any:
    """A 202 answer carrying only the uuid (asynchronous operations)."""
    from magnum.api.types import cluster as cluster_types

    return wsme.api.Response(
        cluster_types.ClusterID(uuid=obj.uuid),
        status_code=202,
        return_type=cluster_types.ClusterID,
    )
