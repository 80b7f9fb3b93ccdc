"""The Docker Swarm of a bay: form it, check it, take nodes out of it.

Every step looks at what the nodes report before acting, so running it again
after a partial failure completes the swarm instead of breaking it: a manager
that already leads a swarm is kept, a node already in that swarm is left
alone, and a node in some other (or a broken) swarm leaves it and joins
again. Swarm nodes are matched to node containers by hostname, which is the
node name.

Swarm traffic uses the node addresses on the bay network, port 2377.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Mapping
from typing import Any

import docker

from magnum.drivers.local import engine, layout
from magnum.drivers.local.nodes import NodeHandle

SWARM_PORT = 2377
DEMOTE_TIMEOUT = 30
# A node's "swarm leave" takes about 1 s, and up to 6 s just after it joined.
# Its container is destroyed right after, so the leave is a courtesy: give it
# this long (as the victim client's timeout), then remove the node by force.
LEAVE_TIMEOUT = 2
# Task states in which a task still occupies its node.
_BUSY_TASK_STATES = frozenset(
    {"new", "pending", "assigned", "accepted", "preparing", "ready", "starting", "running"}
)


def local_state(client: docker.DockerClient) -> dict[str, Any]:
    return client.info().get("Swarm") or {}


def leads_swarm(node: NodeHandle) -> bool:
    state = local_state(node.client)
    return state.get("LocalNodeState") == "active" and bool(state.get("ControlAvailable"))


def ensure_manager(node: NodeHandle, heartbeat: float) -> str:
    """Make ``node`` a swarm manager, creating the swarm if needed; its node id."""
    with engine.backend_errors(f"Creating the swarm on node {node.spec.name}"):
        state = local_state(node.client)
        if state.get("LocalNodeState") == "active" and state.get("ControlAvailable"):
            return state["NodeID"]
        if state.get("LocalNodeState") not in (None, "", "inactive"):
            node.client.api.leave_swarm(force=True)
        spec = node.client.api.create_swarm_spec(dispatcher_heartbeat_period=int(heartbeat * 1e9))
        return node.client.api.init_swarm(
            advertise_addr=node.address,
            listen_addr=f"{node.address}:{SWARM_PORT}",
            swarm_spec=spec,
        )


def join_tokens(manager: NodeHandle) -> dict[str, str]:
    with engine.backend_errors(f"Reading the join tokens from {manager.spec.name}"):
        return manager.client.api.inspect_swarm()["JoinTokens"]


def member_ids(manager_client: docker.DockerClient) -> set[str]:
    with engine.backend_errors("Listing the swarm nodes"):
        return {entry["ID"] for entry in manager_client.api.nodes()}


def ensure_member(
    node: NodeHandle, manager: NodeHandle, tokens: Mapping[str, str], members: set[str]
) -> str:
    """Join ``node`` to the manager's swarm unless it is in it; its node id."""
    with engine.backend_errors(f"Joining node {node.spec.name} to the swarm"):
        state = local_state(node.client)
        if state.get("LocalNodeState") == "active" and state.get("NodeID") in members:
            return state["NodeID"]
        if state.get("LocalNodeState") not in (None, "", "inactive"):
            node.client.api.leave_swarm(force=True)
        token = tokens["Manager" if node.spec.role == layout.MASTER else "Worker"]
        node.client.api.join_swarm(
            remote_addrs=[f"{manager.address}:{SWARM_PORT}"],
            join_token=token,
            listen_addr=f"{node.address}:{SWARM_PORT}",
            advertise_addr=node.address,
        )
        return local_state(node.client)["NodeID"]


def wait_ready(manager_client: docker.DockerClient, node_ids: Mapping[str, str], timeout: float):
    """Wait until every node id (keyed by node name) is ``ready`` in the swarm."""
    wanted = set(node_ids.values())

    def all_ready() -> bool:
        entries = manager_client.api.nodes()
        ready = {e["ID"] for e in entries if (e.get("Status") or {}).get("State") == "ready"}
        return wanted <= ready

    engine.wait_until(f"{len(wanted)} swarm node(s) to be ready", all_ready, timeout, 0.1)


def prune(
    manager_client: docker.DockerClient,
    node_ids: Mapping[str, str],
    container_names: set[str],
) -> None:
    """Remove swarm entries of nodes that no longer exist or were replaced.

    ``node_ids`` maps the names of the nodes just checked to their node id; an
    entry with such a hostname but another id is a replaced node. Entries of
    hostnames with no container at all are gone nodes.
    """
    with engine.backend_errors("Removing stale swarm nodes"):
        for entry in manager_client.api.nodes():
            hostname = _hostname(entry)
            stale = hostname not in container_names or (
                hostname in node_ids and node_ids[hostname] != entry["ID"]
            )
            if stale:
                manager_client.api.remove_node(entry["ID"], force=True)


def apply_labels(
    manager_client: docker.DockerClient, node_id: str, labels: Mapping[str, str]
) -> None:
    """Add ``labels`` to the node's Spec.Labels, keeping labels set by others."""
    with engine.backend_errors("Labelling a swarm node"):
        entry = manager_client.api.inspect_node(node_id)
        spec = dict(entry["Spec"])
        current = spec.get("Labels") or {}
        merged = {**current, **labels}
        if merged != current:
            spec["Labels"] = merged
            manager_client.api.update_node(node_id, entry["Version"]["Index"], spec)


def node_entries(manager_client: docker.DockerClient) -> dict[str, dict[str, Any]]:
    """Swarm node entries by hostname; a ready entry wins over stale ones."""
    by_name: dict[str, dict[str, Any]] = {}
    for entry in manager_client.api.nodes():
        hostname = _hostname(entry)
        known = by_name.get(hostname)
        if known is None or (entry.get("Status") or {}).get("State") == "ready":
            by_name[hostname] = entry
    return by_name


def evict(
    manager_client: docker.DockerClient,
    name: str,
    victim_client: docker.DockerClient | None,
    drain_timeout: float,
) -> None:
    """Take node ``name`` out of the swarm: demote, drain, leave, remove."""
    with engine.backend_errors(f"Removing node {name} from the swarm"):
        entry = node_entries(manager_client).get(name)
        if entry is None:
            return
        spec = dict(entry["Spec"], Role="worker", Availability="drain")
        manager_client.api.update_node(entry["ID"], entry["Version"]["Index"], spec)
        if entry.get("ManagerStatus"):
            # The swarm refuses to remove a member of the raft until it is demoted.
            engine.wait_until(
                f"node {name} to be demoted",
                lambda: "ManagerStatus" not in manager_client.api.inspect_node(entry["ID"]),
                DEMOTE_TIMEOUT,
            )
        _wait_drained(manager_client, entry["ID"], drain_timeout)
        if victim_client is not None:
            # A node that cannot leave in time (or is dead) is removed by force below.
            with contextlib.suppress(Exception):
                victim_client.api.leave_swarm(force=True)
        manager_client.api.remove_node(entry["ID"], force=True)


def _wait_drained(manager_client: docker.DockerClient, node_id: str, timeout: float) -> None:
    """Give the node's tasks up to ``timeout`` to stop; then go on regardless."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        tasks = manager_client.api.tasks(filters={"node": node_id})
        if not any((t.get("Status") or {}).get("State") in _BUSY_TASK_STATES for t in tasks):
            return
        time.sleep(0.25)


def _hostname(entry: Mapping[str, Any]) -> str:
    return ((entry.get("Description") or {}).get("Hostname")) or ""
