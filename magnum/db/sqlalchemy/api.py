"""The SQLAlchemy implementation of ``magnum.db.api.Connection``.

The per-resource list/get/create/update/destroy methods are made by the
factories in ``query.py``; what is specific to a table (cluster locks
and atomic status moves, quota-checked creation, heartbeats, quotas) is
written out below.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from oslo_db import api as oslo_db_api
from oslo_utils import timeutils
from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

import magnum.conf
from magnum.common import exception
from magnum.db import api
from magnum.db.sqlalchemy import models, query
from magnum.db.sqlalchemy.models import Cluster, ClusterTemplate, MagnumService, Quota

QUOTA_RESOURCE_CLUSTER = "Cluster"


def _project_lock_key(project_id: str | None) -> int:
    digest = hashlib.sha256(f"magnum-cluster-quota:{project_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _serialize_cluster_creates(session: Session, project_id: str | None) -> None:
    """Block other quota-checked creates of this project until we commit.

    Counting rows and then inserting is a race unless concurrent creators
    queue up. PostgreSQL: a transaction-scoped advisory lock per project.
    MariaDB/MySQL: a locking read of the project's clusters, whose next-key
    locks (InnoDB's default REPEATABLE READ) also cover the gap an insert
    would go into; two creators of an empty project deadlock, and the loser
    is retried (wrap_db_retry). SQLite needs nothing more: a writer session
    already holds the database's single write lock (query.writer).
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(_project_lock_key(project_id))))
    elif dialect in ("mysql", "mariadb"):
        session.execute(
            select(Cluster.id).where(Cluster.project_id == project_id).with_for_update()
        )


class Connection(api.Connection):
    """SQLAlchemy-backed ``Connection`` (oslo.db enginefacade sessions)."""

    def dispose(self) -> None:
        query.get_engine().dispose()

    def safe_url(self) -> str:
        try:
            connection = magnum.conf.CONF.database.connection
            return make_url(connection).render_as_string(hide_password=True)
        except Exception:
            return "<unparsable [database] connection>"

    # --- generic per-resource methods --------------------------------------
    get_cluster_list = query.lister(Cluster)
    create_cluster = query.creator(Cluster)
    get_cluster_by_id = query.getter(Cluster, "id")
    get_cluster_by_uuid = query.getter(Cluster, "uuid")
    get_cluster_by_name = query.getter(Cluster, "name")
    update_cluster = query.updater(Cluster)

    get_cluster_template_list = query.lister(ClusterTemplate)
    create_cluster_template = query.creator(ClusterTemplate)
    get_cluster_template_by_id = query.getter(ClusterTemplate, "id")
    get_cluster_template_by_uuid = query.getter(ClusterTemplate, "uuid")
    get_cluster_template_by_name = query.getter(ClusterTemplate, "name")
    update_cluster_template = query.updater(ClusterTemplate)

    get_nodegroup_list = query.lister(models.NodeGroup)
    create_nodegroup = query.creator(models.NodeGroup)
    get_nodegroup_by_id = query.getter(models.NodeGroup, "id")
    get_nodegroup_by_uuid = query.getter(models.NodeGroup, "uuid")
    get_nodegroup_by_name = query.getter(models.NodeGroup, "name")
    update_nodegroup = query.updater(models.NodeGroup)
    destroy_nodegroup = query.destroyer(models.NodeGroup)

    get_node_list = query.lister(models.Node)
    create_node = query.creator(models.Node)
    get_node_by_id = query.getter(models.Node, "id")
    get_node_by_uuid = query.getter(models.Node, "uuid")
    update_node = query.updater(models.Node)
    destroy_node = query.destroyer(models.Node)

    get_container_list = query.lister(models.Container)
    create_container = query.creator(models.Container)
    get_container_by_id = query.getter(models.Container, "id")
    get_container_by_uuid = query.getter(models.Container, "uuid")
    get_container_by_name = query.getter(models.Container, "name")
    update_container = query.updater(models.Container)
    destroy_container = query.destroyer(models.Container)

    get_kube_object_list = query.lister(models.KubeObject)
    create_kube_object = query.creator(models.KubeObject)
    get_kube_object_by_id = query.getter(models.KubeObject, "id")
    get_kube_object_by_uuid = query.getter(models.KubeObject, "uuid")
    get_kube_object_by_name = query.getter(models.KubeObject, "name")
    update_kube_object = query.updater(models.KubeObject)
    destroy_kube_object = query.destroyer(models.KubeObject)

    get_x509keypair_list = query.lister(models.X509KeyPair)
    create_x509keypair = query.creator(models.X509KeyPair)
    get_x509keypair_by_id = query.getter(models.X509KeyPair, "id")
    get_x509keypair_by_uuid = query.getter(models.X509KeyPair, "uuid")
    get_x509keypair_by_name = query.getter(models.X509KeyPair, "name")
    update_x509keypair = query.updater(models.X509KeyPair)
    destroy_x509keypair = query.destroyer(models.X509KeyPair)

    get_federation_list = query.lister(models.Federation)
    create_federation = query.creator(models.Federation)
    get_federation_by_id = query.getter(models.Federation, "id")
    get_federation_by_uuid = query.getter(models.Federation, "uuid")
    get_federation_by_name = query.getter(models.Federation, "name")
    update_federation = query.updater(models.Federation)
    destroy_federation = query.destroyer(models.Federation)

    # --- containers -------------------------------------------------------------
    def set_container_status_if(
        self,
        uuid: str,
        new_status: str,
        allowed_from: Iterable[str],
        values: Mapping[str, Any] | None = None,
    ) -> Any:
        model = models.Container
        extra = query.naive_utc(values or {})
        for key in extra.keys() & {"id", "uuid", "status"}:
            raise exception.InvalidParameterValue(err=f"{key} cannot be set with a status move")
        allowed = sorted(set(allowed_from))
        stmt = (
            update(model)
            .where(model.uuid == uuid, model.status.in_(allowed))
            .values(status=new_status, **extra)
        )
        with query.writer() as session:
            moved = session.execute(stmt.execution_options(synchronize_session=False)).rowcount
            row = session.scalars(select(model).where(model.uuid == uuid)).first()
        if row is None:
            raise exception.ResourceNotFound(resource="Container", ident=uuid)
        if moved:
            return row
        raise exception.InvalidState(
            resource="Container",
            ident=uuid,
            state=row.status,
            action=f"moving to {new_status}",
            allowed=", ".join(allowed) or "none",
        )

    # --- clusters ---------------------------------------------------------------
    def destroy_cluster(self, ident: api.Ident) -> None:
        with query.writer() as session:
            cluster = session.scalars(
                select(Cluster).where(query.ident_clause(Cluster, ident)).with_for_update()
            ).first()
            if cluster is None:
                raise exception.ResourceNotFound(resource="Cluster", ident=ident)
            for child in (models.NodeGroup, models.Container, models.KubeObject):
                session.execute(delete(child).where(child.cluster_id == cluster.uuid))
            session.delete(cluster)

    @oslo_db_api.wrap_db_retry(max_retries=5, retry_on_deadlock=True)
    def create_cluster_within_quota(self, values: Mapping[str, Any], default_limit: int) -> Any:
        project_id = values.get("project_id")
        with query.writer() as session:
            _serialize_cluster_creates(session, project_id)
            limit = session.scalar(
                select(Quota.hard_limit).where(
                    Quota.project_id == project_id, Quota.resource == QUOTA_RESOURCE_CLUSTER
                )
            )
            limit = default_limit if limit is None else limit
            count = session.scalar(
                select(func.count(Cluster.id)).where(Cluster.project_id == project_id)
            )
            if count >= limit:
                raise exception.ResourceLimitExceeded(
                    msg=f"You have reached the maximum clusters per project, {limit}. "
                    "You may delete a cluster to make room for a new one."
                )
            return query.add_row(session, Cluster, values)

    def reserve_cluster(self, uuid: str, host: str) -> Any:
        # updated_at is kept as is: a lock is not a change of the bay.
        stmt = (
            update(Cluster)
            .where(Cluster.uuid == uuid, Cluster.reservation.is_(None))
            .values(reservation=host, updated_at=Cluster.updated_at)
            .execution_options(synchronize_session=False)
        )
        # A second try only when the holder let go between our UPDATE and the
        # read that names it.
        for _attempt in range(2):
            with query.writer() as session:
                taken = session.execute(stmt).rowcount
                row = session.scalars(select(Cluster).where(Cluster.uuid == uuid)).first()
            if row is None:
                raise exception.ResourceNotFound(resource="Cluster", ident=uuid)
            if taken:
                return row
            if row.reservation is not None:
                break
        raise exception.ClusterLocked(cluster=uuid, host=row.reservation)

    def release_cluster(self, uuid: str, host: str) -> None:
        with query.writer() as session:
            session.execute(
                update(Cluster)
                .where(Cluster.uuid == uuid, Cluster.reservation == host)
                .values(reservation=None, updated_at=Cluster.updated_at)
                .execution_options(synchronize_session=False)
            )

    def _clear_reservations(self, *conditions: Any) -> list[str]:
        conditions = (Cluster.reservation.is_not(None), *conditions)
        with query.writer() as session:
            uuids = list(
                session.scalars(select(Cluster.uuid).where(*conditions).with_for_update())
            )
            if uuids:
                session.execute(
                    update(Cluster)
                    .where(Cluster.uuid.in_(uuids), *conditions)
                    .values(reservation=None, updated_at=Cluster.updated_at)
                    .execution_options(synchronize_session=False)
                )
        return uuids

    def clear_cluster_reservations(self, hosts_to_keep: Iterable[str]) -> list[str]:
        keep = list(hosts_to_keep)
        return self._clear_reservations(*([Cluster.reservation.not_in(keep)] if keep else []))

    def clear_cluster_reservations_for_host(self, host: str) -> list[str]:
        return self._clear_reservations(Cluster.reservation == host)

    def set_cluster_status_if(
        self,
        uuid: str,
        new_status: str,
        allowed_from: Iterable[str] | None,
        values: Mapping[str, Any] | None = None,
        action: str | None = None,
    ) -> Any:
        extra = query.naive_utc(values or {})
        for key in extra.keys() & {"id", "uuid", "status", "reservation"}:
            raise exception.InvalidParameterValue(err=f"{key} cannot be set with a status move")
        allowed = None if allowed_from is None else sorted(set(allowed_from))
        stmt = update(Cluster).where(Cluster.uuid == uuid, Cluster.reservation.is_(None))
        if allowed is not None:
            stmt = stmt.where(Cluster.status.in_(allowed))
        stmt = stmt.values(status=new_status, status_updated_at=timeutils.utcnow(), **extra)
        with query.writer() as session:
            moved = session.execute(stmt.execution_options(synchronize_session=False)).rowcount
            row = session.scalars(select(Cluster).where(Cluster.uuid == uuid)).first()
        if row is None:
            raise exception.ResourceNotFound(resource="Cluster", ident=uuid)
        if moved:
            return row
        if row.reservation is not None:
            raise exception.ClusterLocked(cluster=uuid, host=row.reservation)
        raise exception.InvalidState(
            resource="Cluster",
            ident=uuid,
            state=row.status,
            action=action or f"moving to {new_status}",
            allowed=", ".join(allowed or []) or "none",
        )

    def get_clusters_in_states(self, states: Iterable[str]) -> list[Any]:
        stmt = select(Cluster).where(Cluster.status.in_(list(states))).order_by(Cluster.id)
        with query.reader() as session:
            return list(session.scalars(stmt))

    def count_clusters(self, project_id: str | None = None) -> int:
        stmt = select(func.count(Cluster.id))
        if project_id is not None:
            stmt = stmt.where(Cluster.project_id == project_id)
        with query.reader() as session:
            return int(session.scalar(stmt) or 0)

    def get_cluster_stats(self, project_id: str | None = None) -> tuple[int, int]:
        clusters = select(Cluster.uuid)
        if project_id is not None:
            clusters = clusters.where(Cluster.project_id == project_id)
        nodes = select(func.coalesce(func.sum(models.NodeGroup.node_count), 0)).where(
            models.NodeGroup.cluster_id.in_(clusters)
        )
        with query.reader() as session:
            count = session.scalar(select(func.count()).select_from(clusters.subquery()))
            return int(count or 0), int(session.scalar(nodes) or 0)

    # --- cluster templates ---------------------------------------------------------
    def destroy_cluster_template(self, ident: api.Ident) -> None:
        with query.writer() as session:
            template = session.scalars(
                select(ClusterTemplate)
                .where(query.ident_clause(ClusterTemplate, ident))
                .with_for_update()
            ).first()
            if template is None:
                raise exception.ResourceNotFound(resource="ClusterTemplate", ident=ident)
            in_use = session.scalar(
                select(Cluster.id).where(Cluster.cluster_template_id == template.uuid).limit(1)
            )
            if in_use is not None:
                raise exception.ClusterTemplateReferenced(clustertemplate=template.uuid)
            session.delete(template)

    # --- magnum services ----------------------------------------------------------
    def create_magnum_service(self, values: Mapping[str, Any]) -> Any:
        return query.create_row(MagnumService, values)

    def get_magnum_service_by_host_and_binary(self, host: str, binary: str) -> Any | None:
        stmt = select(MagnumService).where(
            MagnumService.host == host, MagnumService.binary == binary
        )
        with query.reader() as session:
            return session.scalars(stmt).first()

    def get_magnum_service_list(self) -> list[Any]:
        with query.reader() as session:
            return list(session.scalars(select(MagnumService).order_by(MagnumService.id)))

    def heartbeat_magnum_service(
        self, host: str, binary: str, cluster_types: list[dict] | None = None
    ) -> Any:
        key = and_(MagnumService.host == host, MagnumService.binary == binary)
        declared = {} if cluster_types is None else {"cluster_types": cluster_types}
        for _attempt in range(3):
            now = timeutils.utcnow()
            with query.writer() as session:
                beat = session.execute(
                    update(MagnumService)
                    .where(key)
                    .values(
                        report_count=MagnumService.report_count + 1,
                        last_seen_up=now,
                        forced_down=False,
                        **declared,
                    )
                    .execution_options(synchronize_session=False)
                ).rowcount
                if beat:
                    return session.scalars(select(MagnumService).where(key)).one()
            try:
                return query.create_row(
                    MagnumService,
                    {
                        "host": host,
                        "binary": binary,
                        "report_count": 1,
                        "last_seen_up": now,
                        **declared,
                    },
                )
            except exception.AlreadyExists:
                continue  # another process inserted the row first: bump that one
        raise exception.Conflict(f"Could not record a heartbeat for {binary} on {host}.")

    def mark_magnum_service_down(self, host: str, binary: str) -> None:
        with query.writer() as session:
            session.execute(
                update(MagnumService)
                .where(MagnumService.host == host, MagnumService.binary == binary)
                .values(forced_down=True)
                .execution_options(synchronize_session=False)
            )

    def update_magnum_service(self, service_id: int, values: Mapping[str, Any]) -> Any:
        where = MagnumService.id == service_id
        return query.update_row(MagnumService, where, service_id, values)

    def destroy_magnum_service(self, service_id: int) -> None:
        query.destroy_row(MagnumService, MagnumService.id == service_id, service_id)

    # --- quotas -----------------------------------------------------------------------
    @staticmethod
    def _quota_key(project_id: str, resource: str) -> Any:
        return and_(Quota.project_id == project_id, Quota.resource == resource)

    def create_quota(self, values: Mapping[str, Any]) -> Any:
        return query.create_row(Quota, values)

    def get_quota_by_project_id_resource(self, project_id: str, resource: str) -> Any:
        with query.reader() as session:
            row = session.scalars(select(Quota).where(self._quota_key(project_id, resource)))
            row = row.first()
        if row is None:
            raise exception.ResourceNotFound(resource="Quota", ident=f"{project_id}/{resource}")
        return row

    def get_quota_list(
        self,
        context: api.Context,
        filters: api.Filters = None,
        limit: int | None = None,
        marker: int | None = None,
        sort_key: str | None = None,
        sort_dir: str | None = None,
    ) -> list[Any]:
        return query.list_rows(
            Quota, context, filters, limit, marker, sort_key, sort_dir, marker_column="id"
        )

    def update_quota(self, project_id: str, resource: str, values: Mapping[str, Any]) -> Any:
        key = self._quota_key(project_id, resource)
        return query.update_row(Quota, key, f"{project_id}/{resource}", values)

    def delete_quota(self, project_id: str, resource: str) -> None:
        key = self._quota_key(project_id, resource)
        query.destroy_row(Quota, key, f"{project_id}/{resource}")
