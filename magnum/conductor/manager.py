"""The conductor's RPC endpoints: lock the bay, pick the driver, delegate.

Method names and arguments match ``rpcapi.ConductorAPI`` one for one. Long
work is handed to the worker pool with the lock held (``spawn_after``), so
the RPC thread is free as soon as the lock is taken.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent import futures
from typing import Any

import oslo_messaging as messaging

from magnum.common import exception
from magnum.conductor import (
    certificates,
    clusters,
    containers,
    nodegroups,
    rpcapi,
    task_manager,
    trusts,
)

EXPECTED = (
    exception.ClusterLocked,
    exception.ResourceNotFound,
    exception.Invalid,
    exception.Conflict,
    exception.NotSupported,
)
# Docker refusing or failing a container call is the caller's answer, not a bug.
CONTAINER_EXPECTED = (*EXPECTED, exception.DriverError, exception.ConductorTimeout)


class ConductorManager:
    target = messaging.Target(version=rpcapi.ConductorAPI.RPC_API_VERSION)

    def __init__(self, host: str, pool: futures.Executor) -> None:
        self.host = host
        self.pool = pool
        self.containers = containers.ContainerOperations(pool)

    @messaging.expected_exceptions(*EXPECTED)
    def cluster_create(self, context: Any, cluster_uuid: str) -> None:
        with task_manager.acquire(context, cluster_uuid, purpose="create") as task:
            task.spawn_after(self.pool, clusters.create)

    @messaging.expected_exceptions(*EXPECTED)
    def cluster_resize(
        self,
        context: Any,
        cluster_uuid: str,
        nodegroup_uuid: str,
        node_count: int,
        nodes_to_remove: Sequence[str] = (),
    ) -> None:
        with task_manager.acquire(context, cluster_uuid, purpose="resize") as task:
            task.spawn_after(
                self.pool, clusters.resize, nodegroup_uuid, node_count, list(nodes_to_remove)
            )

    @messaging.expected_exceptions(*EXPECTED)
    def cluster_delete(self, context: Any, cluster_uuid: str) -> None:
        with task_manager.acquire(context, cluster_uuid, purpose="delete") as task:
            task.spawn_after(self.pool, clusters.delete)

    @messaging.expected_exceptions(*EXPECTED)
    def cluster_nodes(self, context: Any, cluster_uuid: str) -> list[dict[str, Any]]:
        """The bay's hosts as its driver sees them (no lock: read only)."""
        task = task_manager.read_only(context, cluster_uuid, purpose="list nodes")
        return [vars(node) for node in task.driver.list_nodes(context, task.cluster)]

    # --- nodegroups (1.2): see conductor/nodegroups.py -------------------------
    @messaging.expected_exceptions(*EXPECTED)
    def nodegroup_create(self, context: Any, cluster_uuid: str, nodegroup_uuid: str) -> None:
        with task_manager.acquire(context, cluster_uuid, purpose="create nodegroup") as task:
            task.spawn_after(self.pool, nodegroups.create, nodegroup_uuid)

    @messaging.expected_exceptions(*EXPECTED)
    def nodegroup_delete(self, context: Any, cluster_uuid: str, nodegroup_uuid: str) -> None:
        with task_manager.acquire(context, cluster_uuid, purpose="delete nodegroup") as task:
            task.spawn_after(self.pool, nodegroups.delete, nodegroup_uuid)

    @messaging.expected_exceptions(*EXPECTED, exception.KeystoneFailure)
    def credential_rotate(self, context: Any, cluster_uuid: str) -> None:
        with task_manager.acquire(context, cluster_uuid, purpose="rotate credentials") as task:
            trusts.rotate(task)

    # --- certificates (1.3): see conductor/certificates.py ---------------------
    @messaging.expected_exceptions(*EXPECTED, exception.CertificateKeyUnavailable)
    def get_ca_certificate(self, context: Any, cluster_uuid: str, ca_cert_type: str) -> str:
        with task_manager.acquire(context, cluster_uuid, purpose="show CA") as task:
            pki = certificates.for_request(task)
            return certificates.ca_of_type(pki, ca_cert_type)

    @messaging.expected_exceptions(*EXPECTED, exception.CertificateKeyUnavailable)
    def sign_certificate(
        self, context: Any, cluster_uuid: str, csr: str, ca_cert_type: str
    ) -> str:
        with task_manager.acquire(context, cluster_uuid, purpose="sign CSR") as task:
            pki = certificates.for_request(task)
            return pki.sign(csr, certificates.ca_kind(pki, ca_cert_type))

    # --- containers (1.1): see conductor/containers.py --------------------------
    def container_create(self, context: Any, container_uuid: str) -> None:
        self.pool.submit(self.containers.create, context, container_uuid)

    def container_delete(self, context: Any, container_uuid: str) -> None:
        self.pool.submit(self.containers.delete, context, container_uuid)

    @messaging.expected_exceptions(*CONTAINER_EXPECTED)
    def container_action(
        self, context: Any, container_uuid: str, action: str, deadline: float | None = None
    ) -> Any:
        containers.check_deadline(deadline, f"container {action}")
        if action not in containers.ACTIONS:
            raise exception.InvalidParameterValue(err=f"Unknown container action {action}.")
        return self.containers.action(context, container_uuid, action)

    @messaging.expected_exceptions(*CONTAINER_EXPECTED)
    def container_logs(
        self,
        context: Any,
        container_uuid: str,
        since: float | None = None,
        tail: int | None = None,
    ) -> dict[str, Any]:
        return self.containers.logs(context, container_uuid, since=since, tail=tail)

    @messaging.expected_exceptions(*CONTAINER_EXPECTED)
    def container_execute(
        self, context: Any, container_uuid: str, command: str, deadline: float | None = None
    ) -> dict[str, Any]:
        containers.check_deadline(deadline, "container execute")
        return self.containers.execute(context, container_uuid, command)

    @messaging.expected_exceptions(*CONTAINER_EXPECTED)
    def container_show(self, context: Any, container_uuid: str) -> Any:
        return self.containers.show(context, container_uuid)
