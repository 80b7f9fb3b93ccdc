"""Add and remove a bay's nodegroups: the conductor's half of /nodegroups.

Both run under the bay's lock with the bay in UPDATE_IN_PROGRESS (the API
moved it there) and end in ``clusters.run``/``record``, so the bay and its
nodegroups always reach a final status. Resizing a nodegroup is
``clusters.resize``.
"""

from __future__ import annotations

import logging
from typing import Any

from magnum.common import exception, states
from magnum.conductor import clusters
from magnum.drivers import base

LOG = logging.getLogger(__name__)


def _find(task: Any, nodegroup_uuid: str) -> Any:
    for nodegroup in clusters.nodegroups_of(task.context, task.cluster):
        if nodegroup.uuid == nodegroup_uuid:
            return nodegroup
    raise exception.ResourceNotFound(resource="NodeGroup", ident=nodegroup_uuid)


def create(task: Any, nodegroup_uuid: str) -> None:
    """Start the nodegroup's nodes (``node_count`` of them) in the bay."""

    def build() -> base.ClusterStatus:
        nodegroup = _find(task, nodegroup_uuid)
        return clusters.resize_nodegroup(task, nodegroup, nodegroup.node_count)

    clusters.run(task, states.UPDATE, build)


def delete(task: Any, nodegroup_uuid: str) -> None:
    """Remove exactly the nodegroup's nodes, then its row."""

    def remove() -> base.ClusterStatus:
        return remove_nodegroup(task, _find(task, nodegroup_uuid))

    clusters.run(task, states.UPDATE, remove)


def remove_nodegroup(task: Any, nodegroup: Any) -> base.ClusterStatus:
    if nodegroup.is_default:
        raise exception.InvalidParameterValue(
            err=f"Nodegroup {nodegroup.name} is a default nodegroup and cannot be deleted."
        )
    result = clusters.resize_nodegroup(task, nodegroup, 0)
    nodegroup.destroy()
    LOG.info("Cluster %s: nodegroup %s deleted", task.cluster.uuid, nodegroup.name)
    if result.node_counts:
        result.node_counts.pop(nodegroup.name, None)
    return result
