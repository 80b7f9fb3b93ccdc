"""The conductor process: RPC server, worker pool and periodic tasks.

``start`` registers the heartbeat row first, so a database that cannot be
reached stops the process before it takes any work, then clears the locks
this host held before a crash, then listens. ``stop`` stops taking new work,
lets running operations finish (bounded by the pool) and marks the service
down at once, so its bays move to the other conductors without waiting for
``service_down_time``.
"""

from __future__ import annotations

import logging
import threading

import oslo_messaging as messaging
from futurist import periodics
from oslo_config import cfg

from magnum.common import context, rpc
from magnum.conductor import container_sync, hash_ring, manager
from magnum.conductor import periodics as conductor_periodics
from magnum.db import api as db_api
from magnum.drivers import registry

LOG = logging.getLogger(__name__)


class ConductorService:
    def __init__(self, conf: cfg.ConfigOpts | None = None) -> None:
        self.conf = conf or cfg.CONF
        self.host = self.conf.host
        self.dbapi = db_api.get_instance()
        self.pool = context.ContextExecutor(
            max_workers=self.conf.conductor.workers, thread_name_prefix="cluster-worker"
        )
        self.ring = hash_ring.HashRingManager(self.conf)
        self.server: messaging.MessageHandlingServer | None = None
        self.periodic_worker: periodics.PeriodicWorker | None = None
        self._periodic_thread: threading.Thread | None = None

    def start(self) -> None:
        # The first beat also publishes what this conductor's drivers serve,
        # which is what the API checks templates against.
        conductor_periodics.heartbeat(self.host, registry.declarations())
        cleared = self.dbapi.clear_cluster_reservations_for_host(self.host)
        if cleared:
            LOG.warning("Released locks this host held before it restarted: %s", cleared)
        target = messaging.Target(topic=self.conf.conductor.topic, server=self.host)
        self.manager = manager.ConductorManager(self.host, self.pool)
        endpoints = [self.manager]
        self.server = rpc.get_server(target, endpoints)
        self.server.start()
        self._start_periodics()
        LOG.info("magnum-conductor %s listening on topic %s", self.host, self.conf.conductor.topic)

    def _start_periodics(self) -> None:
        if not self.conf.conductor.periodic_enable:
            return
        host = self.host

        @periodics.periodic(spacing=self.conf.conductor.heartbeat_interval, run_immediately=True)
        def heartbeat() -> None:
            try:
                conductor_periodics.heartbeat(host)
            except Exception:
                LOG.exception("Heartbeat of %s failed; retrying", host)

        sync = conductor_periodics.ClusterSync(host, self.ring, self.pool)

        @periodics.periodic(spacing=self.conf.conductor.sync_interval)
        def sync_clusters() -> None:
            sync()

        # Containers of the bays this conductor owns; see conductor/container_sync.py.
        container_states = container_sync.ContainerSync(host, self.ring, self.manager.containers)

        @periodics.periodic(spacing=self.conf.docker.container_sync_interval)
        def sync_containers() -> None:
            container_states()

        self.periodic_worker = periodics.PeriodicWorker(
            [(heartbeat, (), {}), (sync_clusters, (), {}), (sync_containers, (), {})]
        )
        self._periodic_thread = threading.Thread(
            target=self.periodic_worker.start, name="periodics", daemon=True
        )
        self._periodic_thread.start()

    def stop(self) -> None:
        LOG.info("magnum-conductor %s stopping", self.host)
        if self.server is not None:
            self.server.stop()
            self.server.wait()
        if self.periodic_worker is not None:
            self.periodic_worker.stop()
            self.periodic_worker.wait()
        self.pool.shutdown(wait=True, cancel_futures=False)
        try:
            self.dbapi.mark_magnum_service_down(self.host, hash_ring.CONDUCTOR_BINARY)
        except Exception:
            LOG.exception(
                "Could not mark %s down; it will count as down after service_down_time", self.host
            )
        LOG.info("magnum-conductor %s stopped", self.host)
