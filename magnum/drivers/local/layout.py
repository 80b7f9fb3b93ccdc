"""Names, labels and paths of a local bay's Docker objects.

Everything a local bay owns on the host engine carries the label
``magnum.cluster=<bay uuid>``; node containers and their volumes also carry
the nodegroup, role and index of the node. The driver finds all of it again
through these labels, so it keeps no state of its own between calls and a
restarted conductor picks up where the last one stopped.

A node is named ``magnum-<first 8 of the bay uuid>-<nodegroup>-<index>``; the
same string is its container name, its hostname (so swarm nodes map back to
containers) and ``NodeView.name``. Its Docker API socket lives on the host at
``<state_dir>/<bay uuid>/<nodegroup>-<index>/docker.sock``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from typing import Any

from magnum.common import exception

LABEL_CLUSTER = "magnum.cluster"
LABEL_NODEGROUP = "magnum.nodegroup"
LABEL_ROLE = "magnum.role"
LABEL_INDEX = "magnum.node.index"

MASTER = "master"
WORKER = "worker"

# Linux keeps unix socket paths in a 108-byte sun_path, NUL included.
MAX_SOCKET_PATH = 107
SOCKET_NAME = "docker.sock"
# Hostnames may hold 63 characters; this leaves room for the prefix and index.
_MAX_SLUG = 40


def slug(nodegroup: str) -> str:
    """A hostname-safe form of a nodegroup name, unique per distinct name."""
    clean = re.sub(r"[^a-z0-9-]+", "-", nodegroup.lower()).strip("-")[:_MAX_SLUG]
    if clean != nodegroup:
        # Two names that clean up the same ("a_b", "a.b") must still differ.
        clean = f"{clean[: _MAX_SLUG - 7]}-{_short_hash(nodegroup)}"
    return clean.strip("-") or "ng"


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:6]


def bay_dir(state_dir: str, cluster_uuid: str) -> str:
    return os.path.join(state_dir, cluster_uuid)


def network_name(cluster_uuid: str) -> str:
    return f"magnum-{cluster_uuid}"


def cluster_filter(cluster_uuid: str) -> dict[str, str]:
    return {"label": f"{LABEL_CLUSTER}={cluster_uuid}"}


@dataclasses.dataclass(frozen=True, order=True)
class NodeSpec:
    """One node a bay should have. Sorting puts masters first, then by name."""

    rank: int = dataclasses.field(init=False, repr=False)
    cluster_uuid: str
    nodegroup: str
    role: str
    index: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "rank", 0 if self.role == MASTER else 1)

    @property
    def name(self) -> str:
        return f"magnum-{self.cluster_uuid[:8]}-{slug(self.nodegroup)}-{self.index}"

    @property
    def volume(self) -> str:
        return f"{self.name}-docker"

    @property
    def labels(self) -> dict[str, str]:
        return {
            LABEL_CLUSTER: self.cluster_uuid,
            LABEL_NODEGROUP: self.nodegroup,
            LABEL_ROLE: self.role,
            LABEL_INDEX: str(self.index),
        }

    def socket_dir(self, state_dir: str) -> str:
        return os.path.join(
            bay_dir(state_dir, self.cluster_uuid), f"{slug(self.nodegroup)}-{self.index}"
        )

    def socket_path(self, state_dir: str) -> str:
        return os.path.join(self.socket_dir(state_dir), SOCKET_NAME)

    def api_address(self, state_dir: str) -> str:
        return f"unix://{self.socket_path(state_dir)}"


@dataclasses.dataclass(frozen=True)
class NodeContainer:
    """A node container as one listing of the host engine shows it."""

    spec: NodeSpec
    id: str
    state: str  # Docker's container state: running, exited, restarting, ...
    address: str | None

    @property
    def running(self) -> bool:
        return self.state == "running"

    @classmethod
    def from_summary(cls, summary: dict[str, Any]) -> NodeContainer | None:
        """Parse one entry of ``GET /containers/json``; None if it is no node."""
        labels = summary.get("Labels") or {}
        try:
            spec = NodeSpec(
                cluster_uuid=labels[LABEL_CLUSTER],
                nodegroup=labels[LABEL_NODEGROUP],
                role=labels[LABEL_ROLE],
                index=int(labels[LABEL_INDEX]),
            )
        except (KeyError, ValueError):
            return None
        networks = (summary.get("NetworkSettings") or {}).get("Networks") or {}
        own = networks.get(network_name(spec.cluster_uuid)) or {}
        return cls(
            spec=spec,
            id=summary.get("Id", ""),
            state=summary.get("State", "unknown"),
            address=own.get("IPAddress") or None,
        )


def parse_listing(summaries: Iterable[dict[str, Any]]) -> dict[str, list[NodeContainer]]:
    """Node containers of a host listing, grouped by bay uuid and sorted."""
    bays: dict[str, list[NodeContainer]] = {}
    for summary in summaries:
        node = NodeContainer.from_summary(summary)
        if node is not None:
            bays.setdefault(node.spec.cluster_uuid, []).append(node)
    for nodes in bays.values():
        nodes.sort(key=lambda n: n.spec)
    return bays


def check_socket_paths(state_dir: str, specs: Iterable[NodeSpec]) -> None:
    """Fail before starting anything if a node's socket path cannot be bound."""
    for spec in specs:
        path = spec.socket_path(state_dir)
        if len(os.fsencode(path)) > MAX_SOCKET_PATH:
            raise exception.DriverError(
                reason=f"The Docker API socket path of node {spec.name} would be "
                f"{len(os.fsencode(path))} bytes long, more than the {MAX_SOCKET_PATH} "
                "a unix socket allows; set [local] state_dir to a shorter directory."
            )


def plan_resize(
    present: Sequence[int], count: int, remove_first: Iterable[int] = ()
) -> tuple[list[int], list[int]]:
    """Indices to remove and to add so that a nodegroup ends with ``count`` nodes.

    ``remove_first`` go first; then the highest indices while there are too
    many. New nodes take the lowest free indices, so names stay compact.
    """
    doomed = set(remove_first) & set(present)
    keep = sorted(i for i in set(present) if i not in doomed)
    remove = sorted(doomed)
    while len(keep) > count:
        remove.append(keep.pop())
    add: list[int] = []
    candidate = 0
    while len(keep) + len(add) < count:
        if candidate not in keep:
            add.append(candidate)
        candidate += 1
    return remove, add
