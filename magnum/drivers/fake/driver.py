"""A driver that provisions nothing: bays live in memory (``server_type = fake``).

Registered like the real drivers, it lets unit and API tests run the whole
road (API → conductor → driver → recorded state) without a backend. Its
behaviour is steered by the bay's labels:

* ``fake_fail``: an operation name (``create``, ``update``, ``delete``) that
  raises a ``DriverError`` with the label ``fake_reason`` as its reason;
* ``fake_async``: any value makes create/update/delete return the
  in-progress state, to be finished by ``sync_status`` on the next pass.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from typing import Any

from magnum.common import exception, states
from magnum.drivers import base

COES = ("swarm", "swarm-mode", "kubernetes", "mesos")


class FakeDriver(base.ClusterDriver):
    synchronous = True

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.clusters: dict[str, dict[str, int]] = {}
        self.pending: dict[str, str] = {}

    @property
    def provides(self) -> Sequence[base.ClusterType]:
        return [base.ClusterType("fake", "*", coe) for coe in COES]

    def _labels(self, cluster: Any) -> dict[str, Any]:
        return cluster.labels or {}

    def _maybe_fail(self, cluster: Any, operation: str) -> None:
        labels = self._labels(cluster)
        if labels.get("fake_fail") == operation:
            raise exception.DriverError(
                reason=labels.get("fake_reason", f"fake {operation} failure")
            )

    def _status(self, cluster: Any, status: str) -> base.ClusterStatus:
        counts = self.clusters.get(cluster.uuid, {})
        masters = [f"10.0.0.{i + 1}" for i in range(counts.get("default-master", 0))]
        workers = [
            f"10.0.1.{i + 1}"
            for i in range(sum(n for name, n in counts.items() if name != "default-master"))
        ]
        if self._labels(cluster).get("fake_async") and status not in states.FAILED:
            self.pending[cluster.uuid] = status
            status = status.replace("COMPLETE", "IN_PROGRESS")
        return base.ClusterStatus(
            status=status,
            api_address=f"fake://{cluster.uuid}",
            master_addresses=masters,
            node_addresses=workers,
            node_counts=dict(counts),
        )

    def create(
        self, context: Any, cluster: Any, cluster_template: Any, nodegroups: Sequence[Any]
    ) -> base.ClusterStatus:
        self._maybe_fail(cluster, "create")
        with self._lock:
            self.clusters[cluster.uuid] = {ng.name: ng.node_count for ng in nodegroups}
        return self._status(cluster, states.CREATE_COMPLETE)

    def update(
        self,
        context: Any,
        cluster: Any,
        cluster_template: Any,
        nodegroup: Any,
        node_count: int,
        nodes_to_remove: Sequence[str] = (),
    ) -> base.ClusterStatus:
        self._maybe_fail(cluster, "update")
        with self._lock:
            self.clusters.setdefault(cluster.uuid, {})[nodegroup.name] = node_count
        return self._status(cluster, states.UPDATE_COMPLETE)

    def delete(self, context: Any, cluster: Any) -> base.ClusterStatus:
        self._maybe_fail(cluster, "delete")
        with self._lock:
            self.clusters.pop(cluster.uuid, None)
        if self._labels(cluster).get("fake_async"):
            self.pending[cluster.uuid] = states.DELETE_COMPLETE
            return base.ClusterStatus(status=states.DELETE_IN_PROGRESS)
        return base.ClusterStatus(status=states.DELETE_COMPLETE, gone=True)

    def sync_status(self, context: Any, clusters: Iterable[Any]) -> dict[str, base.ClusterStatus]:
        reports = {}
        for cluster in clusters:
            done = self.pending.pop(cluster.uuid, None)
            if done == states.DELETE_COMPLETE:
                reports[cluster.uuid] = base.ClusterStatus(status=done, gone=True)
            elif done:
                reports[cluster.uuid] = base.ClusterStatus(status=done)
            elif cluster.uuid in self.clusters:
                reports[cluster.uuid] = base.ClusterStatus(status=cluster.status)
        return reports

    def list_nodes(self, context: Any, cluster: Any) -> list[base.NodeView]:
        counts = self.clusters.get(cluster.uuid, {})
        return [
            base.NodeView(
                name=f"{name}-{i}",
                role="master" if name == "default-master" else "worker",
                nodegroup=name,
                address=None,
                status="ready",
            )
            for name, count in counts.items()
            for i in range(count)
        ]
