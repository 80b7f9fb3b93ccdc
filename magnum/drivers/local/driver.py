"""The ``local`` bay driver: a bay's nodes are Docker-in-Docker containers.

Each node is a container on the host engine (``[local] docker_url``) running
its own dockerd; the nodes of a bay form a real Docker Swarm (swarm mode),
for both the ``swarm`` and ``swarm-mode`` COEs.

Nodegroups map onto the swarm this way:

* role ``master``: swarm managers, ``node_count`` of them (normally 1). The
  first master (masters sorted by nodegroup name, then index) creates the
  swarm; other masters join with the manager token. A master nodegroup never
  shrinks below one node (``exception.Invalid``).
* any other role: swarm workers. Extra worker nodegroups are more workers.
* every swarm node gets Spec.Labels ``magnum.nodegroup`` and ``magnum.role``
  plus its nodegroup's ``node_labels``.

Node ``i`` of nodegroup ``ng`` is named ``magnum-<uuid[:8]>-<ng>-<i>`` (its
container name, hostname and ``NodeView.name``); ``layout`` has the labels
and paths, ``network`` the per-bay ``--internal`` network, ``nodes`` the node
containers, ``swarm`` the swarm steps and ``image`` the node image.

The driver is synchronous and keeps no state between calls: it lists what
exists by labels, compares it with what should exist and does the difference.
So ``create``, ``update`` and ``delete`` are idempotent, and running one again
after a conductor died half-way completes it. Failures raise
``exception.DriverError`` with a reason for the user; ``create`` never returns
CREATE_FAILED itself, the conductor records that from the exception.

Limits of local bays: the kernel may lack IPVS, so services should use
``endpoint_mode=dnsrr`` and host-mode published ports; nodes have no way out
of the host (internal network) and no registry, so images reach them through
``ensure_image``.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import shutil
import threading
from collections.abc import Iterable, Sequence
from typing import Any

import docker
import docker.errors

from magnum import conf
from magnum.common import exception, states
from magnum.drivers import base
from magnum.drivers.local import (
    engine,
    image_copy,
    layout,
    network,
    nodes,
    reconcile,
    status,
    swarm,
)

CONF = conf.CONF


class LocalDriver(base.ClusterDriver):
    synchronous = True
    capabilities = frozenset({base.IMAGE_COPY})
    network_drivers = {"swarm": ("docker", "flannel"), "swarm-mode": ("docker", "flannel")}
    volume_drivers = {"swarm": ("rexray",), "swarm-mode": ("rexray",)}

    def __init__(self) -> None:
        self._host_lock = threading.Lock()
        self._host_client: tuple[str, docker.DockerClient] | None = None
        self._security = nodes.NodeSecurity()

    @property
    def provides(self) -> Sequence[base.ClusterType]:
        return (
            base.ClusterType("local", "*", "swarm"),
            base.ClusterType("local", "*", "swarm-mode"),
        )

    # -- the ClusterDriver interface -------------------------------------

    def create(
        self,
        context: Any,
        cluster: Any,
        cluster_template: Any,
        nodegroups: Sequence[Any],
        operation: base.ClusterOperation = base.NO_OPERATION,
    ) -> base.ClusterStatus:
        groups = [reconcile.GroupTarget.of(ng) for ng in nodegroups]
        if not any(g.role == layout.MASTER and g.count >= 1 for g in groups):
            raise exception.Invalid("A local bay needs a master nodegroup with at least one node.")
        host = self._host()
        current = self._inventory(host, cluster.uuid)
        plan = reconcile.Plan(cluster.uuid)
        for group in groups:
            plan.resize(group, [n for n in current if n.spec.nodegroup == group.name])
        named = {g.name for g in groups}
        plan.leave_alone(n for n in current if n.spec.nodegroup not in named)
        version = reconcile.apply_plan(host, current, plan, self._security, operation.report)
        return self._report(host, cluster.uuid, states.CREATE_COMPLETE, version)

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
        group = reconcile.GroupTarget.of(nodegroup, node_count)
        if group.count < 0 or (group.role == layout.MASTER and group.count < 1):
            raise exception.Invalid(
                f"Nodegroup {group.name} of a local bay cannot have {group.count} nodes: "
                "a master nodegroup keeps at least one."
            )
        host = self._host()
        current = self._inventory(host, cluster.uuid)
        plan = reconcile.Plan(cluster.uuid)
        plan.resize(
            group,
            [n for n in current if n.spec.nodegroup == group.name],
            _named_indices(current, group, nodes_to_remove),
        )
        plan.leave_alone(n for n in current if n.spec.nodegroup != group.name)
        version = reconcile.apply_plan(host, current, plan, self._security, operation.report)
        return self._report(host, cluster.uuid, states.UPDATE_COMPLETE, version)

    def delete(
        self, context: Any, cluster: Any, operation: base.ClusterOperation = base.NO_OPERATION
    ) -> base.ClusterStatus:
        host = self._host()
        found = layout.cluster_filter(cluster.uuid)
        with engine.backend_errors(f"Removing the node containers of bay {cluster.uuid}"):
            containers = host.api.containers(all=True, filters=found)
            _in_parallel(
                lambda c: _ignore_missing(host.api.remove_container, c["Id"], v=True, force=True),
                containers,
            )
        with engine.backend_errors(f"Removing the volumes of bay {cluster.uuid}"):
            for volume in host.api.volumes(filters=found).get("Volumes") or []:
                _ignore_missing(host.api.remove_volume, volume["Name"], force=True)
        network.remove_networks(host, cluster.uuid)
        shutil.rmtree(layout.bay_dir(CONF.local.state_dir, cluster.uuid), ignore_errors=True)
        return base.ClusterStatus(status=states.DELETE_COMPLETE, gone=True)

    def sync_status(self, context: Any, clusters: Iterable[Any]) -> dict[str, base.ClusterStatus]:
        """The state of each bay from one listing of the host's node containers.

        Per bay uuid:

        * no node container: ``gone=True``, status DELETE_COMPLETE.
        * every container running and, when the bay object carries
          ``nodegroups``, as many running nodes per nodegroup as their
          ``node_count``: CREATE_COMPLETE with the addresses and counts (no
          ``coe_version``: that would need a call per bay).
        * otherwise CREATE_IN_PROGRESS, with a reason naming the containers
          not running and the nodegroups short of nodes.

        The statuses say "complete" or "not complete"; the conductor maps them
        onto the operation the bay is in (and re-runs it, the driver being
        synchronous).
        """
        clusters = list(clusters)
        if not clusters:
            return {}
        host = self._host(ping=False)
        with engine.backend_errors("Listing the node containers of local bays"):
            summaries = host.api.containers(all=True, filters={"label": layout.LABEL_CLUSTER})
        bays = layout.parse_listing(summaries)
        state_dir = CONF.local.state_dir
        return {
            c.uuid: status.sync_report(bays.get(c.uuid, []), status.expected_counts(c), state_dir)
            for c in clusters
        }

    def list_nodes(self, context: Any, cluster: Any) -> list[base.NodeView]:
        host = self._host()
        current = self._inventory(host, cluster.uuid)
        entries = None
        manager = reconcile.manager_client(current, CONF.local.state_dir)
        if manager is not None:
            try:
                with engine.backend_errors("Listing the swarm nodes"):
                    entries = swarm.node_entries(manager)
            except exception.DriverError:
                entries = None  # fall back to the container states
            finally:
                manager.close()
        return status.node_views(current, entries)

    def endpoints(self, context: Any, cluster: Any, kind: str) -> list[base.Endpoint]:
        """The unix socket of each node's dockerd; the first master's is the bay's.

        Plain sockets for now: TLS endpoints come with the bay's CA.
        """
        if kind != "docker":
            raise exception.NotSupported(operation=f"The {kind} API of a local bay")
        current = self._inventory(self._host(), cluster.uuid)
        state_dir = CONF.local.state_dir
        found = [
            base.Endpoint("docker", f"unix://{n.spec.socket_path(state_dir)}", node=n.spec.name)
            for n in current
        ]
        master = status.first_master(current)
        if master is not None:
            url = f"unix://{master.spec.socket_path(state_dir)}"
            found.insert(0, base.Endpoint("docker", url, node=None))
        return found

    def ensure_image(
        self, context: Any, cluster: Any, image: str, nodes: list[str] | None = None
    ) -> None:
        """Copy ``image`` from the host engine into the bay's nodes (default: all).

        Nodes that already hold the same image id are skipped. Raises
        ResourceNotFound for an image the host does not have, or a node name
        that is not the bay's.
        """
        host = self._host()
        current = [n for n in self._inventory(host, cluster.uuid) if n.running]
        if nodes is None:
            targets = [n.spec for n in current]
        else:
            targets = [self._find_node(cluster, name, current).spec for name in nodes]
        image_copy.copy_image(
            host, image, targets, CONF.local.state_dir, CONF.local.max_parallel_nodes
        )

    # -- helpers ----------------------------------------------------------

    def _host(self, ping: bool = True) -> docker.DockerClient:
        url = CONF.local.docker_url
        with self._host_lock:
            if self._host_client is None or self._host_client[0] != url:
                if self._host_client is not None:
                    self._host_client[1].close()
                self._host_client = (url, engine.host_client())
            client = self._host_client[1]
        if ping:
            engine.ping_host(client)
        return client

    def _inventory(
        self, host: docker.DockerClient, cluster_uuid: str
    ) -> list[layout.NodeContainer]:
        with engine.backend_errors(f"Listing the node containers of bay {cluster_uuid}"):
            summaries = host.api.containers(all=True, filters=layout.cluster_filter(cluster_uuid))
        return layout.parse_listing(summaries).get(cluster_uuid, [])

    def _find_node(
        self, cluster: Any, name: str | None, current: list[layout.NodeContainer] | None = None
    ) -> layout.NodeContainer:
        if current is None:
            current = self._inventory(self._host(), cluster.uuid)
        if name is None:
            found = status.first_master(current)
        else:
            found = next((n for n in current if n.spec.name == name), None)
        if found is None:
            raise exception.ResourceNotFound(
                resource="Node", ident=name or f"master of {cluster.uuid}"
            )
        return found

    def _report(
        self, host, cluster_uuid: str, status_name: str, version: str
    ) -> base.ClusterStatus:
        current = self._inventory(host, cluster_uuid)
        return status.cluster_status(status_name, current, CONF.local.state_dir, version)


def _named_indices(
    current: Sequence[layout.NodeContainer],
    group: reconcile.GroupTarget,
    names: Sequence[str],
) -> list[int]:
    """Indices of the named nodes; names no longer present are skipped."""
    by_name = {n.spec.name: n for n in current}
    indices = []
    for name in names:
        node = by_name.get(name)
        if node is None:
            continue  # already gone: a re-run of an interrupted resize
        if node.spec.nodegroup != group.name:
            raise exception.Invalid(f"Node {name} is not in nodegroup {group.name}.")
        indices.append(node.spec.index)
    return indices


def _ignore_missing(call, *args, **kwargs) -> None:
    with contextlib.suppress(docker.errors.NotFound):
        call(*args, **kwargs)


def _in_parallel(call, items: Sequence[Any]) -> None:
    if not items:
        return
    workers = max(1, min(CONF.local.max_parallel_nodes, len(items)))
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        for future in [pool.submit(call, item) for item in items]:
            future.result()
