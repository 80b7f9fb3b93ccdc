"""Bring a bay to a plan: keep some nodes, start the missing ones, remove the rest.

``create`` and ``update`` both compute a ``Plan`` from what the host engine
lists, then ``apply_plan`` carries it out:

1. victims leave the swarm (managers one at a time, then workers in
   parallel) and their container, volume and socket directory go;
2. every node that stays or is new is brought up on a bounded thread pool:
   new ones are started, all are waited for until their dockerd answers;
3. the first master that leads the swarm stays its manager (or the first
   master creates it) and the other nodes join as soon as each is up; swarm
   entries of replaced or vanished nodes are removed; nodes get their labels.

A node that exists but is not running is replaced by a fresh one of the same
name, so running a plan again after a failure completes the bay.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import docker
from oslo_log import log as logging

from magnum import conf
from magnum.common import exception
from magnum.drivers.local import engine, image, layout, network, nodes, swarm

CONF = conf.CONF
LOG = logging.getLogger(__name__)

Futures = dict[str, concurrent.futures.Future]
Report = Callable[..., None]  # (step, done=None, total=None), as ClusterOperation.report
STARTING = "starting node containers"
JOINING = "forming swarm (nodes joined)"


def _no_report(step: str, done: int | None = None, total: int | None = None) -> None:
    return None


@dataclasses.dataclass(frozen=True)
class GroupTarget:
    """A nodegroup as the driver needs it: role, wanted size, swarm labels."""

    name: str
    role: str
    count: int
    labels: dict[str, str]

    @classmethod
    def of(cls, nodegroup: Any, count: int | None = None) -> GroupTarget:
        role = layout.MASTER if nodegroup.role == layout.MASTER else layout.WORKER
        labels = {str(k): str(v) for k, v in (nodegroup.node_labels or {}).items()}
        labels.update({layout.LABEL_NODEGROUP: nodegroup.name, layout.LABEL_ROLE: role})
        total = nodegroup.node_count if count is None else count
        return cls(nodegroup.name, role, int(total), labels)


@dataclasses.dataclass
class Plan:
    """What one operation does: keep these nodes, start those, remove the rest."""

    cluster_uuid: str
    keep: list[layout.NodeContainer] = dataclasses.field(default_factory=list)
    add: list[layout.NodeSpec] = dataclasses.field(default_factory=list)
    victims: list[layout.NodeContainer] = dataclasses.field(default_factory=list)
    labels: dict[str, dict[str, str]] = dataclasses.field(default_factory=dict)

    def resize(
        self,
        group: GroupTarget,
        mine: Sequence[layout.NodeContainer],
        remove_first: Iterable[int] = (),
    ) -> None:
        """Bring ``group`` (whose containers are ``mine``) to its count."""
        dead = [n.spec.index for n in mine if not n.running]
        remove, add = layout.plan_resize(
            [n.spec.index for n in mine], group.count, [*remove_first, *dead]
        )
        self.keep += [n for n in mine if n.spec.index not in remove]
        self.victims += [n for n in mine if n.spec.index in remove]
        self.add += [layout.NodeSpec(self.cluster_uuid, group.name, group.role, i) for i in add]
        self.labels[group.name] = group.labels

    def leave_alone(self, others: Iterable[layout.NodeContainer]) -> None:
        """Nodes of other nodegroups: kept in the swarm as they are, if running."""
        self.keep += [n for n in others if n.running]

    def specs(self) -> list[layout.NodeSpec]:
        return sorted([n.spec for n in self.keep] + self.add)


def manager_client(
    candidates: Iterable[layout.NodeContainer], state_dir: str
) -> docker.DockerClient | None:
    """A client of a running master that leads the swarm, if any answers."""
    for node in sorted(candidates, key=lambda n: n.spec):
        if node.spec.role != layout.MASTER or not node.running:
            continue
        client = engine.node_client(node.spec.socket_path(state_dir))
        try:
            if swarm.leads_swarm(nodes.NodeHandle(node.spec, node.address or "", client)):
                return client
        except Exception as e:  # a master that does not answer is skipped
            LOG.debug("Master %s does not answer: %s", node.spec.name, engine.describe(e))
        client.close()
    return None


class _Run:
    """One application of a plan, with what its steps share."""

    def __init__(self, host: docker.DockerClient, security: nodes.NodeSecurity) -> None:
        self.host = host
        self.security = security
        self.state_dir = CONF.local.state_dir
        self.timeout = CONF.local.node_ready_timeout
        self.pool = concurrent.futures.ThreadPoolExecutor(CONF.local.max_parallel_nodes)

    def attach(self, node: layout.NodeContainer) -> nodes.NodeHandle:
        client = nodes.wait_for_api(self.host, node.spec, self.state_dir, self.timeout)
        if not node.address:
            client.close()
            raise exception.DriverError(reason=f"Node {node.spec.name} has no network address.")
        return nodes.NodeHandle(node.spec, node.address, client)

    def start(self, spec: layout.NodeSpec, bay_network: str) -> nodes.NodeHandle:
        address, used = nodes.start_node(
            self.host, spec, CONF.local.node_image, bay_network, self.state_dir,
            self.security.mode(), fallback=CONF.local.node_security == nodes.AUTO,
        )  # fmt: skip
        self.security.learn(used)
        client = nodes.wait_for_api(self.host, spec, self.state_dir, self.timeout)
        return nodes.NodeHandle(spec, address, client)

    def remove(self, victims: Sequence[layout.NodeContainer], survivors) -> None:
        """Take ``victims`` out of the swarm (if it answers), then remove them."""
        manager = manager_client(survivors, self.state_dir)
        if manager is not None:
            try:
                running = [v for v in victims if v.running]
                for victim in running:  # managers first, in turn, to keep the quorum
                    if victim.spec.role == layout.MASTER:
                        self._evict(manager, victim)
                workers = [v for v in running if v.spec.role != layout.MASTER]
                _wait_all(self.pool.submit(self._evict, manager, v) for v in workers)
            finally:
                manager.close()
        _wait_all(
            self.pool.submit(nodes.remove_node_objects, self.host, v.spec, self.state_dir)
            for v in victims
        )

    def _evict(self, manager: docker.DockerClient, victim: layout.NodeContainer) -> None:
        client = engine.node_client(victim.spec.socket_path(self.state_dir), swarm.LEAVE_TIMEOUT)
        try:
            swarm.evict(manager, victim.spec.name, client, CONF.local.drain_timeout)
        finally:
            client.close()

    def form_swarm(
        self, handles: Futures, specs, names: set[str], labels, report: Report = _no_report
    ) -> str:
        """Make the swarm hold exactly ``specs``; the manager's Docker version."""
        masters = [s for s in specs if s.role == layout.MASTER]
        manager = None
        for spec in masters:
            with engine.backend_errors(f"Reading the swarm state of node {spec.name}"):
                if swarm.leads_swarm(handles[spec.name].result()):
                    manager = handles[spec.name].result()
                    break
        manager = manager or handles[masters[0].name].result()
        node_ids = {manager.spec.name: swarm.ensure_manager(manager, CONF.local.swarm_heartbeat)}
        tokens = swarm.join_tokens(manager)
        members = swarm.member_ids(manager.client)

        def join(spec: layout.NodeSpec) -> str:
            return swarm.ensure_member(handles[spec.name].result(), manager, tokens, members)

        # Raft membership changes one at a time: managers join in turn.
        for spec in masters:
            if spec.name not in node_ids:
                node_ids[spec.name] = join(spec)
        report(JOINING, len(node_ids), len(specs))
        workers = [s for s in specs if s.role != layout.MASTER]
        joins = [self.pool.submit(join, s) for s in workers]
        for joined, _ in enumerate(concurrent.futures.as_completed(joins), len(node_ids) + 1):
            report(JOINING, joined, len(specs))
        node_ids.update(zip((s.name for s in workers), _wait_all(joins), strict=True))
        report("waiting for the swarm to report every node ready")
        swarm.wait_ready(manager.client, node_ids, self.timeout)
        swarm.prune(manager.client, node_ids, names)
        for spec in specs:
            if spec.nodegroup in labels:
                swarm.apply_labels(manager.client, node_ids[spec.name], labels[spec.nodegroup])
        with engine.backend_errors("Reading the Docker version of the bay"):
            return manager.client.version()["Version"]


def apply_plan(
    host: docker.DockerClient,
    current: Sequence[layout.NodeContainer],
    plan: Plan,
    security: nodes.NodeSecurity,
    report: Report = _no_report,
) -> str:
    """Carry out ``plan``; returns the Docker version the bay's manager runs.

    ``report(step, done, total)`` hears of each step (ClusterOperation.report).
    """
    state_dir = CONF.local.state_dir
    layout.check_socket_paths(state_dir, plan.add)
    specs = plan.specs()
    if not any(s.role == layout.MASTER for s in specs):
        raise exception.DriverError(reason=f"Bay {plan.cluster_uuid} has no master node left.")
    bay_network = ""
    if plan.add:
        image.ensure_node_image(host, CONF.local.node_image)
        bay_network = network.ensure_network(host, plan.cluster_uuid, CONF.local.subnet_pool)
    gone = {v.spec.name for v in plan.victims}
    names = {n.spec.name for n in current if n.spec.name not in gone}
    names |= {s.name for s in plan.add}
    run = _Run(host, security)
    handles: Futures = {}
    try:
        if plan.victims:
            report("removing nodes", 0, len(plan.victims))
            run.remove(plan.victims, plan.keep)
        for node in plan.keep:
            handles[node.spec.name] = run.pool.submit(run.attach, node)
        starts = []
        for spec in sorted(plan.add):  # masters first: the swarm starts with them
            handles[spec.name] = run.pool.submit(run.start, spec, bay_network)
            starts.append(handles[spec.name])
        if starts:
            report(STARTING, 0, len(starts))
            for started, _ in enumerate(concurrent.futures.as_completed(starts), 1):
                report(STARTING, started, len(starts))
        return run.form_swarm(handles, specs, names, plan.labels, report)
    finally:
        run.pool.shutdown(wait=True)  # every step has a timeout, so this ends
        for future in handles.values():
            if not future.exception():
                future.result().client.close()


def _wait_all(futures: Iterable[concurrent.futures.Future]) -> list[Any]:
    """Results in order, after every future is done; the first error is raised."""
    futures = list(futures)
    concurrent.futures.wait(futures)
    return [f.result() for f in futures]
