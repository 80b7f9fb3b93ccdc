"""Client side of the conductor's RPC API.

Casts for a bay go to the conductor that owns it on the hash ring
(``server=<host>`` on the ``[conductor] topic``); calls wait at most
``[conductor] rpc_timeout`` seconds, and a timeout becomes a 504 at the API.

API version history:

* 1.0 - cluster_create, cluster_resize, cluster_delete, cluster_nodes.
* 1.1 - container_create, container_delete (casts); container_action,
  container_logs, container_execute, container_show (calls).
* 1.2 - nodegroup_create, nodegroup_delete (casts); credential_rotate (call).
* 1.3 - get_ca_certificate, sign_certificate (calls).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import Any

import oslo_messaging as messaging
from oslo_config import cfg

from magnum.common import exception, rpc
from magnum.conductor import hash_ring

CONF = cfg.CONF


class ConductorAPI:
    RPC_API_VERSION = "1.3"

    def __init__(self, topic: str | None = None) -> None:
        self.topic = topic or CONF.conductor.topic
        target = messaging.Target(topic=self.topic, version=self.RPC_API_VERSION)
        self.client = rpc.get_client(target, version_cap=self.RPC_API_VERSION)
        self.ring = hash_ring.HashRingManager()

    def _for_cluster(
        self, cluster_uuid: str, timeout: int | None = None, version: str | None = None
    ) -> Any:
        host = self.ring.get_host(cluster_uuid)
        # Methods added after 1.0 name their version, so that a conductor too
        # old for them refuses clearly instead of failing on a missing method.
        versioned = {"version": version} if version else {}
        return self.client.prepare(
            server=host, timeout=timeout or CONF.conductor.rpc_timeout, **versioned
        )

    def _call(
        self, context: Any, owner_key: str, method: str, version: str | None = None, **kwargs: Any
    ) -> Any:
        cctxt = self._for_cluster(owner_key, version=version)
        try:
            return cctxt.call(context, method, **kwargs)
        except messaging.MessagingTimeout as err:
            raise exception.ConductorTimeout(
                method=method, timeout=CONF.conductor.rpc_timeout
            ) from err

    def cluster_create(self, context: Any, cluster_uuid: str) -> None:
        self._for_cluster(cluster_uuid).cast(context, "cluster_create", cluster_uuid=cluster_uuid)

    def cluster_resize(
        self,
        context: Any,
        cluster_uuid: str,
        nodegroup_uuid: str,
        node_count: int,
        nodes_to_remove: Sequence[str] = (),
    ) -> None:
        self._for_cluster(cluster_uuid).cast(
            context,
            "cluster_resize",
            cluster_uuid=cluster_uuid,
            nodegroup_uuid=nodegroup_uuid,
            node_count=node_count,
            nodes_to_remove=list(nodes_to_remove),
        )

    def cluster_delete(self, context: Any, cluster_uuid: str) -> None:
        self._for_cluster(cluster_uuid).cast(context, "cluster_delete", cluster_uuid=cluster_uuid)

    def cluster_nodes(self, context: Any, cluster_uuid: str) -> list[dict[str, Any]]:
        return self._call(context, cluster_uuid, "cluster_nodes", cluster_uuid=cluster_uuid)

    # Nodegroups are changes of their bay: same owner, same lock. Resizes
    # go through cluster_resize.
    def nodegroup_create(self, context: Any, cluster_uuid: str, nodegroup_uuid: str) -> None:
        self._for_cluster(cluster_uuid, version="1.2").cast(
            context, "nodegroup_create", cluster_uuid=cluster_uuid, nodegroup_uuid=nodegroup_uuid
        )

    def nodegroup_delete(self, context: Any, cluster_uuid: str, nodegroup_uuid: str) -> None:
        self._for_cluster(cluster_uuid, version="1.2").cast(
            context, "nodegroup_delete", cluster_uuid=cluster_uuid, nodegroup_uuid=nodegroup_uuid
        )

    def credential_rotate(self, context: Any, cluster_uuid: str) -> None:
        """Replace the bay's trust; the caller waits so Keystone errors reach it."""
        self._call(
            context, cluster_uuid, "credential_rotate", version="1.2", cluster_uuid=cluster_uuid
        )

    # Certificates: the owning conductor holds the bay's CA (made on first use).
    def get_ca_certificate(self, context: Any, cluster_uuid: str, ca_cert_type: str) -> str:
        return self._call(
            context,
            cluster_uuid,
            "get_ca_certificate",
            version="1.3",
            cluster_uuid=cluster_uuid,
            ca_cert_type=ca_cert_type,
        )

    def sign_certificate(
        self, context: Any, cluster_uuid: str, csr: str, ca_cert_type: str
    ) -> str:
        return self._call(
            context,
            cluster_uuid,
            "sign_certificate",
            version="1.3",
            cluster_uuid=cluster_uuid,
            csr=csr,
            ca_cert_type=ca_cert_type,
        )

    # Containers go to the conductor that owns their bay (``cluster_uuid``).
    def container_create(self, context: Any, cluster_uuid: str, container_uuid: str) -> None:
        self._for_cluster(cluster_uuid, version="1.1").cast(
            context, "container_create", container_uuid=container_uuid
        )

    def container_delete(self, context: Any, cluster_uuid: str, container_uuid: str) -> None:
        self._for_cluster(cluster_uuid, version="1.1").cast(
            context, "container_delete", container_uuid=container_uuid
        )

    def container_action(
        self, context: Any, cluster_uuid: str, container_uuid: str, action: str
    ) -> Any:
        """start, stop, reboot, pause or unpause; returns the updated Container."""
        return self._call(
            context,
            cluster_uuid,
            "container_action",
            version="1.1",
            container_uuid=container_uuid,
            action=action,
            deadline=_deadline(),
        )

    def container_logs(
        self,
        context: Any,
        cluster_uuid: str,
        container_uuid: str,
        since: float | None = None,
        tail: int | None = None,
    ) -> dict[str, Any]:
        return self._call(
            context,
            cluster_uuid,
            "container_logs",
            version="1.1",
            container_uuid=container_uuid,
            since=since,
            tail=tail,
        )

    def container_execute(
        self, context: Any, cluster_uuid: str, container_uuid: str, command: str
    ) -> dict[str, Any]:
        return self._call(
            context,
            cluster_uuid,
            "container_execute",
            version="1.1",
            container_uuid=container_uuid,
            command=command,
            deadline=_deadline(),
        )

    def container_show(self, context: Any, cluster_uuid: str, container_uuid: str) -> Any:
        return self._call(
            context, cluster_uuid, "container_show", version="1.1", container_uuid=container_uuid
        )


def _deadline() -> float:
    """When the caller stops waiting (unix time), so a conductor that receives
    the call later (it was stopped, or the broker had already pushed it the
    message) does not act after the API answered 504."""
    return time.time() + CONF.conductor.rpc_timeout


_CLIENT: ConductorAPI | None = None
_LOCK = threading.Lock()


def get_client() -> ConductorAPI:
    global _CLIENT
    with _LOCK:
        if _CLIENT is None:
            _CLIENT = ConductorAPI()
        return _CLIENT


def reset_client() -> None:
    global _CLIENT
    with _LOCK:
        _CLIENT = None
