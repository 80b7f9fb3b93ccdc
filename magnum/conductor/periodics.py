"""What a conductor does on its own, on a timer: heartbeat and status sync.

The sync walks only the in-progress bays this conductor owns on the hash
ring. For each it either leaves it alone (another live conductor holds its
lock), fails it (past its timeout), takes it over (a synchronous driver's
work whose conductor died: the operation is run again, drivers make that
idempotent), or asks the driver: one ``sync_status`` call per driver per
pass, whatever the number of bays.
"""

from __future__ import annotations

import collections
import datetime
import logging
from concurrent import futures
from typing import Any

from oslo_config import cfg
from oslo_utils import timeutils

from magnum import objects
from magnum.common import context as magnum_context
from magnum.common import exception, states
from magnum.conductor import clusters, hash_ring, task_manager
from magnum.db import api as db_api
from magnum.drivers import registry

LOG = logging.getLogger(__name__)
CONF = cfg.CONF

RESUME = {
    states.CREATE_IN_PROGRESS: clusters.create,
    states.UPDATE_IN_PROGRESS: clusters.converge,
    states.DELETE_IN_PROGRESS: clusters.delete,
}


def heartbeat(host: str, cluster_types: list[dict] | None = None) -> None:
    db_api.get_instance().heartbeat_magnum_service(host, hash_ring.CONDUCTOR_BINARY, cluster_types)


def timeout_minutes(cluster: Any) -> int:
    if cluster.status == states.CREATE_IN_PROGRESS:
        return cluster.create_timeout or CONF.cluster.create_timeout
    if cluster.status == states.DELETE_IN_PROGRESS:
        return CONF.cluster.delete_timeout
    return CONF.cluster.update_timeout


def timed_out(cluster: Any, now: datetime.datetime) -> bool:
    since = cluster.status_updated_at or cluster.updated_at or cluster.created_at
    if since is None:
        return False
    return now - since.replace(tzinfo=None) > datetime.timedelta(minutes=timeout_minutes(cluster))


class ClusterSync:
    def __init__(self, host: str, ring: hash_ring.HashRingManager, pool: futures.Executor) -> None:
        self.host = host
        self.ring = ring
        self.pool = pool
        self.dbapi = db_api.get_instance()

    def __call__(self) -> None:
        try:
            self.sync()
        except Exception:
            # The loop must survive anything one pass meets.
            LOG.exception("Cluster status sync failed; retrying next pass")

    def sync(self) -> None:
        ctx = magnum_context.get_admin_context()
        live = self.ring.live_hosts()
        if self.host not in live:
            return  # not heartbeating yet (or the database is away)
        cleared = self.dbapi.clear_cluster_reservations(live)
        if cleared:
            LOG.warning("Cleared locks of stopped conductors on clusters %s", cleared)
        now = timeutils.utcnow()
        by_driver: dict[Any, list[Any]] = collections.defaultdict(list)
        for cluster in objects.Cluster.list_in_states(ctx, sorted(states.IN_PROGRESS)):
            if cluster.reservation or not self.ring.owns(self.host, cluster.uuid):
                if cluster.reservation and timed_out(cluster, now):
                    self._fail_timed_out(ctx, cluster)
                continue
            if timed_out(cluster, now):
                self._fail_timed_out(ctx, cluster)
                continue
            try:
                template = objects.ClusterTemplate.get_by_uuid(ctx, cluster.cluster_template_id)
                driver = registry.get_driver_for(template)
            except exception.MagnumException as err:
                operation = states.operation_for(cluster.status)
                clusters.record(
                    ctx,
                    cluster,
                    operation,
                    clusters.base.ClusterStatus(
                        status=operation.failed if operation else states.UPDATE_FAILED,
                        reason=clusters.failure_reason(err),
                    ),
                )
                continue
            if driver.synchronous:
                self._take_over(ctx, cluster)
            else:
                by_driver[driver].append(cluster)
        for driver, owned in by_driver.items():
            reports = driver.sync_status(ctx, owned)
            for cluster in owned:
                report = reports.get(cluster.uuid) or clusters.base.ClusterStatus(
                    status=cluster.status, gone=True
                )
                self._apply(ctx, cluster, report)

    def _take_over(self, ctx: Any, cluster: Any) -> None:
        flow = RESUME.get(cluster.status)
        if flow is None:
            return
        try:
            task = task_manager.acquire(ctx, cluster.uuid, purpose=f"resume {cluster.status}")
        except exception.ClusterLocked:
            return  # the cast that started it got the lock first
        LOG.warning(
            "Cluster %s was left %s by a stopped conductor; %s resumes it",
            cluster.uuid,
            cluster.status,
            self.host,
        )
        with task:
            task.spawn_after(self.pool, flow)

    def _apply(self, ctx: Any, cluster: Any, report: Any) -> None:
        operation = states.operation_for(cluster.status)
        if report.gone and operation is not states.DELETE:
            report = clusters.base.ClusterStatus(
                status=operation.failed if operation else states.UPDATE_FAILED,
                reason="The cluster's resources were not found on the backend.",
            )
        clusters.record(
            ctx, cluster, None if report.status in states.IN_PROGRESS else operation, report
        )

    def _fail_timed_out(self, ctx: Any, cluster: Any) -> None:
        operation = states.operation_for(cluster.status)
        minutes = timeout_minutes(cluster)
        LOG.warning(
            "Cluster %s timed out in %s after %s minutes", cluster.uuid, cluster.status, minutes
        )
        clusters.record(
            ctx,
            cluster,
            operation,
            clusters.base.ClusterStatus(
                status=operation.failed if operation else states.UPDATE_FAILED,
                reason=f"{cluster.status} timed out after {minutes} minutes.",
            ),
        )
