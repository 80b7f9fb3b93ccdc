"""Docker clients of bays' nodes: made from a driver's endpoints, kept between calls.

``client_for`` turns a ``drivers.base.Endpoint`` (a unix socket, or
``tcp://host:2376`` with the bay's CA and the client certificate magnum
holds for it) into a ``docker.DockerClient``; ``ClientCache`` keeps one per
(bay, node).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import weakref
from collections.abc import Callable
from typing import Any

import docker
import docker.tls
from oslo_config import cfg

from magnum.common import exception
from magnum.drivers.base import Endpoint, TLSMaterial, pick_endpoint

CONF = cfg.CONF


class ClientCache:
    """Docker clients per (bay uuid, node), made once by the bay's driver.

    Making a client for a local node asks the host engine where the node's
    socket is, which costs more than most container calls; so clients are
    kept, at most ``size`` of them, and dropped (``evict``) when a node did
    not answer, so the next call asks the driver again.
    """

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._clients: dict[tuple[str, str | None], docker.DockerClient] = {}

    def get(self, cluster_uuid: str, node: str | None, make: Callable[[], Any]) -> Any:
        """The cached client of the node, or ``make()``'s (the driver's) new one."""
        key = (cluster_uuid, node)
        with self._lock:
            client = self._clients.get(key)
        if client is not None:
            return client
        client = make()
        with self._lock:
            existing = self._clients.get(key)
            if existing is not None:
                client.close()
                return existing
            if len(self._clients) >= self.size:
                oldest = next(iter(self._clients))
                self._clients.pop(oldest).close()
            self._clients[key] = client
        return client

    def evict(self, cluster_uuid: str, node: str | None = None) -> None:
        """Forget the node's client (every node of the bay when ``node`` is None)."""
        with self._lock:
            keys = [k for k in self._clients if k[0] == cluster_uuid and node in (None, k[1])]
            for key in keys:
                self._clients.pop(key).close()

    def retain(self, cluster_uuids: set[str]) -> None:
        """Close the clients of every bay not in ``cluster_uuids`` (deleted bays)."""
        with self._lock:
            for key in [k for k in self._clients if k[0] not in cluster_uuids]:
                self._clients.pop(key).close()

    def clear(self) -> None:
        with self._lock:
            for client in self._clients.values():
                client.close()
            self._clients.clear()


def node_client(driver: Any, context: Any, cluster: Any, node: str | None) -> Any:
    """A client of the node's Docker API (None: the bay's), from the driver's endpoints.

    ResourceNotFound when the bay has no such node.
    """
    endpoint = pick_endpoint(driver.endpoints(context, cluster, "docker"), node)
    return client_for(endpoint, CONF.docker.docker_remote_api_version, CONF.docker.default_timeout)


def client_for(endpoint: Endpoint, version: str, timeout: int) -> docker.DockerClient:
    """A client of the Docker endpoint: plain, or TLS verifying the bay's CA."""
    if endpoint.kind != "docker":
        raise exception.Invalid(f"A {endpoint.kind} endpoint is not a Docker API.")
    if endpoint.tls is None:
        return docker.DockerClient(base_url=endpoint.url, version=version, timeout=timeout)
    return tls_client(endpoint.url, endpoint.tls, version, timeout)


def tls_client(base_url: str, tls: TLSMaterial, version: str, timeout: int) -> docker.DockerClient:
    """A client of a TLS-protected engine (``tcp://host:2376``), verifying its CA.

    The SDK wants files: the PEMs go to a private (0700) directory, each
    file 0600, that lives as long as the client.
    """
    directory = tempfile.mkdtemp(prefix="magnum-docker-tls-")
    try:
        paths = {}
        for name, text in (
            ("ca.pem", tls.ca_pem),
            ("cert.pem", tls.cert_pem),
            ("key.pem", tls.key_pem),
        ):
            path = os.path.join(directory, name)
            with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
                f.write(text)
            paths[name] = path
        config = docker.tls.TLSConfig(
            client_cert=(paths["cert.pem"], paths["key.pem"]),
            ca_cert=paths["ca.pem"],
            verify=True,
        )
        client = docker.DockerClient(
            base_url=base_url, tls=config, version=version, timeout=timeout
        )
    except Exception:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    weakref.finalize(client, shutil.rmtree, directory, True)
    return client
