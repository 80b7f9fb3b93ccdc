"""What the driver reports about a bay, derived from its node containers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from magnum.common import states
from magnum.drivers import base
from magnum.drivers.local import layout


def first_master(nodes: Sequence[layout.NodeContainer]) -> layout.NodeContainer | None:
    running = [n for n in nodes if n.running and n.spec.role == layout.MASTER]
    return min(running, key=lambda n: n.spec, default=None)


def node_counts(nodes: Sequence[layout.NodeContainer]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for node in nodes:
        if node.running:
            counts[node.spec.nodegroup] = counts.get(node.spec.nodegroup, 0) + 1
    return counts


def nodegroup_addresses(nodes: Sequence[layout.NodeContainer]) -> dict[str, list[str]]:
    addresses: dict[str, list[str]] = {}
    for node in nodes:
        if node.running and node.address:
            addresses.setdefault(node.spec.nodegroup, []).append(node.address)
    return addresses


def cluster_status(
    status: str,
    nodes: Sequence[layout.NodeContainer],
    state_dir: str,
    version: str | None = None,
    reason: str | None = None,
) -> base.ClusterStatus:
    """The bay's addresses and counts, as its running node containers give them."""
    ordered = sorted((n for n in nodes if n.running), key=lambda n: n.spec)
    manager = first_master(ordered)
    return base.ClusterStatus(
        status=status,
        reason=reason,
        api_address=manager.spec.api_address(state_dir) if manager else None,
        master_addresses=[
            n.address for n in ordered if n.spec.role == layout.MASTER and n.address
        ],
        node_addresses=[n.address for n in ordered if n.spec.role != layout.MASTER and n.address],
        node_counts=node_counts(ordered),
        nodegroup_addresses=nodegroup_addresses(ordered),
        coe_version=version,
        container_version=version,
    )


def expected_counts(cluster: Any) -> dict[str, int] | None:
    """Node counts per nodegroup the bay record asks for, when it carries them."""
    nodegroups = getattr(cluster, "nodegroups", None)
    if nodegroups is None:
        return None
    return {ng.name: int(ng.node_count) for ng in nodegroups}


def sync_report(
    nodes: Sequence[layout.NodeContainer],
    expected: Mapping[str, int] | None,
    state_dir: str,
) -> base.ClusterStatus:
    """One bay's answer to ``sync_status``; see ``LocalDriver.sync_status``."""
    if not nodes:
        return base.ClusterStatus(
            status=states.DELETE_COMPLETE, reason="No node container exists.", gone=True
        )
    problems = [f"{n.spec.name} is {n.state}" for n in nodes if not n.running]
    counts = node_counts(nodes)
    for nodegroup, wanted in sorted((expected or {}).items()):
        have = counts.get(nodegroup, 0)
        if have != wanted:
            problems.append(f"nodegroup {nodegroup} has {have} of {wanted} nodes running")
    if problems:
        return cluster_status(
            states.CREATE_IN_PROGRESS, nodes, state_dir, reason="; ".join(problems) + "."
        )
    return cluster_status(states.CREATE_COMPLETE, nodes, state_dir)


def node_views(
    nodes: Sequence[layout.NodeContainer],
    swarm_entries: Mapping[str, Mapping[str, Any]] | None,
) -> list[base.NodeView]:
    """One NodeView per container; the swarm's view of it when the manager answered."""
    views = []
    for node in sorted(nodes, key=lambda n: n.spec):
        entry = (swarm_entries or {}).get(node.spec.name)
        labels = dict(node.spec.labels)
        if entry is not None:
            status = (entry.get("Status") or {}).get("State") or "unknown"
            labels.update((entry.get("Spec") or {}).get("Labels") or {})
        elif swarm_entries is not None and node.running:
            status = "not in swarm"
        else:
            status = node.state
        views.append(
            base.NodeView(
                name=node.spec.name,
                role=node.spec.role,
                nodegroup=node.spec.nodegroup,
                address=node.address,
                status=status,
                labels=labels,
            )
        )
    return views
