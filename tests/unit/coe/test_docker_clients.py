"""The Docker client cache and the TLS client factory, without a Docker engine."""

from __future__ import annotations

import gc
import os

import pytest

from magnum.coe import docker_clients
from magnum.common import exception
from magnum.drivers import base


class FakeClient:
    def __init__(self) -> None:
        self.closed = False

    def close(self) -> None:
        self.closed = True


def test_client_cache_reuses_evicts_and_bounds() -> None:
    cache = docker_clients.ClientCache(size=2)
    made = []

    def make():
        made.append(FakeClient())
        return made[-1]

    first = cache.get("bay", "n0", make)
    assert cache.get("bay", "n0", make) is first and len(made) == 1
    cache.evict("bay", "n0")
    assert first.closed and cache.get("bay", "n0", make) is not first
    cache.get("bay", "n1", make)
    cache.get("other", "n0", make)  # over the bound: the oldest goes
    assert made[1].closed and len(made) == 4
    cache.evict("other")
    assert made[3].closed
    cache.get("other", "n0", make)
    cache.retain({"bay"})
    assert made[4].closed and not made[2].closed
    cache.clear()
    assert made[2].closed


def test_tls_client_keeps_keys_private_and_removes_them(tmp_path) -> None:
    material = base.TLSMaterial(ca_pem="CA", cert_pem="CERT", key_pem="KEY")
    endpoint = base.Endpoint("docker", "tcp://127.0.0.1:2376", node="n0", tls=material)
    client = docker_clients.client_for(endpoint, "1.41", 5)
    cert_path = client.api.cert[0]
    directory = os.path.dirname(cert_path)
    assert client.api.base_url.startswith("https://")
    assert oct(os.stat(os.path.join(directory, "key.pem")).st_mode & 0o777) == "0o600"
    del client
    gc.collect()
    assert not os.path.exists(directory)


def test_plain_endpoint_is_a_unix_socket_client_and_key_is_never_in_repr() -> None:
    endpoint = base.Endpoint("docker", "unix:///tmp/magnum-test-absent.sock", node="n0")
    client = docker_clients.client_for(endpoint, "1.41", 5)
    assert client.api.base_url.startswith("http+docker://")
    client.close()
    material = base.TLSMaterial(ca_pem="CA", cert_pem="CERT", key_pem="SECRET-KEY")
    assert "SECRET-KEY" not in repr(base.Endpoint("docker", "tcp://h:2376", tls=material))


def test_a_kubernetes_endpoint_is_not_a_docker_client() -> None:
    with pytest.raises(exception.Invalid):
        docker_clients.client_for(base.Endpoint("kubernetes", "https://h:6443"), "1.41", 5)
