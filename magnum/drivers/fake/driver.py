"""A driver that provisions nothing: bays live in memory (``server_type = fake``).

Registered like the real drivers, it lets unit and API tests run the whole
road (API → conductor → driver → recorded state) without a backend. Its
behaviour is steered by the bay's labels:

* ``fake_fail``: an operation name (``create``, ``update``, ``delete``) that
  raises a ``DriverError`` with the label ``fake_reason`` as its reason;
* ``fake_async``: any value makes create/update/delete return the
  in-progress state, to be finished on the status sync's next pass: by
  ``sync_status`` when the driver runs asynchronously, else by the sync's
  takeover, whose repeated call completes the pending operation;
* ``fake_trust``: any value makes the bay ask for a Keystone trust
  (``needs_trust``), as a Heat bay does;
* ``fake_delay``: seconds create/update/delete take before answering, so
  tests can act while the conductor holds the bay's lock (conflicting
  requests, timeouts, a conductor killed mid-operation).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from typing import Any

from magnum.common import exception, states
from magnum.drivers import base

COES = ("swarm", "swarm-mode", "kubernetes", "mesos")


class FakeDriver(base.ClusterDriver):
    synchronous = True
    # The names upstream's drivers accept per COE, so API tests see real rules.
    network_drivers = {
        "kubernetes": ("flannel", "calico", "cilium"),
        "swarm": ("docker", "flannel"),
        "swarm-mode": ("docker", "flannel"),
        "mesos": ("docker",),
    }
    volume_drivers = {
        "kubernetes": ("cinder",),
        "swarm": ("rexray",),
        "swarm-mode": ("rexray",),
        "mesos": ("rexray",),
    }

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.clusters: dict[str, dict[str, int]] = {}
        self.pending: dict[str, str] = {}

    @property
    def provides(self) -> Sequence[base.ClusterType]:
        return [base.ClusterType("fake", "*", coe) for coe in COES]

    def _labels(self, cluster: Any) -> dict[str, Any]:
        return cluster.labels or {}

    def validate(self, context: Any, cluster_template: Any) -> None:
        reason = (cluster_template.labels or {}).get("fake_invalid")
        if reason:
            raise exception.Invalid(f"Template refused by the fake backend: {reason}")

    def needs_trust(self, cluster: Any) -> bool:
        return bool(self._labels(cluster).get("fake_trust"))

    def _maybe_fail(self, cluster: Any, operation: str) -> None:
        labels = self._labels(cluster)
        if labels.get("fake_delay"):
            try:
                delay = float(labels["fake_delay"])
            except ValueError as err:
                raise exception.DriverError(
                    reason=f"label fake_delay={labels['fake_delay']!r} is not a number"
                ) from err
            time.sleep(delay)
        if labels.get("fake_fail") == operation:
            raise exception.DriverError(
                reason=labels.get("fake_reason", f"fake {operation} failure")
            )

    def _status(self, cluster: Any, status: str, wait: bool = True) -> base.ClusterStatus:
        counts = self.clusters.get(cluster.uuid, {})
        masters = [f"10.0.0.{i + 1}" for i in range(counts.get("default-master", 0))]
        workers = [
            f"10.0.1.{i + 1}"
            for i in range(sum(n for name, n in counts.items() if name != "default-master"))
        ]
        if wait and self._labels(cluster).get("fake_async") and status not in states.FAILED:
            if self.pending.get(cluster.uuid) == status:
                del self.pending[cluster.uuid]  # the repeated call finishes it
            else:
                self.pending[cluster.uuid] = status
                status = status.replace("COMPLETE", "IN_PROGRESS")
        return base.ClusterStatus(
            status=status,
            api_address=f"fake://{cluster.uuid}",
            stack_id=f"fake-stack-{cluster.uuid}",
            master_addresses=masters,
            node_addresses=workers,
            node_counts=dict(counts),
        )

    def create(
        self,
        context: Any,
        cluster: Any,
        cluster_template: Any,
        nodegroups: Sequence[Any],
        operation: base.ClusterOperation = base.NO_OPERATION,
    ) -> base.ClusterStatus:
        operation.report("creating fake nodes")
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
        operation: base.ClusterOperation = base.NO_OPERATION,
    ) -> base.ClusterStatus:
        self._maybe_fail(cluster, "update")
        with self._lock:
            counts = self.clusters.setdefault(cluster.uuid, {})
            unchanged = counts.get(nodegroup.name) == node_count
            counts[nodegroup.name] = node_count
        if unchanged and cluster.uuid not in self.pending:
            # Nothing to do, so nothing to wait for: a takeover's converge
            # calls this for every nodegroup, not only the resized one.
            return self._status(cluster, states.UPDATE_COMPLETE, wait=False)
        return self._status(cluster, states.UPDATE_COMPLETE)

    def delete(
        self, context: Any, cluster: Any, operation: base.ClusterOperation = base.NO_OPERATION
    ) -> base.ClusterStatus:
        self._maybe_fail(cluster, "delete")
        with self._lock:
            self.clusters.pop(cluster.uuid, None)
        # A repeated call (the sync's takeover) finds the delete done.
        if (
            self._labels(cluster).get("fake_async")
            and self.pending.pop(cluster.uuid, None) != states.DELETE_COMPLETE
        ):
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
