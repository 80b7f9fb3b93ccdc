"""Containers on real local bays: magnum-all on SQLite, DinD nodes, the real engine.

One ``magnum-all`` per test session (``service``; per worker under xdist)
and, made once in parallel, a 1-node bay (a lone swarm manager) and a 3-node
bay (a manager and two workers), created over HTTP like any user would. The test image is the
2 MB busybox image of ``tests/fixtures/images.py``, which the conductor copies
from the host engine into a node on first use.

Conductor options are shortened so failures show quickly: the container sync
runs every second, and an RPC call gives up after 8 s (so ``execute`` stops
reading a command's output after 6.4 s).
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import os
import shutil
import tempfile
import time
import uuid as uuid_lib
from collections.abc import Iterator
from typing import Any

import docker
import pytest
import requests

from tests.fixtures import images, processes
from tests.fixtures.docker import (
    API_VERSION,
    docker_host,  # noqa: F401 - pytest finds fixtures by name
    remove_labelled,
)

LEGACY = None  # no version header: the API serves 1.1, as 2015 clients expect
BAY_TIMEOUT = 120.0
RPC_TIMEOUT = 8
HTTP_TIMEOUT = 30
CLUSTER_LABEL = "magnum.cluster"
CONTAINER_LABEL = "magnum.container"


class ContainerAPI:
    """Plain HTTP to /v1, as a given project (noauth headers; default: noauth's own)."""

    def __init__(self, url: str, project: str | None = None, user: str | None = None) -> None:
        self.url = url.rstrip("/")
        self.session = requests.Session()
        if project:
            self.session.headers["X-Project-Id"] = project
        if user:
            self.session.headers["X-User-Id"] = user

    def request(
        self, method: str, path: str, version: str | None = LEGACY, **kwargs: Any
    ) -> requests.Response:
        headers = dict(kwargs.pop("headers", None) or {})
        if version is not None:
            headers["OpenStack-API-Version"] = f"container-infra {version}"
        return self.session.request(
            method, self.url + path, headers=headers, timeout=HTTP_TIMEOUT, **kwargs
        )

    def create(self, **body: Any) -> requests.Response:
        return self.request("POST", "/v1/containers", json=body)

    def get(self, ident: str) -> requests.Response:
        return self.request("GET", f"/v1/containers/{ident}")

    def action(self, ident: str, action: str, **params: Any) -> requests.Response:
        method = "GET" if action == "logs" else "PUT"
        # 2015 clients send PUT actions with an empty body.
        return self.request(
            method,
            f"/v1/containers/{ident}/{action}",
            params=params,
            headers={"Content-Length": "0"} if method == "PUT" else None,
        )

    def delete(self, ident: str, **params: Any) -> requests.Response:
        return self.request("DELETE", f"/v1/containers/{ident}", params=params)

    def wait(self, ident: str, statuses: set[str], timeout: float = 60) -> dict[str, Any]:
        """The container once its status is one of ``statuses``."""
        deadline = time.monotonic() + timeout
        body: dict[str, Any] = {}
        while time.monotonic() < deadline:
            response = self.get(ident)
            assert response.status_code == 200, response.text
            body = response.json()
            if body["status"] in statuses:
                return body
            time.sleep(0.1)
        raise AssertionError(f"container {ident} is {body.get('status')}, not {statuses}: {body}")

    def wait_gone(self, ident: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while (response := self.get(ident)).status_code != 404:
            assert response.status_code == 200, response.text
            if time.monotonic() > deadline:
                raise AssertionError(f"container {ident} still there: {response.text}")
            time.sleep(0.1)


@dataclasses.dataclass
class Bay:
    uuid: str
    nodes: list[str]
    sockets: dict[str, str]  # node name -> Docker API socket of the node

    def node_client(self, node: str) -> docker.DockerClient:
        return docker.DockerClient(
            base_url=f"unix://{self.sockets[node]}", version=API_VERSION, timeout=30
        )

    def magnum_containers(self, node: str) -> dict[str, dict[str, Any]]:
        """Containers on ``node`` that magnum made, by magnum uuid."""
        client = self.node_client(node)
        try:
            found = client.api.containers(all=True, filters={"label": CONTAINER_LABEL})
        finally:
            client.close()
        return {c["Labels"][CONTAINER_LABEL]: c for c in found}

    def all_magnum_containers(self) -> dict[str, str]:
        """Every magnum container of the bay: uuid -> node."""
        return {uuid: node for node in self.nodes for uuid in self.magnum_containers(node)}


@dataclasses.dataclass
class Service:
    process: processes.MagnumProcess
    state_dir: str
    api: ContainerAPI
    template: str
    bays: dict[str, Bay]
    made: list[str]

    @property
    def url(self) -> str:
        return self.process.url


def _create_bay(api: ContainerAPI, template: str, node_count: int) -> str:
    # node_count 0 (a lone manager) needs the modern route at 1.10.
    response = api.request(
        "POST",
        "/v1/clusters",
        version="1.10",
        json={"cluster_template_id": template, "node_count": node_count, "master_count": 1},
    )
    assert response.status_code == 202, response.text
    return response.json()["uuid"]


def _wait_bay(api: ContainerAPI, uuid: str, state_dir: str) -> Bay:
    deadline = time.monotonic() + BAY_TIMEOUT
    while True:
        body = api.request("GET", f"/v1/clusters/{uuid}", version="1.10").json()
        if body["status"] == "CREATE_COMPLETE":
            break
        assert "IN_PROGRESS" in body["status"], body
        assert time.monotonic() < deadline, f"bay {uuid} still {body['status']}"
        time.sleep(0.2)
    nodes = api.request("GET", f"/v1/clusters/{uuid}/nodes", version="1.10").json()["nodes"]
    names = sorted(n["name"] for n in nodes)
    sockets = {}
    for node in nodes:
        # <state_dir>/<bay uuid>/<nodegroup>-<index>/docker.sock (drivers/local/layout.py)
        index = node["name"].rsplit("-", 1)[1]
        sockets[node["name"]] = os.path.join(
            state_dir, uuid, f"{node['nodegroup']}-{index}", "docker.sock"
        )
    return Bay(uuid=uuid, nodes=names, sockets=sockets)


def create_template(api: ContainerAPI, **fields: Any) -> str:
    body = {
        "name": f"tmpl-{uuid_lib.uuid4().hex[:8]}",
        "coe": "swarm",
        "image_id": "magnum-local-node",
        "server_type": "local",
        **fields,
    }
    response = api.request("POST", "/v1/clustertemplates", version="1.10", json=body)
    assert response.status_code == 201, response.text
    return response.json()["uuid"]


@pytest.fixture(scope="session")
def service(
    tmp_path_factory: pytest.TempPathFactory,
    docker_host: docker.DockerClient,  # noqa: F811
) -> Iterator[Service]:
    images.ensure_busybox_image(docker_host)
    state = tmp_path_factory.mktemp("containers")
    # Short: node socket paths must fit in 107 bytes.
    state_dir = tempfile.mkdtemp(prefix="mgc-", dir="/tmp")
    port = processes.free_port()
    config = processes.write_config(
        state / "magnum.conf",
        DEFAULT={
            "host": f"containers-{port}",
            "state_path": state,
            "auth_strategy": "noauth",
            "debug": True,
        },
        api={"host_ip": "127.0.0.1", "port": port},
        database={"connection": processes.sqlite_url(state)},
        conductor={"sync_interval": 1, "heartbeat_interval": 1, "rpc_timeout": RPC_TIMEOUT},
        docker={"container_sync_interval": 1, "stop_timeout": 3},
        local={"state_dir": state_dir},
    )
    process = processes.MagnumProcess("magnum-all", config, name=f"containers-{port}", port=port)
    made: list[str] = []
    with processes.running(process):
        api = ContainerAPI(process.url)
        template = create_template(api)
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            uuids = {"one": _create_bay(api, template, 0), "three": _create_bay(api, template, 2)}
            made += uuids.values()
            waits = {k: pool.submit(_wait_bay, api, u, state_dir) for k, u in uuids.items()}
            bays = {k: w.result() for k, w in waits.items()}
        try:
            yield Service(process, state_dir, api, template, bays, made)
        finally:
            for uuid in made:
                api.request("DELETE", f"/v1/clusters/{uuid}", version="1.10")
            for uuid in made:
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    got = api.request("GET", f"/v1/clusters/{uuid}", version="1.10")
                    if got.status_code == 404:
                        break
                    time.sleep(0.2)
    for uuid in made:
        remove_labelled(docker_host, f"{CLUSTER_LABEL}={uuid}")
    shutil.rmtree(state_dir, ignore_errors=True)
