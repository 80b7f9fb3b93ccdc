"""Containers on bays: the conductor's half of /v1/containers.

Every container call is routed to the conductor that owns the container's
bay on the hash ring, so one in-process lock per container
(``container_locks.KeyedLocks``) runs one operation at a time on it. The
API records the row first (``Creating``, or an atomic move to ``Deleting``)
and casts; everything else is an RPC call answered from here:

====================  ==============================  =====================
operation             allowed from (else 409)         ends in
====================  ==============================  =====================
create (cast)         Creating                        Stopped, or Error
delete (cast)         Deleting                        row gone, or Error
start                 Stopped Error Unknown Running   Running
stop                  any but Creating/Deleting       Stopped
reboot                Stopped Error Unknown Running   Running
pause                 Running                         Paused
unpause               Paused                          Running
logs                  any with a Docker container     (no change)
execute               Running                         (no change)
====================  ==============================  =====================

Where a new container goes, and how its image gets there, is
``container_placement``; the node is recorded in ``host`` (under a lock per
bay) before the Docker container exists, so concurrent creates spread out.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from concurrent import futures
from typing import Any

from oslo_config import cfg

from magnum import objects
from magnum.coe import docker as coe_docker
from magnum.coe import docker_clients
from magnum.common import exception, states
from magnum.conductor import clusters, container_locks, container_placement, task_manager
from magnum.db import api as db_api
from magnum.objects import fields

LOG = logging.getLogger(__name__)
CONF = cfg.CONF

STATUS = fields.ContainerStatus
BUSY = frozenset({STATUS.CREATING, STATUS.DELETING})
CREATING = frozenset({STATUS.CREATING})
DELETING = frozenset({STATUS.DELETING})
SETTLED = frozenset(STATUS.ALL) - BUSY
ALLOWED = {
    "start": frozenset({STATUS.STOPPED, STATUS.ERROR, STATUS.UNKNOWN, STATUS.RUNNING}),
    "stop": SETTLED,
    "reboot": frozenset({STATUS.STOPPED, STATUS.ERROR, STATUS.UNKNOWN, STATUS.RUNNING}),
    "pause": frozenset({STATUS.RUNNING}),
    "unpause": frozenset({STATUS.PAUSED}),
}
ACTIONS: dict[str, tuple[Callable[[Any, str], None], str]] = {
    "start": (coe_docker.start, STATUS.RUNNING),
    "stop": (lambda c, i: coe_docker.stop(c, i, CONF.docker.stop_timeout), STATUS.STOPPED),
    "reboot": (lambda c, i: coe_docker.restart(c, i, CONF.docker.stop_timeout), STATUS.RUNNING),
    "pause": (coe_docker.pause, STATUS.PAUSED),
    "unpause": (coe_docker.unpause, STATUS.RUNNING),
}


def _admin(context: Any) -> Any:
    return task_manager._all_projects(context)


def _lock_wait() -> float:
    # Less than the API's RPC timeout, so a busy container is a clear 409.
    return max(1.0, min(float(CONF.docker.default_timeout), CONF.conductor.rpc_timeout / 2))


def check_deadline(deadline: float | None, what: str) -> None:
    """Refuse a call its caller gave up on (the API already answered 504).

    Compares wall clocks of the API and conductor hosts: keep them in sync
    (NTP); only a skew larger than ``[conductor] rpc_timeout`` matters.
    """
    if deadline is not None and time.time() > deadline:
        LOG.warning(
            "Dropped %s: it arrived %.1f s after its caller gave up", what, time.time() - deadline
        )
        raise exception.ConductorTimeout(method=what, timeout=CONF.conductor.rpc_timeout)


def output_timeout() -> float:
    """Seconds logs/execute may read output; the RPC call waits longer than that."""
    return max(1.0, min(float(CONF.docker.default_timeout), CONF.conductor.rpc_timeout * 0.8))


class ContainerOperations:
    """What the RPC endpoints and the periodic sync do to containers."""

    def __init__(self, pool: futures.Executor) -> None:
        self.pool = pool
        self.locks = container_locks.KeyedLocks()
        self.clients = docker_clients.ClientCache()
        self.dbapi = db_api.get_instance()

    # --- helpers ---------------------------------------------------------------
    def load(self, context: Any, container_uuid: str) -> Any:
        return objects.Container.get_by_uuid(_admin(context), container_uuid)

    def client_for(self, context: Any, container: Any) -> Any:
        """The Docker client of the container's node (the bay is read only on a miss)."""
        cluster_uuid, node = container.cluster_id, container.host

        def make() -> Any:
            task = task_manager.read_only(context, cluster_uuid, purpose="container client")
            return docker_clients.node_client(task.driver, context, task.cluster, node)

        return self.clients.get(cluster_uuid, node, make)

    def call_docker(
        self, context: Any, container: Any, call: Callable[[Any], Any], retry: bool = True
    ) -> Any:
        """``call(client)``; if the node did not answer, forget its client and
        (``retry``: for calls that may run twice) try once more with a new one."""
        try:
            return call(self.client_for(context, container))
        except exception.DriverError as err:
            if not coe_docker.is_unreachable(err):
                raise
            self.clients.evict(container.cluster_id, container.host)
            if not retry:
                raise
            LOG.info("Node %s did not answer; retrying with a new client", container.host)
            return call(self.client_for(context, container))

    def record(
        self,
        container: Any,
        status: str,
        reason: str | None = None,
        allowed: frozenset[str] = SETTLED,
        **values: Any,
    ) -> bool:
        """Write an outcome unless the row left ``allowed`` meanwhile; False then.

        The API moves a row to Deleting without this conductor's lock (a
        forced delete), so an outcome never overwrites that: the delete cast
        that follows must find the row Deleting. By default only a settled
        row (neither Creating nor Deleting) is written.
        """
        try:
            row = self.dbapi.set_container_status_if(
                container.uuid, status, allowed, values={"status_reason": reason, **values}
            )
        except exception.InvalidState:
            container.refresh()
            return False
        container._from_db_object(container, row)
        self.locks.bump(container.uuid)
        return True

    def mark_gone(self, container: Any) -> exception.ContainerGone:
        err = exception.ContainerGone(container=container.uuid, host=container.host)
        self.record(container, STATUS.ERROR, err.format_message())
        return err

    @contextlib.contextmanager
    def exclusive(self, context: Any, container_uuid: str) -> Iterator[Any]:
        with self.locks.hold(container_uuid, timeout=_lock_wait()) as held:
            if not held:
                raise exception.OperationInProgress(
                    resource="Container", ident=container_uuid, state="busy with another operation"
                )
            yield self.load(context, container_uuid)

    # --- create ----------------------------------------------------------------
    def create(self, context: Any, container_uuid: str) -> None:
        with self.locks.hold(container_uuid):
            try:
                container = self.load(context, container_uuid)
            except exception.ResourceNotFound:
                return  # deleted before this cast was handled
            if container.status != STATUS.CREATING:
                return  # a repeated delivery of the cast
            LOG.info("Container %s: create on bay %s", container.uuid, container.cluster_id)
            try:
                self._create(context, container)
            except Exception as err:
                self._create_failed(context, container, err)

    def _create(self, context: Any, container: Any) -> None:
        task = task_manager.read_only(context, container.cluster_id, purpose="create container")
        if task.cluster.status not in states.STABLE_COMPLETE:
            raise exception.ClusterNotReady(cluster=task.cluster.uuid, state=task.cluster.status)
        with self.locks.hold(f"placement:{task.cluster.uuid}"):
            node = container_placement.place(context, task, container)
            if not self.record(container, STATUS.CREATING, host=node, allowed=CREATING):
                LOG.info("Container %s was deleted before it was placed", container.uuid)
                return
        client = self.client_for(context, container)
        container_placement.ensure_image(context, task, client, container.image, node)
        # A half-done earlier attempt may have left a container of this name.
        coe_docker.remove(client, coe_docker.container_name(container.uuid))
        spec = coe_docker.ContainerSpec(
            uuid=container.uuid,
            cluster_uuid=container.cluster_id,
            image=container.image,
            command=container.command,
            memory=container.memory,
            environment=container.environment,
        )
        docker_id = coe_docker.create(client, spec)
        try:
            self.dbapi.set_container_status_if(
                container.uuid,
                STATUS.STOPPED,
                {STATUS.CREATING},
                values={"container_id": docker_id, "status_reason": None},
            )
        except (exception.InvalidState, exception.ResourceNotFound):
            # Deleted (force) while being created: leave nothing behind.
            coe_docker.remove(client, docker_id)
            LOG.info("Container %s was deleted while it was created", container.uuid)
            return
        self.locks.bump(container.uuid)
        LOG.info("Container %s created on node %s as %s", container.uuid, node, docker_id[:12])

    def _create_failed(self, context: Any, container: Any, err: Exception) -> None:
        safe = isinstance(err, exception.MagnumException) and err.safe
        LOG.warning("Container %s: create failed: %s", container.uuid, err, exc_info=not safe)
        if container.host:
            with contextlib.suppress(Exception):  # best effort; the reason says what failed
                self.call_docker(
                    context,
                    container,
                    lambda c: coe_docker.remove(c, coe_docker.container_name(container.uuid)),
                )
        self.fail_stale_create(container, clusters.failure_reason(err))

    def fail_stale_create(self, container: Any, reason: str) -> None:
        """Creating → Error with ``reason`` (a forced delete may have moved it on)."""
        with contextlib.suppress(exception.InvalidState, exception.ResourceNotFound):
            self.dbapi.set_container_status_if(
                container.uuid, STATUS.ERROR, {STATUS.CREATING}, values={"status_reason": reason}
            )
        self.locks.bump(container.uuid)

    # --- delete ----------------------------------------------------------------
    def delete(self, context: Any, container_uuid: str) -> None:
        with self.locks.hold(container_uuid):
            try:
                container = self.load(context, container_uuid)
            except exception.ResourceNotFound:
                return
            if container.status != STATUS.DELETING:
                return
            try:
                self._remove_from_docker(context, container)
            except Exception as err:
                safe = isinstance(err, exception.MagnumException) and err.safe
                LOG.warning(
                    "Container %s: delete failed: %s", container.uuid, err, exc_info=not safe
                )
                self.record(
                    container,
                    STATUS.ERROR,
                    f"Deleting failed: {clusters.failure_reason(err)}",
                    allowed=DELETING,
                )
                return
            with contextlib.suppress(exception.ResourceNotFound):
                container.destroy()
            self.locks.forget(container.uuid)
            LOG.info("Container %s deleted", container.uuid)

    def _remove_from_docker(self, context: Any, container: Any) -> None:
        if not container.host:
            return  # never placed: nothing exists in Docker
        ident = container.container_id or coe_docker.container_name(container.uuid)
        try:
            self.call_docker(context, container, lambda c: coe_docker.remove(c, ident))
        except (exception.ResourceNotFound, exception.NotSupported) as err:
            # The bay or the node is gone, and the container with it; or the
            # bay has no Docker API, so no container was ever made.
            LOG.info("Container %s: %s; nothing to remove", container.uuid, err)

    # --- short actions (RPC calls) ----------------------------------------------
    def action(self, context: Any, container_uuid: str, action: str) -> Any:
        call, result = ACTIONS[action]
        with self.exclusive(context, container_uuid) as container:
            self.check(container, action, ALLOWED[action])
            try:
                self.call_docker(context, container, lambda c: call(c, container.container_id))
            except exception.ResourceNotFound as err:
                raise self.mark_gone(container) from err
            except exception.Conflict as err:
                self._refresh(context, container)
                raise exception.ContainerStateConflict(
                    container=container.uuid,
                    state=container.status,
                    action=action,
                    needed=f"otherwise (Docker: {err.format_message()})",
                ) from err
            self.record(container, result)
            return container

    def check(self, container: Any, action: str, allowed: frozenset[str]) -> None:
        if container.status not in allowed:
            raise exception.ContainerStateConflict(
                container=container.uuid,
                state=container.status,
                action=action,
                needed="to be " + " or ".join(sorted(allowed)),
            )
        if not container.container_id:
            raise exception.ContainerStateConflict(
                container=container.uuid,
                state=f"{container.status} without a Docker container",
                action=action,
                needed="created first (delete it and create it again)",
            )

    def _refresh(self, context: Any, container: Any) -> None:
        with contextlib.suppress(exception.MagnumException):
            found = self.call_docker(
                context, container, lambda c: coe_docker.inspect(c, container.container_id)
            )
            if (found.status, found.reason) != (container.status, container.status_reason):
                self.record(container, found.status, found.reason)

    def logs(
        self, context: Any, container_uuid: str, since: Any = None, tail: int | None = None
    ) -> dict[str, Any]:
        container = self.load(context, container_uuid)
        self.check(container, "logs", SETTLED)
        try:
            out = self.call_docker(
                context,
                container,
                lambda c: coe_docker.logs(
                    c,
                    container.container_id,
                    limit=CONF.docker.max_output_bytes,
                    timeout=output_timeout(),
                    since=since,
                    tail=tail,
                ),
            )
        except exception.ResourceNotFound as err:
            raise self.mark_gone(container) from err
        return {"output": out.text, "truncated": out.truncated}

    def execute(self, context: Any, container_uuid: str, command: str) -> dict[str, Any]:
        container = self.load(context, container_uuid)
        self.check(container, "execute", ALLOWED["pause"])
        try:
            out = self.call_docker(
                context,
                container,
                lambda c: coe_docker.execute(
                    c,
                    container.container_id,
                    command,
                    limit=CONF.docker.max_output_bytes,
                    timeout=output_timeout(),
                ),
                retry=False,  # the command may have run before the node stopped answering
            )
        except exception.ResourceNotFound as err:
            raise self.mark_gone(container) from err
        except exception.Conflict as err:
            self._refresh(context, container)
            raise exception.ContainerStateConflict(
                container=container.uuid,
                state=container.status,
                action="execute",
                needed=f"Running (Docker: {err.format_message()})",
            ) from err
        return {"output": out.text, "exit_code": out.exit_code, "truncated": out.truncated}

    def show(self, context: Any, container_uuid: str) -> Any:
        """The container after a live look at Docker (status Unknown, unsaved, if none)."""
        container = self.load(context, container_uuid)
        if container.status in BUSY or not container.container_id:
            return container
        generation = self.locks.generation(container.uuid)
        try:
            found = self.call_docker(
                context, container, lambda c: coe_docker.inspect(c, container.container_id)
            )
        except exception.ResourceNotFound:
            found = coe_docker.ContainerState(
                STATUS.ERROR,
                exception.ContainerGone(
                    container=container.uuid, host=container.host
                ).format_message(),
            )
        except exception.MagnumException as err:
            container.status = STATUS.UNKNOWN
            container.status_reason = clusters.failure_reason(err)
            container.obj_reset_changes(["status", "status_reason"])
            return container
        if (found.status, found.reason) == (container.status, container.status_reason):
            return container
        with self.locks.hold(container.uuid, timeout=0) as held:
            if held and self.locks.generation(container.uuid) == generation:
                container.refresh()
                if container.status not in BUSY:
                    self.record(container, found.status, found.reason)
        return container
