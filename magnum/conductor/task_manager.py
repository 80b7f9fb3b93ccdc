"""Hold a bay's lock for the whole of a conductor operation.

Usage::

    with task_manager.acquire(context, cluster_uuid, purpose="resize") as task:
        task.driver.update(context, task.cluster, task.cluster_template, ...)

``acquire`` reserves the bay's row with one conditional UPDATE (``reservation
IS NULL`` → this conductor's host); a lost race raises ``ClusterLocked``
(409). The reservation is released on every exit path. To run the work on the
conductor's worker pool instead of the RPC thread, call ``task.spawn_after``:
the lock then passes to the worker and is released when the work ends.

A conductor that dies leaves its reservations behind; the periodic sync of
the conductor that inherits the bay on the hash ring clears them
(``clear_cluster_reservations``), so no bay stays locked forever.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent import futures
from typing import Any

from oslo_config import cfg

from magnum import objects
from magnum.common import context as magnum_context
from magnum.db import api as db_api
from magnum.drivers import registry

LOG = logging.getLogger(__name__)
CONF = cfg.CONF


class Task:
    """A locked bay with its template and driver resolved once."""

    def __init__(self, context: Any, cluster_uuid: str, purpose: str) -> None:
        self.context = context
        self.cluster_uuid = cluster_uuid
        self.purpose = purpose
        self.host = CONF.host
        self._dbapi = db_api.get_instance()
        self._released = True
        self._spawned: tuple | None = None

    def load(self) -> None:
        """Read the bay, its template and its driver (done once per task)."""
        ctx = _all_projects(self.context)
        self.cluster = objects.Cluster.get_by_uuid(ctx, self.cluster_uuid)
        self.cluster_template = objects.ClusterTemplate.get_by_uuid(
            ctx, self.cluster.cluster_template_id
        )
        self.driver = registry.get_driver_for(self.cluster_template)

    def _lock(self) -> None:
        self._dbapi.reserve_cluster(self.cluster_uuid, self.host)
        self._released = False
        try:
            self.load()
        except Exception:
            self.release()
            raise
        LOG.debug("Cluster %s locked by %s for %s", self.cluster_uuid, self.host, self.purpose)

    def release(self) -> None:
        if not self._released:
            self._released = True
            self._dbapi.release_cluster(self.cluster_uuid, self.host)
            LOG.debug("Cluster %s released after %s", self.cluster_uuid, self.purpose)

    def released_by_record(self) -> None:
        """The bay's row was saved with its reservation cleared (clusters.record)."""
        self._released = True

    def spawn_after(self, pool: futures.Executor, func: Callable[..., Any], *args: Any) -> None:
        """Run ``func(task, *args)`` on ``pool`` once the ``with`` block exits."""
        self._spawned = (pool, func, args)

    def __enter__(self) -> Task:
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is not None or self._spawned is None:
            self.release()
            return
        pool, func, args = self._spawned
        try:
            pool.submit(self._run, func, args)
        except Exception:
            self.release()
            raise

    def _run(self, func: Callable[..., Any], args: tuple) -> None:
        try:
            func(self, *args)
        except Exception:
            LOG.exception("%s of cluster %s failed", self.purpose, self.cluster_uuid)
        finally:
            self.release()


def _all_projects(context: Any) -> Any:
    # The conductor acts on rows the API already authorized; it must find
    # them whatever project the context names (admin contexts, takeovers).
    return magnum_context.all_projects(context)


def read_only(context: Any, cluster_uuid: str, purpose: str) -> Task:
    """The bay, its template and driver without taking the lock (for reads only).

    Never use the result to change the bay: two such tasks can run at once.
    """
    task = Task(context, cluster_uuid, purpose)
    task.load()
    return task


def acquire(context: Any, cluster_uuid: str, purpose: str) -> Task:
    """Lock the bay (409 ClusterLocked when another operation holds it)."""
    task = Task(context, cluster_uuid, purpose)
    task._lock()
    return task
