"""Docker clients of bays' nodes: kept between calls, and made with TLS.

``ClientCache`` keeps one ``docker.DockerClient`` per (bay, node), made by
the bay's driver; ``tls_client`` is the factory a driver uses for engines
that listen on TCP with TLS (``tcp://host:2376``, the bay's CA and the
client certificate magnum holds for it), as Heat-built swarms do. Local
bays' nodes are unix sockets (``LocalDriver.docker_client``).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
import threading
import weakref
from collections.abc import Callable
from typing import Any

import docker
import docker.tls


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


@dataclasses.dataclass(frozen=True)
class TLSMaterial:
    """PEM text of a bay's CA and of the client certificate magnum holds for it."""

    ca_cert: str
    client_cert: str
    client_key: str


def tls_client(base_url: str, tls: TLSMaterial, version: str, timeout: int) -> docker.DockerClient:
    """A client of a TLS-protected engine (``tcp://host:2376``), verifying its CA.

    The SDK wants files: the PEMs go to a private directory that lives as
    long as the client.
    """
    directory = tempfile.mkdtemp(prefix="magnum-docker-tls-")
    try:
        paths = {}
        for name, text in (
            ("ca.pem", tls.ca_cert),
            ("cert.pem", tls.client_cert),
            ("key.pem", tls.client_key),
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
