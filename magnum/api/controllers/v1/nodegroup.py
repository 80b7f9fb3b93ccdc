"""/v1/clusters/{cluster_ident}/nodegroups (1.9): a cluster's sets of nodes.

Mounted under ``ClusterController``, so every method gets the cluster ident
first. Creating, resizing or deleting a nodegroup is a change of its cluster:
the cluster moves to UPDATE_IN_PROGRESS with one conditional UPDATE (a busy
cluster answers 409) and the owning conductor does the work under the
cluster's lock. Node counts go through the same ``cluster_resize`` RPC as
``actions/resize``; create and delete have their own RPC methods.
"""

from __future__ import annotations

from typing import Any

import pecan
from pecan import rest
from wsme import types as wtypes

from magnum import objects
from magnum.api import errors, links, microversions
from magnum.api.controllers.v1 import cluster as cluster_api
from magnum.api.controllers.v1 import resource
from magnum.api.types import common
from magnum.api.types import nodegroup as types
from magnum.common import exception, policy, states

MIN_VERSION = "1.9"
LABELS_VERSION = microversions.Version(1, 14)
# PATCH may change only these (spec 1.6; node_count is a resize here).
PATCHABLE = ("node_count", "min_node_count", "max_node_count", "node_labels", "node_taints")
SUMMARY = (
    "uuid",
    "name",
    "flavor_id",
    "node_count",
    "role",
    "is_default",
    "image_id",
    "status",
    "stack_id",
)
READ_ONLY = (
    "id",
    "uuid",
    "cluster_id",
    "project_id",
    "node_addresses",
    "is_default",
    "stack_id",
    "status",
    "status_reason",
    "version",
)


def check_counts(name: str, node_count: int, low: int | None, high: int | None) -> None:
    """409 NodeGroupInvalidInput unless min <= node_count (<= max when max is set)."""
    cluster_api.check_node_limit(node_count)
    if high is not None:
        cluster_api.check_node_limit(high, "max_node_count")
    low = low or 0
    if node_count < low:
        raise exception.NodeGroupInvalidInput(
            attr="node_count", nodegroup=name, expl="node_count must be >= min_node_count"
        )
    if high is not None:
        if low > high:
            raise exception.NodeGroupInvalidInput(
                attr="max_node_count",
                nodegroup=name,
                expl="min_node_count must be <= max_node_count",
            )
        if node_count > high:
            raise exception.NodeGroupInvalidInput(
                attr="node_count", nodegroup=name, expl="node_count must be <= max_node_count"
            )


def _unset(wire: Any, *names: str) -> None:
    """Leave attributes out of the response (plain assignment would give their default)."""
    attrs = {a.name: a for a in wtypes.list_attributes(type(wire))}
    for name in names:
        attr = attrs[name]
        setattr(attr._get_dataholder(wire), attr.key, wtypes.Unset)


class NodeGroupController(resource.ResourceController):
    _custom_actions: dict[str, list[str]] = {}

    def __init__(self, clusters: cluster_api.ClusterController) -> None:
        self.clusters = clusters
        # Set on the instance: the generated collection methods of
        # ResourceController take no cluster ident, so this class writes its own.
        self.resource = resource.Resource(
            collection="nodegroups",
            display="NodeGroup",
            policy="nodegroup",
            object_class=objects.NodeGroup,
            wire=types.NodeGroup,
            wire_collection=types.NodeGroupCollection,
            summary=SUMMARY,
            create_status=202,
            min_version=MIN_VERSION,
            internal_paths=tuple(
                f"/{a.name}"
                for a in wtypes.list_attributes(types.NodeGroup)
                if a.name not in PATCHABLE
            ),
        )

    # --- lookups ----------------------------------------------------------------
    def load_cluster(self, cluster_ident: str, action: str) -> Any:
        """The cluster, visible to the caller, after the nodegroup:<action> check."""
        self.check_version(pecan.request.method)
        if self.context.is_admin:
            rule = "get_one" if action == "get" else action
            if policy.check(f"nodegroup:{rule}_all_projects", {}, self.context):
                self.context.all_projects = True
        cluster = objects.Cluster.get(self.context, cluster_ident)
        self.authorize(action, cluster)
        # The cluster decides visibility; its nodegroups follow it.
        self.context.all_projects = True
        return cluster

    def find(self, cluster: Any, ident: str) -> Any:
        found = [ng for ng in self.clusters.nodegroups_of(cluster) if ident in (ng.uuid, ng.name)]
        if not found:
            raise exception.ResourceNotFound(resource="NodeGroup", ident=ident)
        if len(found) > 1:
            raise exception.AmbiguousName(resource="nodegroup")
        return found[0]

    # --- views ------------------------------------------------------------------
    def nodegroup_view(self, cluster: Any, obj: Any, summary: bool = False) -> Any:
        wire = self.to_wire(obj, summary=summary)
        new_api = self.version >= LABELS_VERSION
        if not new_api:
            _unset(wire, "node_labels", "node_taints")
        _unset(wire, "merge_labels")
        if summary:
            _unset(wire, "links")
            return wire
        path = f"clusters/{cluster.uuid}/nodegroups"
        wire.links = [
            common.Link(**links.make("self", path, obj.uuid)),
            common.Link(**links.make("bookmark", path, obj.uuid, bookmark=True)),
        ]
        cluster_labels = cluster.labels or {}
        labels = obj.labels or {}
        wire.labels_overridden = {
            k: cluster_labels[k]
            for k, v in labels.items()
            if k in cluster_labels and cluster_labels[k] != v
        }
        wire.labels_added = {k: v for k, v in labels.items() if k not in cluster_labels}
        wire.labels_skipped = {k: v for k, v in cluster_labels.items() if k not in labels}
        return wire

    # --- routes -----------------------------------------------------------------
    @errors.expose(
        types.NodeGroupCollection,
        wtypes.text,
        wtypes.text,
        int,
        wtypes.text,
        wtypes.text,
        wtypes.text,
    )
    def get_all(
        self, cluster_ident, marker=None, limit=None, sort_key="id", sort_dir="asc", role=None
    ):
        cluster = self.load_cluster(cluster_ident, "get_all")
        filters: dict[str, Any] = {"cluster_id": cluster.uuid}
        if role:
            filters["role"] = role
        found, limit = self.list_objects(marker, limit, sort_key, sort_dir, filters)
        collection = types.NodeGroupCollection(
            nodegroups=[self.nodegroup_view(cluster, ng, summary=True) for ng in found]
        )
        if found and len(found) == limit:
            query = f"sort_key={sort_key}&sort_dir={sort_dir}&"
            if role:
                query = f"role={role}&" + query
            query += f"limit={limit}&marker={found[-1].uuid}"
            path = f"clusters/{cluster.uuid}/nodegroups"
            collection.next = links.make("next", path, query=query)["href"]
        return collection

    @errors.expose(types.NodeGroup, wtypes.text, wtypes.text)
    def get_one(self, cluster_ident, nodegroup_ident):
        cluster = self.load_cluster(cluster_ident, "get")
        return self.nodegroup_view(cluster, self.find(cluster, nodegroup_ident))

    @errors.expose(types.NodeGroup, wtypes.text, body=types.NodeGroup, status_code=202)
    def post(self, cluster_ident, body):
        cluster = self.load_cluster(cluster_ident, "create")
        values = self.from_wire(body)
        for name in READ_ONLY:
            values.pop(name, None)
        nodegroup = self.create_in(cluster, values)
        return self.nodegroup_view(cluster, nodegroup)

    @errors.expose(
        types.NodeGroup, wtypes.text, wtypes.text, body=[common.JsonPatch], status_code=202
    )
    def patch(self, cluster_ident, nodegroup_ident, patch):
        cluster = self.load_cluster(cluster_ident, "update")
        nodegroup = self.find(cluster, nodegroup_ident)
        changes = self.apply_patch(nodegroup, patch)
        changes.pop("merge_labels", None)
        if changes:
            self.update_in(cluster, nodegroup, changes)
        return self.nodegroup_view(cluster, nodegroup)

    @errors.expose(None, wtypes.text, wtypes.text, status_code=204)
    def delete(self, cluster_ident, nodegroup_ident):
        cluster = self.load_cluster(cluster_ident, "delete")
        nodegroup = self.find(cluster, nodegroup_ident)
        if nodegroup.is_default:
            raise exception.InvalidParameterValue(
                err=f"Nodegroup {nodegroup.name} is a default nodegroup of its cluster "
                "and cannot be deleted."
            )
        previous = nodegroup.status
        cluster_api.start_operation(cluster, states.RESIZE)
        nodegroup.status = states.DELETE_IN_PROGRESS
        nodegroup.status_reason = None
        nodegroup.save()
        ctx = self.context

        def undo() -> None:
            nodegroup.status = previous
            nodegroup.save()
            self.restore(cluster, cluster.status)

        cluster_api.hand_off(
            cluster,
            lambda: pecan.request.rpcapi.nodegroup_delete(ctx, cluster.uuid, nodegroup.uuid),
            undo,
        )

    # --- the work ---------------------------------------------------------------
    def check_node_labels(self, values: dict[str, Any], role: str) -> None:
        wanted = {k for k in ("node_labels", "node_taints") if values.get(k)}
        if not wanted:
            return
        if self.version < LABELS_VERSION:
            raise exception.InvalidParameterValue(
                err=f"{', '.join(sorted(wanted))} need API version {LABELS_VERSION} or later."
            )
        if role == "master":
            raise exception.NodeGroupInvalidInput(
                attr=", ".join(sorted(wanted)),
                nodegroup="a master nodegroup",
                expl="node labels and taints apply to worker nodegroups only",
            )

    def create_in(self, cluster: Any, values: dict[str, Any]) -> Any:
        role = values.get("role") or "worker"
        if role == "master":
            raise exception.InvalidParameterValue(
                err="Creating master nodegroups is not supported; a cluster has one."
            )
        name = values.get("name") or cluster_api.generated_name("nodegroup")
        self.check_node_labels(values, role)
        node_count = values.get("node_count", 1)
        self.clusters.check_node_count(node_count)
        check_counts(name, node_count, values.get("min_node_count"), values.get("max_node_count"))
        if not cluster.api_address:
            raise exception.ClusterAPIAddressUnavailable(cluster=cluster.uuid)
        if any(ng.name == name for ng in self.clusters.nodegroups_of(cluster)):
            raise exception.AlreadyExists(resource="NodeGroup", field="name", value=name)
        labels = values.pop("labels", None)
        if labels is None:
            labels = dict(cluster.labels or {})
        elif values.pop("merge_labels", False):
            labels = {**(cluster.labels or {}), **labels}
        values.pop("merge_labels", None)
        template = objects.ClusterTemplate.get_by_uuid(self.context, cluster.cluster_template_id)
        nodegroup = objects.NodeGroup(
            self.context,
            **{
                **values,
                "name": name,
                "role": role,
                "node_count": node_count,
                "labels": labels,
                "flavor_id": values.get("flavor_id") or cluster.flavor_id,
                "image_id": values.get("image_id") or template.image_id,
                "docker_volume_size": values.get("docker_volume_size")
                or cluster.docker_volume_size,
                "min_node_count": values.get("min_node_count") or 0,
                "cluster_id": cluster.uuid,
                "project_id": cluster.project_id,
                "is_default": False,
                "status": states.CREATE_IN_PROGRESS,
            },
        )
        previous = cluster.status
        cluster_api.start_operation(cluster, states.RESIZE)
        try:
            nodegroup.create()
        except Exception:
            self.restore(cluster, previous)
            raise
        ctx = self.context

        def undo() -> None:
            nodegroup.destroy()
            self.restore(cluster, previous)

        cluster_api.hand_off(
            cluster,
            lambda: pecan.request.rpcapi.nodegroup_create(ctx, cluster.uuid, nodegroup.uuid),
            undo,
        )
        return nodegroup

    def update_in(self, cluster: Any, nodegroup: Any, changes: dict[str, Any]) -> None:
        merged = {f: getattr(nodegroup, f) for f in PATCHABLE} | changes
        self.check_node_labels(
            {k: v for k, v in changes.items() if k in ("node_labels", "node_taints")},
            nodegroup.role,
        )
        if "node_count" in changes:
            self.clusters.check_node_count(changes["node_count"])
        if nodegroup.role != "master" or "node_count" not in changes:
            check_counts(
                nodegroup.name,
                merged["node_count"],
                merged["min_node_count"],
                merged["max_node_count"],
            )
        old = {f: getattr(nodegroup, f) for f in changes}
        for field in ("min_node_count", "max_node_count", "node_labels", "node_taints"):
            if field in changes:
                setattr(nodegroup, field, changes[field])
        nodegroup.save()
        # New labels reach the nodes through the driver, as a resize to the same size does.
        if {"node_count", "node_labels", "node_taints"} & changes.keys():
            try:
                self.clusters.resize(
                    cluster, nodegroup, merged["node_count"], [], operation=states.RESIZE
                )
            except Exception:
                for field, value in old.items():
                    if field != "node_count":
                        setattr(nodegroup, field, value)
                nodegroup.save()
                raise
            nodegroup.node_count = merged["node_count"]  # not saved: the conductor records it

    def restore(self, cluster: Any, previous: str | None = None) -> None:
        objects.Cluster.set_status_if(
            self.context, cluster.uuid, previous or cluster.status, {states.UPDATE_IN_PROGRESS}
        )


class NotTopLevel(rest.RestController):
    """/v1/nodegroups: advertised in GET /v1 as a template, served under clusters."""

    @errors.expose(None)
    def get_all(self):
        raise exception.NotFound()

    @pecan.expose()
    def _lookup(self, *remainder: str) -> Any:
        pecan.abort(404)
