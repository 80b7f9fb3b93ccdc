"""/v1/clusters, and /v1/bays as the same logic with legacy names.

Create, resize and delete record the new state with one conditional UPDATE
(so a conflicting request gets 409/400 at once) and hand the work to the
owning conductor with an RPC cast. If the cast cannot be delivered the
recorded change is undone and the client gets 503: no bay is left
``*_IN_PROGRESS`` with nobody working on it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import oslo_messaging as messaging
import pecan
from oslo_config import cfg
from pecan import rest
from wsme import types as wtypes

from magnum import objects
from magnum.api import errors, microversions
from magnum.api.controllers.v1 import resource
from magnum.api.controllers.v1.cluster_template import generated_name
from magnum.api.types import cluster as types
from magnum.common import context as magnum_context
from magnum.common import exception, policy, states

LOG = logging.getLogger(__name__)
CONF = cfg.CONF

INTERNAL = (
    "/api_address",
    "/node_addresses",
    "/master_addresses",
    "/stack_id",
    "/cluster_id",
    "/ca_cert_ref",
    "/magnum_cert_ref",
    "/etcd_ca_cert_ref",
    "/front_proxy_ca_cert_ref",
    "/trust_id",
    "/trustee_user_name",
    "/trustee_password",
    "/trustee_user_id",
    "/status",
    "/status_reason",
    "/coe_version",
    "/container_version",
)
PATCHABLE = {"node_count", "health_status", "health_status_reason"}
TEMPLATE_DEFAULTS = {
    "keypair": "keypair_id",
    "flavor_id": "flavor_id",
    "master_flavor_id": "master_flavor_id",
    "docker_volume_size": "docker_volume_size",
    "fixed_network": "fixed_network",
    "fixed_subnet": "fixed_subnet",
    "floating_ip_enabled": "floating_ip_enabled",
    "master_lb_enabled": "master_lb_enabled",
}
CLUSTER_SUMMARY = (
    "uuid",
    "name",
    "cluster_template_id",
    "keypair",
    "docker_volume_size",
    "labels",
    "node_count",
    "status",
    "master_flavor_id",
    "flavor_id",
    "create_timeout",
    "master_count",
    "health_status",
    "stack_id",
    "cluster_id",
    "links",
)
BAY_SUMMARY = (
    "uuid",
    "name",
    "baymodel_id",
    "node_count",
    "status",
    "bay_create_timeout",
    "master_count",
    "stack_id",
    "links",
)


def find_template(context: Any, ident: str) -> Any:
    """A referenced template: not found is the caller's mistake (400)."""
    try:
        template = objects.ClusterTemplate.get(context, ident)
    except exception.ResourceNotFound as err:
        raise exception.InvalidParameterValue(
            err=f"ClusterTemplate {ident} could not be found."
        ) from err
    if template.hidden and not context.is_admin and template.project_id != context.project_id:
        raise exception.NotAuthorized("ClusterTemplate is hidden.")
    return template


def start_operation(cluster: Any, operation: states.Operation) -> Any:
    """Move the cluster to the operation's in-progress state, atomically."""
    try:
        return objects.Cluster.set_status_if(
            pecan.request.context, cluster.uuid, operation.in_progress, operation.allowed_from
        )
    except exception.InvalidState as err:
        current = err.kwargs.get("state")
        if current in states.IN_PROGRESS:
            raise exception.OperationInProgress(
                resource="Cluster", ident=cluster.uuid, state=current
            ) from err
        raise exception.NotSupported(
            operation=f"{operation.name.capitalize()} of a cluster in status {current}"
        ) from err


def hand_off(cluster: Any, cast: Callable[[], None], undo: Callable[[], None]) -> None:
    """Cast to the conductor; undo the recorded change when nobody can take it."""
    try:
        cast()
    except (messaging.MessagingException, exception.NoConductorAvailable) as err:
        LOG.error("Could not hand cluster %s to a conductor: %s", cluster.uuid, err)
        undo()
        if isinstance(err, exception.NoConductorAvailable):
            raise
        raise exception.ServiceUnavailable(
            reason="the conductors cannot be reached over the message bus"
        ) from err


class ClusterNodesController(rest.RestController):
    """GET /v1/clusters/{ident}/nodes: the hosts as the cluster's driver sees them."""

    def __init__(self, parent: ClusterController) -> None:
        self.parent = parent

    @errors.expose(types.NodeCollection, wtypes.text)
    def get_all(self, cluster_ident):
        cluster = self.parent.load(cluster_ident, "get")
        nodes = pecan.request.rpcapi.cluster_nodes(pecan.request.context, cluster.uuid)
        return types.NodeCollection(nodes=[types.Node(**n) for n in nodes])


class ClusterActionsController(rest.RestController):
    """POST /v1/clusters/{ident}/actions/resize (1.7) and /upgrade (1.8)."""

    _custom_actions = {"resize": ["POST"], "upgrade": ["POST"]}

    def __init__(self, parent: ClusterController) -> None:
        self.parent = parent

    @errors.expose(types.ClusterID, wtypes.text, body=types.ResizeRequest, status_code=202)
    def resize(self, cluster_ident, body):
        microversions.require(pecan.request.version, "1.7", "resize")
        cluster = self.parent.load(cluster_ident, "resize")
        nodegroup = self.parent.nodegroup_of(cluster, body.nodegroup or None)
        self.parent.check_node_count(body.node_count)
        if nodegroup.role != "master":
            low = nodegroup.min_node_count or 0
            high = nodegroup.max_node_count
            if body.node_count < low or (high is not None and body.node_count > high):
                raise exception.NGResizeOutBounds(
                    nodegroup=nodegroup.name, min_nc=low, max_nc=high
                )
        self.parent.resize(
            cluster,
            nodegroup,
            body.node_count,
            body.nodes_to_remove or [],
            operation=states.RESIZE,
        )
        return types.ClusterID(uuid=cluster.uuid)

    @errors.expose(types.ClusterID, wtypes.text, body=wtypes.text, status_code=202)
    def upgrade(self, cluster_ident, body=None):
        microversions.require(pecan.request.version, "1.7", "upgrade")
        self.parent.load(cluster_ident, "upgrade")
        raise exception.NotSupported(
            operation="Upgrading clusters of this driver (local bays are upgraded by "
            "creating a new bay from a newer template)"
        )


class ClusterController(resource.ResourceController):
    resource = resource.Resource(
        collection="clusters",
        display="Cluster",
        policy="cluster",
        object_class=objects.Cluster,
        wire=types.Cluster,
        wire_collection=types.ClusterCollection,
        summary=CLUSTER_SUMMARY,
        create_status=202,
        internal_paths=INTERNAL,
        unremovable_paths=("/cluster_template_id",),
        rollback_from="1.3",
    )

    def __init__(self) -> None:
        self.actions = ClusterActionsController(self)
        self.nodes = ClusterNodesController(self)
        if type(self) is ClusterController:  # bays never had nodegroups
            from magnum.api.controllers.v1 import nodegroup

            self.nodegroups = nodegroup.NodeGroupController(self)

    # --- views ----------------------------------------------------------------
    def decorate(self, wire: Any, obj: Any, summary: bool) -> None:
        if "cluster_id" in {a.name for a in wtypes.list_attributes(type(wire))}:
            if self.version >= microversions.Version(1, 13):
                wire.cluster_id = obj.stack_id
                wire.stack_id = wtypes.Unset
            else:
                wire.cluster_id = wtypes.Unset
        if summary or not hasattr(wire, "faults"):
            return
        if obj.status in states.FAILED:
            wire.faults = {
                ng.name: ng.status_reason
                for ng in self.nodegroups_of(obj)
                if ng.status in states.FAILED and ng.status_reason
            }
        template_labels = self._template_labels(obj)
        labels = obj.labels or {}
        wire.labels_overridden = {
            k: template_labels[k]
            for k, v in labels.items()
            if k in template_labels and template_labels[k] != v
        }
        wire.labels_added = {k: v for k, v in labels.items() if k not in template_labels}
        wire.labels_skipped = {k: v for k, v in template_labels.items() if k not in labels}

    def _template_labels(self, obj: Any) -> dict[str, Any]:
        cache = pecan.request.environ.setdefault("magnum.templates", {})
        if obj.cluster_template_id not in cache:
            try:
                template = objects.ClusterTemplate.get_by_uuid(
                    self._all_projects(), obj.cluster_template_id
                )
                cache[obj.cluster_template_id] = template.labels or {}
            except exception.ResourceNotFound:
                cache[obj.cluster_template_id] = {}
        return cache[obj.cluster_template_id]

    def _all_projects(self) -> Any:
        return magnum_context.all_projects(self.context)

    def nodegroups_of(self, cluster: Any) -> list[Any]:
        # Not named nodegroups: that attribute is the nested nodegroups controller.
        return list(
            objects.NodeGroup.list(self._all_projects(), filters={"cluster_id": cluster.uuid})
        )

    def nodegroup_of(self, cluster: Any, ident: str | None) -> Any:
        groups = self.nodegroups_of(cluster)
        if ident is None:
            found = [g for g in groups if g.is_default and g.role == "worker"]
        else:
            found = [g for g in groups if ident in (g.uuid, g.name)]
        if not found:
            raise exception.ResourceNotFound(resource="NodeGroup", ident=ident or "default-worker")
        return found[0]

    def create_response(self, obj: Any) -> Any:
        return resource.accepted(obj)

    def update_response(self, obj: Any) -> Any:
        return resource.accepted(obj)

    # --- create ---------------------------------------------------------------
    def check_node_count(self, node_count: int) -> None:
        if node_count == 0 and self.version < microversions.Version(1, 10):
            raise exception.ZeroNodeCountNotSupported()
        check_node_limit(node_count)

    def create(self, values: dict[str, Any]) -> Any:
        ctx = self.context
        template = find_template(ctx, values.pop("cluster_template_id"))
        self.check_node_count(values.get("node_count", 1))
        masters = values.get("master_count") or 1
        check_node_limit(masters, "master_count")
        check_cluster_limit((values.get("node_count") or 0) + masters)
        merge = values.pop("merge_labels", False)
        if values.get("labels") is None:
            values["labels"] = dict(template.labels or {})
        elif merge:
            values["labels"] = {**(template.labels or {}), **values["labels"]}
        for cluster_field, template_field in TEMPLATE_DEFAULTS.items():
            if values.get(cluster_field) is None:
                values[cluster_field] = getattr(template, template_field)
        if (
            template.coe == "kubernetes"
            and values.get("master_count", 1) > 1
            and not values.get("master_lb_enabled")
        ):
            raise exception.InvalidParameterValue(
                err="master_count must be 1 when master_lb_enabled is False."
            )
        for read_only in (
            "uuid",
            "status",
            "status_reason",
            "health_status",
            "health_status_reason",
        ):
            values.pop(read_only, None)
        values.setdefault("name", generated_name("cluster"))
        cluster = objects.Cluster(
            ctx,
            cluster_template_id=template.uuid,
            project_id=ctx.project_id,
            user_id=ctx.user_id,
            status=states.CREATE_IN_PROGRESS,
            status_reason=None,
            health_status=states.UNKNOWN,
            **values,
        )
        cluster.create_within_quota(CONF.quotas.max_clusters_per_project)

        def forget() -> None:
            cluster.destroy()

        hand_off(cluster, lambda: pecan.request.rpcapi.cluster_create(ctx, cluster.uuid), forget)
        return cluster

    # --- update / resize ------------------------------------------------------
    def update(self, obj: Any, changes: dict[str, Any], rollback: bool = False) -> Any:
        # rollback asks Heat to undo a failed stack update. Local bays have
        # no stack to roll back: accepted (clients send it), and logged.
        if rollback:
            LOG.info("Cluster %s update asked for rollback on failure", obj.uuid)
        changes.pop("merge_labels", None)
        refused = sorted(set(changes) - PATCHABLE)
        if refused:
            names = ", ".join(self.resource.renames.get(f, f) for f in refused)
            raise exception.InvalidParameterValue(
                err=f"cannot change {self.resource.display.lower()} property(ies) {names}."
            )
        health = {k: v for k, v in changes.items() if k != "node_count"}
        if health:
            policy.authorize(f"{self.resource.policy}:update_health_status", obj, self.context)
            for key, value in health.items():
                setattr(obj, key, value)
            obj.save()
        if "node_count" in changes:
            self.check_node_count(changes["node_count"])
            if obj.status in states.IN_PROGRESS:
                # Said before the nodegroup lookup: a bay still being created
                # may have none yet. resize() still moves the status atomically.
                raise exception.OperationInProgress(
                    resource=self.resource.display, ident=obj.uuid, state=obj.status
                )
            self.resize(
                obj,
                self.nodegroup_of(obj, None),
                changes["node_count"],
                [],
                operation=states.UPDATE,
            )
            obj.node_count = changes["node_count"]  # not saved: the conductor records it
        return obj

    def resize(
        self,
        cluster: Any,
        nodegroup: Any,
        node_count: int,
        nodes_to_remove: list[str],
        operation: states.Operation,
    ) -> None:
        if nodegroup.role == "master" and node_count < 1:
            raise exception.InvalidParameterValue(err="A cluster needs at least one master.")
        previous = cluster.status
        start_operation(cluster, operation)
        ctx = self.context

        def undo() -> None:
            objects.Cluster.set_status_if(ctx, cluster.uuid, previous, {operation.in_progress})

        hand_off(
            cluster,
            lambda: pecan.request.rpcapi.cluster_resize(
                ctx, cluster.uuid, nodegroup.uuid, node_count, nodes_to_remove
            ),
            undo,
        )

    # --- delete ---------------------------------------------------------------
    def remove(self, obj: Any) -> None:
        previous = obj.status
        start_operation(obj, states.DELETE)
        ctx = self.context

        def undo() -> None:
            objects.Cluster.set_status_if(ctx, obj.uuid, previous, {states.DELETE_IN_PROGRESS})

        hand_off(obj, lambda: pecan.request.rpcapi.cluster_delete(ctx, obj.uuid), undo)


class BayController(ClusterController):
    resource = resource.Resource(
        collection="bays",
        display="Bay",
        policy="bay",
        object_class=objects.Cluster,
        wire=types.Bay,
        wire_collection=types.BayCollection,
        renames=types.BAY_RENAMES,
        summary=BAY_SUMMARY,
        create_status=201,
        max_version="1.10",
        internal_paths=INTERNAL,
        unremovable_paths=("/baymodel_id",),
        admin_sees_all=False,
        rollback_from="1.3",
    )

    def create_response(self, obj: Any) -> Any:
        # Bays answered with the whole bay (201) until 1.2 made them asynchronous.
        if self.version >= microversions.Version(1, 2):
            return resource.accepted(obj)
        obj.refresh()
        return self.to_wire(obj)

    def update_response(self, obj: Any) -> Any:
        if self.version >= microversions.Version(1, 2):
            return resource.accepted(obj)
        requested = obj.node_count
        obj.refresh()
        # The synchronous 2015 answer showed the new size at once; the
        # conductor may not have recorded it yet.
        obj.node_count = requested
        return self.to_wire(obj)

    def check_node_count(self, node_count: int) -> None:
        if node_count < 1:
            raise exception.InvalidParameterValue(err="node_count must be at least 1 for a bay.")
        check_node_limit(node_count)


def check_node_limit(count: int, field: str = "node_count") -> None:
    """400 when one nodegroup asks for more than [cluster] max_nodes_per_nodegroup."""
    limit = cfg.CONF.cluster.max_nodes_per_nodegroup
    if count > limit:
        raise exception.InvalidParameterValue(
            err=f"{field} {count} is above the limit of {limit} nodes per nodegroup."
        )


def check_cluster_limit(total: int) -> None:
    """400 when a bay asks for more than [cluster] max_nodes_per_cluster nodes."""
    limit = cfg.CONF.cluster.max_nodes_per_cluster
    if total > limit:
        raise exception.InvalidParameterValue(
            err=f"{total} nodes is above the limit of {limit} nodes per cluster."
        )
