"""The interface every bay driver implements.

A driver provisions the hosts of a bay (cluster) on some backend (Heat, a
local Docker engine, ...) and reports their state. It never writes to the
database and never raises HTTP errors: it returns values and raises
``magnum.common.exception`` errors, and the conductor, which holds the bay's
lock for the whole operation, records the outcome.

Two kinds of drivers exist:

* synchronous ones (``synchronous = True``, e.g. ``local``) finish the work
  before ``create``/``update``/``delete`` return. Each of those calls must be
  idempotent: if a conductor dies half-way, another conductor takes the bay
  over and calls the same method again, and it completes what is missing.
* asynchronous ones (``synchronous = False``, e.g. ``heat``) start the work and
  return; the conductor's periodic sync then calls ``sync_status`` until the
  backend reports a final state.

The objects passed in are ``magnum.objects`` instances (Cluster,
ClusterTemplate, NodeGroup) but drivers only read their attributes.
"""

from __future__ import annotations

import abc
import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

from magnum.common import exception


@dataclasses.dataclass(frozen=True)
class ClusterType:
    """What a driver provides: matched against a template's fields.

    ``os`` is matched against the template's ``cluster_distro``; ``"*"``
    matches any (drivers whose hosts are not booted from an OS image).
    """

    server_type: str
    os: str
    coe: str


@dataclasses.dataclass
class NodeView:
    """One host of a bay, as the backend sees it."""

    name: str
    role: str  # "master" or "worker"
    nodegroup: str
    address: str | None
    status: str  # driver-specific, e.g. "ready", "down", "missing"
    labels: dict[str, str] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class ClusterStatus:
    """A bay's state as the backend reports it.

    ``status`` is one of ``magnum.common.states``; ``gone`` means the backend
    holds nothing of the bay any more (it was deleted, or never created).
    ``node_counts`` maps nodegroup name to the number of nodes it really has.
    """

    status: str
    reason: str | None = None
    api_address: str | None = None
    master_addresses: list[str] | None = None
    node_addresses: list[str] | None = None
    node_counts: dict[str, int] | None = None
    coe_version: str | None = None
    container_version: str | None = None
    gone: bool = False


class ClusterDriver(abc.ABC):
    """Provisions and reports on the hosts of bays of the types it provides."""

    #: True when create/update/delete finish the work before returning.
    synchronous: bool = True

    @property
    @abc.abstractmethod
    def provides(self) -> Sequence[ClusterType]:
        """The (server_type, os, coe) triples this driver can build."""

    def needs_trust(self, cluster: Any) -> bool:
        """True when the driver acts for the bay's owner after the request ends.

        The conductor then creates a Keystone trustee user and a trust from the
        bay's creator before ``create`` (stored on the bay as ``trust_id``,
        ``trustee_*``) and deletes both with the bay. Heat-based drivers need
        this; the default is False.
        """
        return False

    def validate(self, context: Any, cluster_template: Any) -> None:  # noqa: B027
        """Check a template against the backend (images, flavors, ...).

        Runs in the conductor, never in the API. Raise ``exception.Invalid``
        (or a subclass) with a message fit for the user. The default accepts
        everything.
        """

    @abc.abstractmethod
    def create(
        self, context: Any, cluster: Any, cluster_template: Any, nodegroups: Sequence[Any]
    ) -> ClusterStatus:
        """Build the bay's hosts: one set of nodes per nodegroup.

        Returns the bay's state when done (synchronous drivers) or once the
        backend accepted the work (asynchronous drivers).
        """

    @abc.abstractmethod
    def update(
        self,
        context: Any,
        cluster: Any,
        cluster_template: Any,
        nodegroup: Any,
        node_count: int,
        nodes_to_remove: Sequence[str] = (),
    ) -> ClusterStatus:
        """Resize ``nodegroup`` to ``node_count`` nodes.

        ``nodes_to_remove`` names the nodes (as ``NodeView.name``) to take out
        first when shrinking.
        """

    @abc.abstractmethod
    def delete(self, context: Any, cluster: Any) -> ClusterStatus:
        """Remove everything the driver created for the bay.

        Must succeed (``gone=True``) when some or all of it is already gone.
        """

    @abc.abstractmethod
    def sync_status(self, context: Any, clusters: Iterable[Any]) -> dict[str, ClusterStatus]:
        """Report the state of many bays at once, keyed by bay uuid.

        Called by the periodic sync with every in-progress bay this conductor
        owns: one backend listing for all of them, not one call per bay.
        A bay missing from the answer is reported as ``gone``.
        """

    @abc.abstractmethod
    def list_nodes(self, context: Any, cluster: Any) -> list[NodeView]:
        """The bay's hosts as the backend sees them."""

    def upgrade(  # noqa: B027
        self,
        context: Any,
        cluster: Any,
        cluster_template: Any,
        nodegroup: Any,
        max_batch_size: int,
    ) -> ClusterStatus:
        raise exception.NotSupported(operation="Upgrading a cluster with this driver")

    def docker_client(self, context: Any, cluster: Any, node: str | None = None) -> Any:
        """A ``docker.DockerClient`` for one node of the bay (default: a master).

        Used by ``magnum.coe.docker`` to run containers on the bay.
        """
        raise exception.NotSupported(operation="The Docker API of this cluster type")
