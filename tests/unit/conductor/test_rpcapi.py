"""The RPC client: casts reach the owning conductor; calls time out as 504.

Conductors here are oslo.messaging servers on the in-process ``fake:/``
transport with recording endpoints, so the test sees which host got what.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import oslo_messaging as messaging
import pytest

from magnum import conf
from magnum.common import exception, rpc
from magnum.conductor import hash_ring, rpcapi
from tests.unit.conductor.conftest import HOST, OTHER_HOST

CLUSTER_A = "6f1c7a8e-0b7e-4c1e-9a55-1f0f2f6c0a01"


class RecordingConductor:
    target = messaging.Target(version=rpcapi.ConductorAPI.RPC_API_VERSION)

    def __init__(self, host: str) -> None:
        self.host = host
        self.received: list[tuple[str, dict[str, Any]]] = []
        self.arrived = threading.Event()
        self.slow = threading.Event()  # set: cluster_nodes blocks until released
        self.release = threading.Event()

    def _record(self, method: str, context: Any, **kwargs: Any) -> None:
        self.received.append((method, {"project_id": context.project_id, **kwargs}))
        self.arrived.set()

    def cluster_create(self, context: Any, cluster_uuid: str) -> None:
        self._record("cluster_create", context, cluster_uuid=cluster_uuid)

    def cluster_resize(self, context: Any, **kwargs: Any) -> None:
        self._record("cluster_resize", context, **kwargs)

    def cluster_delete(self, context: Any, cluster_uuid: str) -> None:
        self._record("cluster_delete", context, cluster_uuid=cluster_uuid)

    @messaging.expected_exceptions(exception.ResourceNotFound)
    def cluster_nodes(self, context: Any, cluster_uuid: str) -> list[dict[str, Any]]:
        self._record("cluster_nodes", context, cluster_uuid=cluster_uuid)
        if cluster_uuid == "gone":
            raise exception.ResourceNotFound(resource="Cluster", ident=cluster_uuid)
        if self.slow.is_set():
            self.release.wait(10)
        return [{"name": f"{self.host}-node-0"}]


@pytest.fixture
def conductors(ctx, config, heartbeat) -> Iterator[dict[str, RecordingConductor]]:
    config.config(group="conductor", rpc_timeout=1)
    rpc.cleanup()
    rpc.init(conf.CONF, url=rpc.IN_PROCESS_TRANSPORT_URL)
    rpcapi.reset_client()
    endpoints = {host: RecordingConductor(host) for host in (HOST, OTHER_HOST)}
    servers = []
    for host, endpoint in endpoints.items():
        heartbeat(host)
        target = messaging.Target(topic=conf.CONF.conductor.topic, server=host)
        server = rpc.get_server(target, [endpoint])
        server.start()
        servers.append(server)
    yield endpoints
    for endpoint in endpoints.values():
        endpoint.release.set()
    for server in servers:
        server.stop()
    for server in servers:
        server.wait()
    rpcapi.reset_client()
    rpc.cleanup()


def owner_and_other(conductors: dict[str, RecordingConductor], cluster_uuid: str) -> tuple:
    owner = hash_ring.HashRingManager().get_host(cluster_uuid)
    other = OTHER_HOST if owner == HOST else HOST
    return conductors[owner], conductors[other]


def test_casts_go_to_the_owner_of_the_bay(ctx, conductors):
    client = rpcapi.get_client()
    owner, other = owner_and_other(conductors, CLUSTER_A)
    client.cluster_create(ctx, CLUSTER_A)
    client.cluster_resize(ctx, CLUSTER_A, "ng-1", 4, ["node-2"])
    client.cluster_delete(ctx, CLUSTER_A)
    for _ in range(3):
        assert owner.arrived.wait(5)
        owner.arrived.clear()
        if len(owner.received) == 3:
            break
    assert [method for method, _ in owner.received] == [
        "cluster_create",
        "cluster_resize",
        "cluster_delete",
    ]
    assert owner.received[1][1] == {
        "project_id": ctx.project_id,
        "cluster_uuid": CLUSTER_A,
        "nodegroup_uuid": "ng-1",
        "node_count": 4,
        "nodes_to_remove": ["node-2"],
    }
    assert other.received == []


def test_bays_spread_over_the_live_conductors(ctx, conductors):
    ring = hash_ring.HashRingManager()
    owners = {ring.get_host(f"00000000-0000-4000-8000-{i:012d}") for i in range(50)}
    assert owners == {HOST, OTHER_HOST}


def test_a_call_returns_the_owners_answer(ctx, conductors):
    owner, _ = owner_and_other(conductors, CLUSTER_A)
    nodes = rpcapi.get_client().cluster_nodes(ctx, CLUSTER_A)
    assert nodes == [{"name": f"{owner.host}-node-0"}]


def test_an_expected_error_crosses_rpc_with_its_code(ctx, conductors):
    with pytest.raises(exception.ResourceNotFound) as info:
        rpcapi.get_client().cluster_nodes(ctx, "gone")
    assert info.value.code == 404


def test_a_call_without_answer_is_a_504(ctx, conductors):
    owner, _ = owner_and_other(conductors, CLUSTER_A)
    owner.slow.set()
    with pytest.raises(exception.ConductorTimeout) as info:
        rpcapi.get_client().cluster_nodes(ctx, CLUSTER_A)
    assert info.value.code == 504
    assert "cluster_nodes" in info.value.format_message()


def test_no_live_conductor_is_a_503(ctx, config):
    rpc.cleanup()
    rpc.init(conf.CONF, url=rpc.IN_PROCESS_TRANSPORT_URL)
    rpcapi.reset_client()
    try:
        with pytest.raises(exception.NoConductorAvailable) as info:
            rpcapi.get_client().cluster_create(ctx, CLUSTER_A)
        assert info.value.code == 503
    finally:
        rpcapi.reset_client()
        rpc.cleanup()
