"""The periodic task that keeps container statuses true to Docker.

Each pass walks the containers of the bays this conductor owns on the hash
ring, one Docker listing per bay node (``coe.docker.list_states``), bays in
parallel on a small pool so a node that does not answer delays only its own
bay. For each container it records what Docker says:

* killed or exited outside magnum → Stopped ("exited with code N"), or
  Error when Docker reports it dead or out of memory;
* removed outside magnum → Error ("... is gone ... removed outside Magnum");
* its node gone (the bay was shrunk) → Error;
* its node not answering → Unknown, with the reason, until it answers again.

It never overwrites the result of an operation that ran while it listed
(``KeyedLocks.generation``), and it finishes what a stopped conductor left
half-way: a container Creating for longer than ``[docker]
operation_timeout`` goes to Error, one Deleting that long is deleted again.
No failure stops the loop: each pass logs it and the next one retries.
"""

from __future__ import annotations

import collections
import datetime
import logging
from concurrent import futures
from typing import Any

from oslo_config import cfg
from oslo_utils import timeutils

from magnum import objects
from magnum.coe import docker as coe_docker
from magnum.coe import docker_clients
from magnum.common import context as magnum_context
from magnum.common import exception, states
from magnum.conductor import clusters, containers, hash_ring, task_manager

LOG = logging.getLogger(__name__)
CONF = cfg.CONF
STATUS = containers.STATUS
MAX_PARALLEL_BAYS = 8


class ContainerSync:
    def __init__(
        self,
        host: str,
        ring: hash_ring.HashRingManager,
        operations: containers.ContainerOperations,
    ) -> None:
        self.host = host
        self.ring = ring
        self.operations = operations
        self.locks = operations.locks

    def __call__(self) -> None:
        try:
            self.sync()
        except Exception:
            LOG.exception("Container status sync failed; retrying next pass")

    def sync(self) -> None:
        ctx = magnum_context.get_admin_context()
        if self.host not in self.ring.live_hosts():
            return
        by_bay: dict[str, list[Any]] = collections.defaultdict(list)
        for container in objects.Container.list(ctx):
            if container.cluster_id and self.ring.owns(self.host, container.cluster_id):
                by_bay[container.cluster_id].append(container)
        # Clients of bays without containers here (deleted, or moved to
        # another conductor) are closed rather than kept open.
        self.operations.clients.retain(set(by_bay))
        if not by_bay:
            return
        workers = min(MAX_PARALLEL_BAYS, len(by_bay))
        with futures.ThreadPoolExecutor(workers, thread_name_prefix="container-sync") as pool:
            done = [pool.submit(self.sync_bay, ctx, uuid, rows) for uuid, rows in by_bay.items()]
            for future, cluster_uuid in zip(done, by_bay, strict=True):
                try:
                    future.result()
                except Exception:
                    LOG.exception("Container sync of bay %s failed", cluster_uuid)

    def sync_bay(self, ctx: Any, cluster_uuid: str, rows: list[Any]) -> None:
        now = timeutils.utcnow().replace(tzinfo=None)
        settled = []
        for container in rows:
            if container.status in containers.BUSY:
                self.finish_stale(ctx, container, now)
            elif container.container_id and container.host:
                settled.append(container)
        if not settled:
            return
        try:
            task = task_manager.read_only(ctx, cluster_uuid, purpose="container sync")
        except exception.ResourceNotFound:
            return  # the bay was deleted, and its containers with it
        if task.cluster.status in (states.CREATE_IN_PROGRESS, states.DELETE_IN_PROGRESS):
            return
        by_node: dict[str, list[Any]] = collections.defaultdict(list)
        for container in settled:
            by_node[container.host].append(container)
        for node, items in sorted(by_node.items()):
            self.sync_node(ctx, task, node, items)

    def sync_node(self, ctx: Any, task: Any, node: str, items: list[Any]) -> None:
        generations = {c.uuid: self.locks.generation(c.uuid) for c in items}
        try:
            client = self.operations.clients.get(
                task.cluster.uuid,
                node,
                lambda: docker_clients.node_client(task.driver, ctx, task.cluster, node),
            )
            found = coe_docker.list_states(client)
        except exception.ResourceNotFound:
            gone = coe_docker.ContainerState(
                STATUS.ERROR, f"Node {node} is no longer part of bay {task.cluster.uuid}."
            )
            found = None
        except exception.MagnumException as err:
            self.operations.clients.evict(task.cluster.uuid, node)
            reason = f"Node {node} did not answer: {clusters.failure_reason(err)}"
            LOG.warning("Container sync: %s", reason)
            for container in items:
                self.apply(
                    container, coe_docker.ContainerState(STATUS.UNKNOWN, reason), generations
                )
            return
        for container in items:
            if found is None:
                state = gone
            else:
                state = found.get(container.uuid) or coe_docker.ContainerState(
                    STATUS.ERROR,
                    exception.ContainerGone(container=container.uuid, host=node).format_message(),
                )
            self.apply(container, state, generations)

    def apply(
        self, container: Any, state: coe_docker.ContainerState, generations: dict[str, int]
    ) -> None:
        if (state.status, state.reason) == (container.status, container.status_reason):
            return
        with self.locks.hold(container.uuid, timeout=0) as held:
            if not held or self.locks.generation(container.uuid) != generations[container.uuid]:
                return  # an operation is running, or ran since the listing
            try:
                container.refresh()
            except exception.ResourceNotFound:
                return
            if container.status in containers.BUSY:
                return
            LOG.info(
                "Container %s: %s -> %s (%s)",
                container.uuid,
                container.status,
                state.status,
                state.reason or "as Docker reports",
            )
            self.operations.record(container, state.status, state.reason)

    def finish_stale(self, ctx: Any, container: Any, now: datetime.datetime) -> None:
        since = container.updated_at or container.created_at
        if since is None:
            return
        age = now - since.replace(tzinfo=None)
        if age < datetime.timedelta(seconds=CONF.docker.operation_timeout):
            return
        if container.status == STATUS.DELETING:
            LOG.warning("Container %s was left Deleting; deleting it again", container.uuid)
            self.operations.pool.submit(self.operations.delete, ctx, container.uuid)
            return
        with self.locks.hold(container.uuid, timeout=0) as held:
            if not held:
                return  # its create is still running here
            LOG.warning("Container %s was left Creating; marking it Error", container.uuid)
            self.operations.fail_stale_create(
                container,
                f"Creating did not finish within {CONF.docker.operation_timeout} s "
                "(its conductor stopped); delete the container and create it again.",
            )
