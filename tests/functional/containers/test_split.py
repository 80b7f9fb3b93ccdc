"""Containers with magnum-api and magnum-conductor apart, on RabbitMQ and MariaDB.

The same road as the all-in-one, over a real broker; and when the conductor
stops answering (SIGSTOP), a container action is a 504 within the RPC
timeout, never a hang, and changes nothing.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import time
import uuid
from collections.abc import Iterator

import docker
import pytest

from tests.fixtures import images, processes
from tests.fixtures.docker import remove_labelled
from tests.functional.containers.conftest import (
    CLUSTER_LABEL,
    ContainerAPI,
    _create_bay,
    _wait_bay,
    create_template,
)

RPC_TIMEOUT = 5


@pytest.fixture(scope="module")
def split(
    tmp_path_factory: pytest.TempPathFactory,
    docker_host: docker.DockerClient,  # noqa: F811
) -> Iterator[tuple[ContainerAPI, processes.MagnumProcess, str, str]]:
    images.ensure_busybox_image(docker_host)
    state = tmp_path_factory.mktemp("split-containers")
    state_dir = tempfile.mkdtemp(prefix="mgs-", dir="/tmp")
    port = processes.free_port()
    host = f"conductor-{uuid.uuid4().hex[:8]}"
    config = processes.write_config(
        state / "magnum.conf",
        DEFAULT={
            "host": host,
            "state_path": state,
            "auth_strategy": "noauth",
            "transport_url": processes.rabbit_url(),
        },
        api={"host_ip": "127.0.0.1", "port": port},
        database={"connection": processes.database_url("mysql")},
        conductor={"sync_interval": 1, "heartbeat_interval": 1, "rpc_timeout": RPC_TIMEOUT},
        docker={"container_sync_interval": 1, "stop_timeout": 2},
        local={"state_dir": state_dir},
    )
    processes.db_manage(config, "upgrade")
    api_process = processes.MagnumProcess(
        "magnum-api", config, name=f"split-c-api-{port}", port=port
    )
    conductor = processes.MagnumProcess(
        "magnum-conductor", config, name=f"split-c-{host}", host=host, api_url=api_process.url
    )
    bay = None
    with processes.running(api_process, conductor):
        api = ContainerAPI(api_process.url)
        try:
            bay = _create_bay(api, create_template(api), 0)
            _wait_bay(api, bay, state_dir)
            yield api, conductor, bay, state_dir
        finally:
            if conductor.poll() is None:
                os.kill(conductor.proc.pid, signal.SIGCONT)
            if bay:
                api.request("DELETE", f"/v1/clusters/{bay}", version="1.10")
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    if api.request("GET", f"/v1/bays/{bay}").status_code == 404:
                        break
                    time.sleep(0.2)
    if bay:
        remove_labelled(docker_host, f"{CLUSTER_LABEL}={bay}")
    shutil.rmtree(state_dir, ignore_errors=True)


def test_a_container_through_rabbitmq(split) -> None:
    api, _, bay, _ = split
    uuid = api.create(image=images.BUSYBOX_IMAGE, bay_uuid=bay, command="sleep 600").json()["uuid"]
    assert api.wait(uuid, {"Stopped", "Error"})["status"] == "Stopped"
    assert api.action(uuid, "start").json()["status"] == "Running"
    executed = api.action(uuid, "execute", command="echo over-rabbit").json()
    assert executed == {"output": "over-rabbit\n", "exit_code": 0, "truncated": False}
    assert api.action(uuid, "stop").json()["status"] == "Stopped"
    assert api.delete(uuid).status_code == 204
    api.wait_gone(uuid)


def test_a_conductor_that_does_not_answer_is_a_504(split) -> None:
    api, conductor, bay, _ = split
    uuid = api.create(image=images.BUSYBOX_IMAGE, bay_uuid=bay, command="sleep 600").json()["uuid"]
    api.wait(uuid, {"Stopped"})
    os.kill(conductor.proc.pid, signal.SIGSTOP)
    try:
        began = time.monotonic()
        response = api.action(uuid, "start")
        took = time.monotonic() - began
        assert response.status_code == 504, response.text
        error = response.json()["errors"][0]
        assert error["code"] == "magnum.conductor.timeout"
        assert RPC_TIMEOUT - 1 < took < RPC_TIMEOUT + 5
        # The API still answers what it can from the database.
        listed = api.request("GET", "/v1/containers").json()["containers"]
        assert [c["status"] for c in listed if c["uuid"] == uuid] == ["Stopped"]
    finally:
        os.kill(conductor.proc.pid, signal.SIGCONT)
    # The timed-out call expired in the broker: it is not run late.
    time.sleep(2)
    assert api.request("GET", "/v1/containers").json()["containers"][0]["status"] == "Stopped"
    assert api.action(uuid, "start").json()["status"] == "Running"
    assert api.delete(uuid, force="true").status_code == 204
    api.wait_gone(uuid)
