"""The database interface: the only way magnum code reaches its tables.

``get_instance()`` returns the backend configured by ``[database] backend``
(only ``sqlalchemy`` exists). Objects call it; nothing else imports the
models. Rows come back as backend model instances with one attribute per
column.

Conventions shared by every resource (``R`` below is ``cluster``,
``cluster_template``, ``nodegroup``, ``node``, ``container``, ``kube_object``,
``x509keypair`` or ``federation``):

* ``context`` scopes what a call sees: unless ``context.all_projects`` is
  set, only rows of ``context.project_id`` (or, for a token without project,
  of ``context.user_id``). ``None`` is the conductor's own access and sees
  every row. Cluster templates also show public rows to every project; public
  *hidden* ones only to admins.
* ``get_R_list(context, filters, limit, marker, sort_key, sort_dir)``:
  ``filters`` is a dict of column equalities (a list value means "one of",
  ``None`` means NULL); ``marker`` is the uuid of the last row of the previous
  page (ResourceNotFound when it is not visible); ``sort_key`` must name a
  column, else InvalidParameterValue; ``sort_dir`` is ``asc`` or ``desc``;
  ``id`` is always the tiebreaker and NULL sorts as the smallest value.
* ``get_R_by_id``/``_by_uuid``/``_by_name(context, ident, /, filters=None)``
  raise ResourceNotFound when no visible row matches; a name matching several
  rows raises AmbiguousName. ``filters`` narrows further (e.g. a nodegroup's
  ``cluster_id``).
* ``create_R(values)`` generates a uuid when none is given and raises
  AlreadyExists on a unique-constraint clash; ``update_R(ident, values)``
  takes an integer id or a uuid and returns the updated row;
  ``destroy_R(ident)`` raises ResourceNotFound when nothing was deleted.
  Writes are not scoped: callers authorize first.
* Timestamps are naive UTC. Connection failures surface as oslo.db's
  ``DBConnectionError``.

This module is long because it is the documented contract of the whole data
layer; splitting it would scatter that contract.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import magnum.conf

if TYPE_CHECKING:
    from magnum.common.context import RequestContext

    Context = RequestContext | None
else:
    Context = Any

Row = Any
Ident = int | str
Filters = Mapping[str, Any] | None

_BACKENDS = {"sqlalchemy": "magnum.db.sqlalchemy.api"}
_instance: Connection | None = None


def get_instance() -> Connection:
    """The process-wide ``Connection`` of the configured backend."""
    global _instance
    if _instance is None:
        import importlib

        backend = magnum.conf.CONF.database.backend
        if backend not in _BACKENDS:
            raise ValueError(f"Unsupported [database] backend: {backend}")
        _instance = importlib.import_module(_BACKENDS[backend]).Connection()
    return _instance


class Connection(abc.ABC):
    """Every read and write of magnum's state (conventions in the module docstring)."""

    # --- process lifecycle ----------------------------------------------------
    @abc.abstractmethod
    def dispose(self) -> None:
        """Close pooled connections; call before forking worker processes."""

    @abc.abstractmethod
    def safe_url(self) -> str:
        """The configured database URL with its password hidden, for logs."""

    # --- clusters (bays) ----------------------------------------------------
    @abc.abstractmethod
    def get_cluster_list(
        self,
        context: Context,
        filters: Filters = None,
        limit: int | None = None,
        marker: str | None = None,
        sort_key: str | None = None,
        sort_dir: str | None = None,
    ) -> list[Row]:
        """Visible clusters, one page."""

    @abc.abstractmethod
    def create_cluster(self, values: Mapping[str, Any]) -> Row:
        """Insert a cluster row (no quota check; see create_cluster_within_quota)."""

    @abc.abstractmethod
    def create_cluster_within_quota(self, values: Mapping[str, Any], default_limit: int) -> Row:
        """Insert a cluster unless its project already has its limit of clusters.

        The limit is the project's ``quotas`` row for resource ``Cluster``, else
        ``default_limit``. Concurrent creates in one project are serialized, so
        the limit holds under races. Raises ResourceLimitExceeded.
        """

    @abc.abstractmethod
    def get_cluster_by_id(
        self, context: Context, cluster_id: int, /, filters: Filters = None
    ) -> Row:
        """The visible cluster with this integer id."""

    @abc.abstractmethod
    def get_cluster_by_uuid(self, context: Context, uuid: str, /, filters: Filters = None) -> Row:
        """The visible cluster with this uuid."""

    @abc.abstractmethod
    def get_cluster_by_name(self, context: Context, name: str, /, filters: Filters = None) -> Row:
        """The one visible cluster with this name."""

    @abc.abstractmethod
    def update_cluster(self, ident: Ident, values: Mapping[str, Any]) -> Row:
        """Change columns of a cluster (status moves go through set_cluster_status_if)."""

    @abc.abstractmethod
    def destroy_cluster(self, ident: Ident) -> None:
        """Delete a cluster with its nodegroups, containers and kube objects, atomically."""

    @abc.abstractmethod
    def reserve_cluster(self, uuid: str, host: str) -> Row:
        """Lock a cluster for conductor ``host``; returns the locked row.

        One conditional UPDATE (``WHERE reservation IS NULL``): raises
        ClusterLocked naming the holder when another conductor has it, and
        ResourceNotFound when the row is gone.
        """

    @abc.abstractmethod
    def release_cluster(self, uuid: str, host: str) -> None:
        """Drop ``host``'s lock; a no-op when it is not held by ``host`` or the row is gone."""

    @abc.abstractmethod
    def clear_cluster_reservations(self, hosts_to_keep: Iterable[str]) -> list[str]:
        """Drop locks held by any host not in ``hosts_to_keep`` (dead conductors); their uuids."""

    @abc.abstractmethod
    def clear_cluster_reservations_for_host(self, host: str) -> list[str]:
        """Drop every lock ``host`` holds (a conductor starting up); their uuids."""

    @abc.abstractmethod
    def set_cluster_status_if(
        self,
        uuid: str,
        new_status: str,
        allowed_from: Iterable[str] | None,
        values: Mapping[str, Any] | None = None,
        action: str | None = None,
    ) -> Row:
        """Move a cluster to ``new_status`` in one conditional UPDATE.

        Succeeds only if the current status is in ``allowed_from`` (``None``:
        any) and nobody holds the cluster's lock; also sets
        ``status_updated_at`` to now and any extra ``values``. Raises
        ClusterLocked, InvalidState (naming ``action``) or ResourceNotFound.
        """

    @abc.abstractmethod
    def get_clusters_in_states(self, states: Iterable[str]) -> list[Row]:
        """Every cluster (all projects) whose status is one of ``states``."""

    @abc.abstractmethod
    def count_clusters(self, project_id: str | None = None) -> int:
        """Number of clusters of a project, or of all projects."""

    @abc.abstractmethod
    def get_cluster_stats(self, project_id: str | None = None) -> tuple[int, int]:
        """(clusters, nodes): nodes sums node_count over all their nodegroups, masters included."""

    # --- cluster templates (baymodels) --------------------------------------
    @abc.abstractmethod
    def get_cluster_template_list(
        self,
        context: Context,
        filters: Filters = None,
        limit: int | None = None,
        marker: str | None = None,
        sort_key: str | None = None,
        sort_dir: str | None = None,
    ) -> list[Row]:
        """Visible cluster templates (own, public, and hidden ones for admins), one page."""

    @abc.abstractmethod
    def create_cluster_template(self, values: Mapping[str, Any]) -> Row:
        """Insert a cluster template."""

    @abc.abstractmethod
    def get_cluster_template_by_id(
        self, context: Context, template_id: int, /, filters: Filters = None
    ) -> Row:
        """The visible template with this integer id."""

    @abc.abstractmethod
    def get_cluster_template_by_uuid(
        self, context: Context, uuid: str, /, filters: Filters = None
    ) -> Row:
        """The visible template with this uuid."""

    @abc.abstractmethod
    def get_cluster_template_by_name(
        self, context: Context, name: str, /, filters: Filters = None
    ) -> Row:
        """The one visible template with this name."""

    @abc.abstractmethod
    def update_cluster_template(self, ident: Ident, values: Mapping[str, Any]) -> Row:
        """Change columns of a template."""

    @abc.abstractmethod
    def destroy_cluster_template(self, ident: Ident) -> None:
        """Delete a template; ClusterTemplateReferenced (checked atomically) if in use."""

    # --- nodegroups -----------------------------------------------------------
    @abc.abstractmethod
    def get_nodegroup_list(
        self,
        context: Context,
        filters: Filters = None,
        limit: int | None = None,
        marker: str | None = None,
        sort_key: str | None = None,
        sort_dir: str | None = None,
    ) -> list[Row]:
        """Visible nodegroups, one page (filter on ``cluster_id``, ``role``, ``is_default``)."""

    @abc.abstractmethod
    def create_nodegroup(self, values: Mapping[str, Any]) -> Row:
        """Insert a nodegroup; AlreadyExists when its cluster has one of that name."""

    @abc.abstractmethod
    def get_nodegroup_by_id(
        self, context: Context, nodegroup_id: int, /, filters: Filters = None
    ) -> Row:
        """The visible nodegroup with this integer id."""

    @abc.abstractmethod
    def get_nodegroup_by_uuid(
        self, context: Context, uuid: str, /, filters: Filters = None
    ) -> Row:
        """The visible nodegroup with this uuid."""

    @abc.abstractmethod
    def get_nodegroup_by_name(
        self, context: Context, name: str, /, filters: Filters = None
    ) -> Row:
        """The visible nodegroup with this name (pass ``filters={"cluster_id": ...}``)."""

    @abc.abstractmethod
    def update_nodegroup(self, ident: Ident, values: Mapping[str, Any]) -> Row:
        """Change columns of a nodegroup."""

    @abc.abstractmethod
    def destroy_nodegroup(self, ident: Ident) -> None:
        """Delete a nodegroup."""

    # --- legacy nodes -------------------------------------------------------------
    @abc.abstractmethod
    def get_node_list(
        self,
        context: Context,
        filters: Filters = None,
        limit: int | None = None,
        marker: str | None = None,
        sort_key: str | None = None,
        sort_dir: str | None = None,
    ) -> list[Row]:
        """Visible legacy nodes, one page."""

    @abc.abstractmethod
    def create_node(self, values: Mapping[str, Any]) -> Row:
        """Insert a node; AlreadyExists on a duplicate ironic_node_id."""

    @abc.abstractmethod
    def get_node_by_id(self, context: Context, node_id: int, /, filters: Filters = None) -> Row:
        """The visible node with this integer id."""

    @abc.abstractmethod
    def get_node_by_uuid(self, context: Context, uuid: str, /, filters: Filters = None) -> Row:
        """The visible node with this uuid (nodes have no name)."""

    @abc.abstractmethod
    def update_node(self, ident: Ident, values: Mapping[str, Any]) -> Row:
        """Change columns of a node."""

    @abc.abstractmethod
    def destroy_node(self, ident: Ident) -> None:
        """Delete a node."""

    # --- containers -----------------------------------------------------------------
    @abc.abstractmethod
    def get_container_list(
        self,
        context: Context,
        filters: Filters = None,
        limit: int | None = None,
        marker: str | None = None,
        sort_key: str | None = None,
        sort_dir: str | None = None,
    ) -> list[Row]:
        """Visible containers, one page (filter on ``cluster_id``)."""

    @abc.abstractmethod
    def create_container(self, values: Mapping[str, Any]) -> Row:
        """Insert a container."""

    @abc.abstractmethod
    def get_container_by_id(
        self, context: Context, container_id: int, /, filters: Filters = None
    ) -> Row:
        """The visible container with this integer id."""

    @abc.abstractmethod
    def get_container_by_uuid(
        self, context: Context, uuid: str, /, filters: Filters = None
    ) -> Row:
        """The visible container with this uuid."""

    @abc.abstractmethod
    def get_container_by_name(
        self, context: Context, name: str, /, filters: Filters = None
    ) -> Row:
        """The one visible container with this name."""

    @abc.abstractmethod
    def update_container(self, ident: Ident, values: Mapping[str, Any]) -> Row:
        """Change columns of a container."""

    @abc.abstractmethod
    def destroy_container(self, ident: Ident) -> None:
        """Delete a container."""

    @abc.abstractmethod
    def set_container_status_if(
        self,
        uuid: str,
        new_status: str,
        allowed_from: Iterable[str],
        values: Mapping[str, Any] | None = None,
    ) -> Row:
        """Move a container to ``new_status`` only from one of ``allowed_from``.

        One conditional UPDATE, so two requests cannot both start an
        operation. ``values`` are set in the same UPDATE. Raises InvalidState
        naming the current status when the row is in another state, and
        ResourceNotFound when it is gone.
        """

    # --- kube objects (pods, services, replication controllers) --------------------
    @abc.abstractmethod
    def get_kube_object_list(
        self,
        context: Context,
        filters: Filters = None,
        limit: int | None = None,
        marker: str | None = None,
        sort_key: str | None = None,
        sort_dir: str | None = None,
    ) -> list[Row]:
        """Visible kube objects, one page (filter on ``kind``, ``cluster_id``)."""

    @abc.abstractmethod
    def create_kube_object(self, values: Mapping[str, Any]) -> Row:
        """Insert a kube object (``kind`` is required)."""

    @abc.abstractmethod
    def get_kube_object_by_id(
        self, context: Context, kube_object_id: int, /, filters: Filters = None
    ) -> Row:
        """The visible kube object with this integer id."""

    @abc.abstractmethod
    def get_kube_object_by_uuid(
        self, context: Context, uuid: str, /, filters: Filters = None
    ) -> Row:
        """The visible kube object with this uuid."""

    @abc.abstractmethod
    def get_kube_object_by_name(
        self, context: Context, name: str, /, filters: Filters = None
    ) -> Row:
        """The one visible kube object with this name (narrow by ``kind``)."""

    @abc.abstractmethod
    def update_kube_object(self, ident: Ident, values: Mapping[str, Any]) -> Row:
        """Change columns of a kube object."""

    @abc.abstractmethod
    def destroy_kube_object(self, ident: Ident) -> None:
        """Delete a kube object."""

    # --- x509 keypairs ----------------------------------------------------------------
    @abc.abstractmethod
    def get_x509keypair_list(
        self,
        context: Context,
        filters: Filters = None,
        limit: int | None = None,
        marker: str | None = None,
        sort_key: str | None = None,
        sort_dir: str | None = None,
    ) -> list[Row]:
        """Visible x509 keypairs, one page."""

    @abc.abstractmethod
    def create_x509keypair(self, values: Mapping[str, Any]) -> Row:
        """Insert an x509 keypair."""

    @abc.abstractmethod
    def get_x509keypair_by_id(
        self, context: Context, keypair_id: int, /, filters: Filters = None
    ) -> Row:
        """The visible keypair with this integer id."""

    @abc.abstractmethod
    def get_x509keypair_by_uuid(
        self, context: Context, uuid: str, /, filters: Filters = None
    ) -> Row:
        """The visible keypair with this uuid."""

    @abc.abstractmethod
    def get_x509keypair_by_name(
        self, context: Context, name: str, /, filters: Filters = None
    ) -> Row:
        """The one visible keypair with this name."""

    @abc.abstractmethod
    def update_x509keypair(self, ident: Ident, values: Mapping[str, Any]) -> Row:
        """Change columns of a keypair."""

    @abc.abstractmethod
    def destroy_x509keypair(self, ident: Ident) -> None:
        """Delete a keypair."""

    # --- federations ------------------------------------------------------------------
    @abc.abstractmethod
    def get_federation_list(
        self,
        context: Context,
        filters: Filters = None,
        limit: int | None = None,
        marker: str | None = None,
        sort_key: str | None = None,
        sort_dir: str | None = None,
    ) -> list[Row]:
        """Visible federations, one page."""

    @abc.abstractmethod
    def create_federation(self, values: Mapping[str, Any]) -> Row:
        """Insert a federation."""

    @abc.abstractmethod
    def get_federation_by_id(
        self, context: Context, federation_id: int, /, filters: Filters = None
    ) -> Row:
        """The visible federation with this integer id."""

    @abc.abstractmethod
    def get_federation_by_uuid(
        self, context: Context, uuid: str, /, filters: Filters = None
    ) -> Row:
        """The visible federation with this uuid."""

    @abc.abstractmethod
    def get_federation_by_name(
        self, context: Context, name: str, /, filters: Filters = None
    ) -> Row:
        """The one visible federation with this name."""

    @abc.abstractmethod
    def update_federation(self, ident: Ident, values: Mapping[str, Any]) -> Row:
        """Change columns of a federation."""

    @abc.abstractmethod
    def destroy_federation(self, ident: Ident) -> None:
        """Delete a federation."""

    # --- magnum services (heartbeats) -------------------------------------------------
    @abc.abstractmethod
    def create_magnum_service(self, values: Mapping[str, Any]) -> Row:
        """Insert a service row; AlreadyExists for a known (host, binary)."""

    @abc.abstractmethod
    def get_magnum_service_by_host_and_binary(self, host: str, binary: str) -> Row | None:
        """The service row of (host, binary), or None."""

    @abc.abstractmethod
    def get_magnum_service_list(self) -> list[Row]:
        """Every service row, oldest first."""

    @abc.abstractmethod
    def heartbeat_magnum_service(
        self, host: str, binary: str, cluster_types: list[dict] | None = None
    ) -> Row:
        """Record that (host, binary) is alive: bump report_count, set last_seen_up.

        Creates the row on the first beat and clears ``forced_down``; safe
        against concurrent beats. ``cluster_types``, when given, replaces what
        the service declares it serves (a conductor's start-up beat).
        """

    @abc.abstractmethod
    def mark_magnum_service_down(self, host: str, binary: str) -> None:
        """Report (host, binary) down at once (a clean stop) via ``forced_down``.

        The service's next heartbeat clears the flag. A no-op for an unknown row.
        """

    @abc.abstractmethod
    def update_magnum_service(self, service_id: int, values: Mapping[str, Any]) -> Row:
        """Change columns of a service row (disabled, forced_down ...)."""

    @abc.abstractmethod
    def destroy_magnum_service(self, service_id: int) -> None:
        """Delete a service row."""

    # --- quotas ---------------------------------------------------------------------------
    @abc.abstractmethod
    def create_quota(self, values: Mapping[str, Any]) -> Row:
        """Insert a quota; AlreadyExists for a known (project_id, resource)."""

    @abc.abstractmethod
    def get_quota_by_project_id_resource(self, project_id: str, resource: str) -> Row:
        """The quota of (project_id, resource); ResourceNotFound when unset."""

    @abc.abstractmethod
    def get_quota_list(
        self,
        context: Context,
        filters: Filters = None,
        limit: int | None = None,
        marker: int | None = None,
        sort_key: str | None = None,
        sort_dir: str | None = None,
    ) -> list[Row]:
        """Quotas of the caller's project (all with ``all_projects``); marker is an id."""

    @abc.abstractmethod
    def update_quota(self, project_id: str, resource: str, values: Mapping[str, Any]) -> Row:
        """Change a quota (its hard_limit); ResourceNotFound when unset."""

    @abc.abstractmethod
    def delete_quota(self, project_id: str, resource: str) -> None:
        """Delete a quota; ResourceNotFound when unset."""
