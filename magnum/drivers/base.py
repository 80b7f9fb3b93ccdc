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

What a driver gives back for the rest of magnum to talk to a bay is data,
not clients: ``endpoints`` lists ``Endpoint`` values (an address plus TLS
material, or a unix socket) and ``magnum.coe`` builds the Docker or
Kubernetes clients from them. Optional abilities are declared in
``capabilities`` (e.g. ``IMAGE_COPY``) so callers never probe with
``getattr``. Long operations receive a ``ClusterOperation``: the bay's PKI,
progress reports and cancellation checks, all owned by the conductor.
"""

from __future__ import annotations

import abc
import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from magnum.common import exception

#: Capability: ``ensure_image`` copies images into a bay's nodes from where
#: the backend keeps them (bays without a registry, e.g. local ones).
IMAGE_COPY = "image_copy"
#: Capability: ``upgrade`` is implemented.
UPGRADE = "upgrade"
#: Capability: ``rotate_ca`` is implemented.
ROTATE_CA = "rotate_ca"


@dataclasses.dataclass(frozen=True)
class TLSMaterial:
    """PEM text: the CA to verify the peer with, and our certificate and key."""

    ca_pem: str
    cert_pem: str
    key_pem: str = dataclasses.field(repr=False)  # a private key never reaches a log


@dataclasses.dataclass(frozen=True)
class Endpoint:
    """Where one API of a bay listens, and how to reach it.

    ``kind`` is ``"docker"`` or ``"kubernetes"``; ``url`` e.g.
    ``unix:///path/docker.sock``, ``tcp://10.0.0.5:2376`` or
    ``https://10.0.0.5:6443``; ``node`` is the ``NodeView.name`` the endpoint
    belongs to, None for the bay's own API; ``tls`` is None for plain
    connections (unix sockets, ``tls_disabled`` bays).
    """

    kind: str
    url: str
    node: str | None = None
    tls: TLSMaterial | None = None


class BayPKI(Protocol):
    """A bay's certificate authorities, implemented by the conductor."""

    ca_pem: str

    def ca_pem_of(self, ca_kind: str) -> str:
        """The CA of ``ca_kind`` ("default", "etcd", "front_proxy"); KeyError if absent."""

    def issue(
        self,
        common_name: str,
        *,
        organization: str | None = None,
        sans: Sequence[str] = (),
        server: bool = False,
        client: bool = False,
        ca_kind: str = "default",
    ) -> tuple[str, str]:
        """A new certificate signed by the CA of ``ca_kind``: (cert_pem, key_pem)."""

    def conductor_tls(self) -> TLSMaterial:
        """The conductor's own client certificate for this bay."""


class ClusterOperation(Protocol):
    """What the conductor lends a driver for one create/update/delete/upgrade/rotate_ca."""

    pki: BayPKI | None  # None when the template is tls_disabled

    def report(self, step: str, done: int | None = None, total: int | None = None) -> None:
        """Progress ("forming swarm", 2, 3); the conductor rate-limits what it records."""

    def check_cancelled(self) -> None:
        """Raise ``exception.OperationCancelled`` when the operation was asked to stop."""


@dataclasses.dataclass
class NoOperation:
    """A ClusterOperation that records nothing and is never cancelled (tests, tools)."""

    pki: BayPKI | None = None

    def report(self, step: str, done: int | None = None, total: int | None = None) -> None:
        pass

    def check_cancelled(self) -> None:
        pass


NO_OPERATION = NoOperation()


def pick_endpoint(endpoints: Sequence[Endpoint], node: str | None) -> Endpoint:
    """The endpoint of ``node`` (None: the bay's API); ResourceNotFound if none."""
    for endpoint in endpoints:
        if endpoint.node == node:
            return endpoint
    raise exception.ResourceNotFound(resource="Node", ident=node or "API of the bay")


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
    ``node_counts`` maps nodegroup name to the number of nodes it really has,
    ``nodegroup_addresses`` to their addresses.
    """

    status: str
    reason: str | None = None
    api_address: str | None = None
    master_addresses: list[str] | None = None
    node_addresses: list[str] | None = None
    node_counts: dict[str, int] | None = None
    nodegroup_addresses: dict[str, list[str]] | None = None  # nodegroup name -> addresses
    coe_version: str | None = None
    container_version: str | None = None
    stack_id: str | None = None  # the backend's id of the bay (e.g. a Heat stack)
    gone: bool = False


#: ClusterStatus fields that are not copied onto the bay as they are.
STATUS_CONTROL_FIELDS = frozenset(
    {"status", "reason", "node_counts", "nodegroup_addresses", "gone"}
)


class ClusterDriver(abc.ABC):
    """Provisions and reports on the hosts of bays of the types it provides."""

    #: True when create/update/delete finish the work before returning.
    synchronous: bool = True
    #: Optional abilities (``IMAGE_COPY``, ``UPGRADE``, ``ROTATE_CA``).
    capabilities: frozenset[str] = frozenset()
    #: Per COE, the ``network_driver`` / ``volume_driver`` names a template may
    #: name for this driver's bays. Published with ``provides`` (see
    #: ``registry.declarations``) so the API checks templates without this code.
    network_drivers: Mapping[str, tuple[str, ...]] = {}
    volume_drivers: Mapping[str, tuple[str, ...]] = {}

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
        self,
        context: Any,
        cluster: Any,
        cluster_template: Any,
        nodegroups: Sequence[Any],
        operation: ClusterOperation = NO_OPERATION,
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
        operation: ClusterOperation = NO_OPERATION,
    ) -> ClusterStatus:
        """Resize ``nodegroup`` to ``node_count`` nodes.

        ``nodes_to_remove`` names the nodes (as ``NodeView.name``) to take out
        first when shrinking.
        """

    @abc.abstractmethod
    def delete(
        self, context: Any, cluster: Any, operation: ClusterOperation = NO_OPERATION
    ) -> ClusterStatus:
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
        operation: ClusterOperation = NO_OPERATION,
    ) -> ClusterStatus:
        """Move the nodegroup to ``cluster_template`` (declare ``UPGRADE``)."""
        raise exception.NotSupported(operation="Upgrading a cluster with this driver")

    def rotate_ca(  # noqa: B027
        self,
        context: Any,
        cluster: Any,
        cluster_template: Any,
        operation: ClusterOperation = NO_OPERATION,
    ) -> ClusterStatus:
        """Re-issue the nodes' certificates from ``operation.pki`` (declare ``ROTATE_CA``)."""
        raise exception.NotSupported(operation="Rotating the CA of this cluster type")

    def endpoints(self, context: Any, cluster: Any, kind: str) -> list[Endpoint]:
        """Where the bay's APIs of ``kind`` ("docker", "kubernetes") listen.

        One ``Endpoint`` per node that has one, plus ``node=None`` for the
        bay's own API. Used by ``magnum.coe`` to build clients.
        """
        raise exception.NotSupported(operation=f"The {kind} API of this cluster type")

    def ensure_image(
        self, context: Any, cluster: Any, image: str, nodes: list[str] | None = None
    ) -> None:
        """Copy ``image`` into the named nodes (default: all); declare ``IMAGE_COPY``."""
        raise exception.NotSupported(operation="Copying images into this cluster type")
