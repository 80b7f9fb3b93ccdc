"""/v1/quotas (1.6): admins set a project's hard limit on clusters.

Quotas are keyed by (project_id, resource), not by uuid: member routes are
``/v1/quotas/{project_id}/{resource}``, and the list's marker is the integer
id. A project without a row has the ``[quotas] max_clusters_per_project``
default, which GET shows as a synthetic quota. Enforcement lives in
``Cluster.create_within_quota``.
"""

from __future__ import annotations

from typing import Any

import pecan
from oslo_config import cfg
from pecan import rest
from wsme import types as wtypes

from magnum import objects
from magnum.api import errors, links
from magnum.api.controllers.v1 import resource
from magnum.api.types import common
from magnum.api.types import quota as types
from magnum.common import context as magnum_context
from magnum.common import exception, policy
from magnum.common.clients import keystone

CONF = cfg.CONF
RESOURCES = ("Cluster",)
SORT_KEYS = ("id", "project_id", "resource", "hard_limit", "created_at", "updated_at")


def to_wire(quota: Any) -> types.Quota:
    wire = types.Quota(
        project_id=quota.project_id, resource=quota.resource, hard_limit=quota.hard_limit
    )
    if quota.obj_attr_is_set("id"):
        wire.id = quota.id
    for field in ("created_at", "updated_at"):
        if quota.obj_attr_is_set(field):
            setattr(wire, field, resource.iso(getattr(quota, field)))
    return wire


def check_resource(name: str) -> None:
    if name not in RESOURCES:
        raise exception.InvalidParameterValue(
            err=f"Unknown quota resource {name!r}; the only one is {', '.join(RESOURCES)}."
        )


class QuotaController(rest.RestController):
    @property
    def context(self) -> Any:
        return pecan.request.context

    def start(self, action: str, target: dict[str, Any] | None = None) -> None:
        policy.authorize(
            f"quota:{action}", target or {"project_id": self.context.project_id}, self.context
        )

    @errors.expose(types.QuotaCollection, int, int, wtypes.text, wtypes.text, wtypes.text)
    def get_all(self, marker=None, limit=None, sort_key="id", sort_dir="asc", all_tenants=None):
        self.start("get_all")
        limit = resource.paging(limit, sort_key, sort_dir, SORT_KEYS)
        everyone = self.context.is_admin and common.BooleanType.validate(all_tenants or False)
        filters = None if everyone else {"project_id": self.context.project_id}
        ctx = magnum_context.all_projects(self.context)  # scoping is the filter above
        found = objects.Quota.list(
            ctx, limit=limit, marker=marker, sort_key=sort_key, sort_dir=sort_dir, filters=filters
        )
        collection = types.QuotaCollection(quotas=[to_wire(q) for q in found])
        if found and len(found) == limit:
            query = f"sort_key={sort_key}&sort_dir={sort_dir}&limit={limit}&marker={found[-1].id}"
            if everyone:
                query = "all_tenants=True&" + query
            collection.next = links.make("next", "quotas", query=query)["href"]
        return collection

    @errors.expose(types.Quota, wtypes.text, wtypes.text)
    def get_one(self, project_id, resource_name):
        self.start("get", {"project_id": project_id})
        if project_id != self.context.project_id and not self.context.is_admin:
            raise exception.NotAuthorized(
                "Only an administrator may read another project's quota."
            )
        check_resource(resource_name)
        try:
            return to_wire(
                objects.Quota.get_by_project_id_resource(self.context, project_id, resource_name)
            )
        except exception.ResourceNotFound:
            default = objects.Quota(
                self.context,
                project_id=project_id,
                resource=resource_name,
                hard_limit=CONF.quotas.max_clusters_per_project,
            )
            return to_wire(default)

    @errors.expose(types.Quota, body=types.Quota, status_code=201)
    def post(self, body):
        self.start("create")
        if body.project_id is wtypes.Unset or body.resource is wtypes.Unset:
            raise exception.InvalidParameterValue(err="project_id and resource are required.")
        self.check_project(body.project_id)
        quota = objects.Quota(
            self.context,
            project_id=body.project_id,
            resource=body.resource,
            hard_limit=body.hard_limit,
        )
        quota.create()
        return to_wire(quota)

    @errors.expose(types.Quota, wtypes.text, wtypes.text, body=types.Quota, status_code=202)
    def patch(self, project_id, resource_name, body):
        self.start("update", {"project_id": project_id})
        check_resource(resource_name)
        for field, current in (("project_id", project_id), ("resource", resource_name)):
            given = getattr(body, field)
            if given not in (wtypes.Unset, None, current):
                raise exception.InvalidParameterValue(err=f"A quota's {field} cannot change.")
        quota = objects.Quota.get_by_project_id_resource(self.context, project_id, resource_name)
        quota.hard_limit = body.hard_limit
        quota.save()
        return to_wire(quota)

    @errors.expose(None, wtypes.text, wtypes.text, status_code=204)
    def delete(self, project_id, resource_name):
        self.start("delete", {"project_id": project_id})
        check_resource(resource_name)
        quota = objects.Quota.get_by_project_id_resource(self.context, project_id, resource_name)
        quota.destroy()

    def check_project(self, project_id: str) -> None:
        """404 for a project Keystone does not know (any project goes under noauth)."""
        if CONF.auth_strategy != "keystone":
            return
        if not keystone.project_exists(self.context, project_id):
            raise exception.ResourceNotFound(resource="Project", ident=project_id)
