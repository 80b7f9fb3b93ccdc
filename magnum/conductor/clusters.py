"""Create, resize and delete bays: the conductor's half of a bay's life.

Every flow runs under the bay's lock (``task_manager``) and ends in
``record``, the single place that turns a driver's answer (or failure) into
the bay's status, so no path can leave a bay ``*_IN_PROGRESS`` without either
a driver still working on it or the periodic sync watching it.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from typing import Any

from magnum import objects
from magnum.common import exception, notifications, states
from magnum.conductor import operations, trusts
from magnum.db import api as db_api
from magnum.drivers import base

LOG = logging.getLogger(__name__)

DEFAULT_MASTER = "default-master"
DEFAULT_WORKER = "default-worker"
UNEXPECTED_REASON = "Unexpected error in the conductor ({name}); see its log."


def failure_reason(err: BaseException) -> str:
    if isinstance(err, exception.MagnumException) and err.safe:
        return err.format_message()
    return UNEXPECTED_REASON.format(name=type(err).__name__)


def ensure_default_nodegroups(task: Any) -> list[Any]:
    """The bay's nodegroups, creating default-master/-worker when missing."""
    cluster = task.cluster
    ctx = task.context
    existing = {ng.name: ng for ng in nodegroups_of(ctx, cluster)}
    for name, role, count in (
        (DEFAULT_MASTER, "master", cluster.master_count),
        (DEFAULT_WORKER, "worker", cluster.node_count),
    ):
        if name in existing:
            continue
        ng = objects.NodeGroup(
            ctx,
            name=name,
            role=role,
            node_count=count,
            min_node_count=0,
            cluster_id=cluster.uuid,
            project_id=cluster.project_id,
            is_default=True,
            image_id=task.cluster_template.image_id,
            flavor_id=cluster.master_flavor_id if role == "master" else cluster.flavor_id,
            docker_volume_size=cluster.docker_volume_size,
            labels=cluster.labels,
            status=states.CREATE_IN_PROGRESS,
        )
        ng.create()
        existing[name] = ng
    return list(existing.values())


def nodegroups_of(context: Any, cluster: Any) -> list[Any]:
    return list(objects.NodeGroup.list(_admin(context), filters={"cluster_id": cluster.uuid}))


def _admin(context: Any) -> Any:
    from magnum.conductor import task_manager

    return task_manager._all_projects(context)


def create(task: Any) -> None:
    nodegroups = ensure_default_nodegroups(task)

    def build() -> base.ClusterStatus:
        task.driver.validate(task.context, task.cluster_template)
        trusts.ensure(task)  # before the driver, while the creator's token is fresh
        return task.driver.create(
            task.context,
            task.cluster,
            task.cluster_template,
            nodegroups,
            operations.for_task(task),
        )

    run(task, states.CREATE, build)


def resize(
    task: Any, nodegroup_uuid: str, node_count: int, nodes_to_remove: Sequence[str]
) -> None:
    nodegroup = next(
        ng for ng in nodegroups_of(task.context, task.cluster) if ng.uuid == nodegroup_uuid
    )
    # Record the wanted size first: a conductor that takes this bay over
    # after a crash converges on it.
    _set_count(task.cluster, nodegroup, node_count)
    run(
        task,
        states.UPDATE,
        lambda: resize_nodegroup(task, nodegroup, node_count, nodes_to_remove),
    )


def resize_nodegroup(
    task: Any, nodegroup: Any, node_count: int, nodes_to_remove: Sequence[str] = ()
) -> base.ClusterStatus:
    """The one driver call that brings a nodegroup of the task's bay to ``node_count``."""
    return task.driver.update(
        task.context,
        task.cluster,
        task.cluster_template,
        nodegroup,
        node_count,
        nodes_to_remove,
        operation=operations.for_task(task),
    )


def converge(task: Any) -> None:
    """Resume an update whose conductor died: bring every nodegroup to its count."""

    def update_all() -> base.ClusterStatus:
        result = None
        for nodegroup in nodegroups_of(task.context, task.cluster):
            if nodegroup.status == states.DELETE_IN_PROGRESS and not nodegroup.is_default:
                from magnum.conductor import nodegroups  # it imports this module

                result = nodegroups.remove_nodegroup(task, nodegroup)
                continue
            result = resize_nodegroup(task, nodegroup, nodegroup.node_count)
        return result or base.ClusterStatus(status=states.UPDATE_COMPLETE)

    run(task, states.UPDATE, update_all)


def delete(task: Any) -> None:
    run(
        task,
        states.DELETE,
        lambda: task.driver.delete(task.context, task.cluster, operations.for_task(task)),
    )


def run(task: Any, operation: states.Operation, action: Callable[[], base.ClusterStatus]) -> None:
    LOG.info("Cluster %s: %s started", task.cluster.uuid, operation.name)
    with notifications.cluster_operation(task.context, task.cluster, operation.name) as outcome:
        try:
            result = action()
        except Exception as err:
            LOG.warning(
                "Cluster %s: %s failed: %s",
                task.cluster.uuid,
                operation.name,
                err,
                exc_info=not (isinstance(err, exception.MagnumException) and err.safe),
            )
            result = base.ClusterStatus(status=operation.failed, reason=failure_reason(err))
        if result.status in states.FAILED:
            outcome.fail(result.reason or result.status)
        elif result.status in states.IN_PROGRESS and not result.gone:
            outcome.still_running()  # the periodic sync decides later
        if _decided_meanwhile(task.cluster, operation, result):
            if not (operation is states.DELETE and outcome.reason is None):
                outcome.fail(outcome.reason or "The bay's status changed while the driver worked.")
            return
        # The outcome and the release of the lock land in one UPDATE: a client
        # that sees the final status can act on the bay at once (no 409 window).
        record(task.context, task.cluster, operation, result, release_lock=True)
        task.released_by_record()


def _decided_meanwhile(cluster: Any, operation: states.Operation, result: Any) -> bool:
    """True when the bay left ``operation``'s in-progress state while the driver worked.

    The periodic sync fails a bay past its timeout even while a driver call
    still runs; that verdict is final, so the late answer is only logged. A
    delete that removed everything still removes the row.
    """
    try:
        current = db_api.get_instance().get_cluster_by_uuid(None, cluster.uuid).status
    except exception.ResourceNotFound:
        return True
    if current == operation.in_progress or (operation is states.DELETE and result.gone):
        return False
    LOG.warning(
        "Cluster %s: %s ended as %s after the bay became %s; keeping %s",
        cluster.uuid,
        operation.name,
        result.status,
        current,
        current,
    )
    return True


def record(
    context: Any,
    cluster: Any,
    operation: states.Operation | None,
    result: base.ClusterStatus,
    release_lock: bool = False,
) -> None:
    """Write a driver's answer onto the bay and its nodegroups.

    ``release_lock`` clears the bay's reservation in the same UPDATE as the
    status (the caller holds the lock and has nothing left to do).
    """
    deleting = operation is states.DELETE or (
        operation is None and cluster.status == states.DELETE_IN_PROGRESS
    )
    if result.gone and deleting:
        destroy(context, cluster)
        return
    status = result.status
    if operation is not None and status not in states.IN_PROGRESS | states.FAILED:
        status = operation.complete
    if status == states.DELETE_COMPLETE:
        destroy(context, cluster)
        return
    cluster.status = status
    cluster.status_reason = result.reason
    copy_reported_fields(cluster, result)
    nodegroups = nodegroups_of(context, cluster)
    for nodegroup in nodegroups:
        if result.node_counts and nodegroup.name in result.node_counts:
            _set_count(cluster, nodegroup, result.node_counts[nodegroup.name], save=False)
        nodegroup.status = _nodegroup_status(nodegroup, status)
        nodegroup.status_reason = result.reason
        if result.nodegroup_addresses is not None:
            nodegroup.node_addresses = result.nodegroup_addresses.get(nodegroup.name, [])
        elif nodegroup.role == "master" and result.master_addresses is not None:
            nodegroup.node_addresses = result.master_addresses
        nodegroup.save()
    if release_lock:
        cluster.reservation = None
    cluster.save()
    LOG.info(
        "Cluster %s is %s%s", cluster.uuid, status, f": {result.reason}" if result.reason else ""
    )


def copy_reported_fields(cluster: Any, result: base.ClusterStatus) -> None:
    """Copy every field ClusterStatus declares (addresses, versions, stack_id, ...).

    Fields the driver left None keep the bay's value; the control fields
    (status, reason, node_counts, gone) are interpreted by ``record``.
    """
    for field in dataclasses.fields(result):
        if field.name in base.STATUS_CONTROL_FIELDS:
            continue
        value = getattr(result, field.name)
        if value is not None:
            setattr(cluster, field.name, value)


def _nodegroup_status(nodegroup: Any, cluster_status: str) -> str:
    """A nodegroup added to a running bay ends CREATE_*, not UPDATE_* like its bay."""
    if nodegroup.status == states.CREATE_IN_PROGRESS and cluster_status in (
        states.UPDATE_COMPLETE,
        states.UPDATE_FAILED,
    ):
        return cluster_status.replace("UPDATE", "CREATE")
    return cluster_status


def _set_count(cluster: Any, nodegroup: Any, count: int, save: bool = True) -> None:
    nodegroup.node_count = count
    if nodegroup.name == DEFAULT_WORKER:
        cluster.node_count = count
    elif nodegroup.name == DEFAULT_MASTER:
        cluster.master_count = count
    if save:
        nodegroup.save()
        cluster.save()


def destroy(context: Any, cluster: Any) -> None:
    """Remove the bay's rows (nodegroups, containers, certificates too).

    Its Keystone trust goes first: if Keystone cannot delete it the bay is
    DELETE_FAILED with the reason (a retry of the delete tries again), so no
    trust outlives the bay unnoticed.
    """
    try:
        trusts.release(cluster)
    except exception.KeystoneFailure as err:
        LOG.warning("Cluster %s: %s", cluster.uuid, err.format_message())
        cluster.status = states.DELETE_FAILED
        cluster.status_reason = err.format_message()
        cluster.save()
        return
    dbapi = db_api.get_instance()
    for keypair in objects.X509KeyPair.list(_admin(context), filters={"cluster_id": cluster.uuid}):
        keypair.destroy()
    dbapi.destroy_cluster(cluster.uuid)
    LOG.info("Cluster %s deleted", cluster.uuid)
