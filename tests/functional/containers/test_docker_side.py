"""What Docker does behind magnum's back, and output that does not fit.

The periodic sync (every second here) notices a container killed or removed
on its node; logs and execute stream their output, cut it at
``[docker] max_output_bytes`` with a marker, and stop reading a command that
never ends before the API's RPC call would time out.
"""

from __future__ import annotations

import time

import docker

from tests.fixtures.images import BUSYBOX_IMAGE
from tests.functional.containers.conftest import RPC_TIMEOUT, Service

MAX_OUTPUT = 1024 * 1024  # the [docker] max_output_bytes default
HUNDRED_MB = 100 * 1000 * 1000


def running(service: Service, command: str) -> tuple[str, str]:
    """A started container on the 1-node bay: (uuid, Docker id)."""
    api, bay = service.api, service.bays["one"]
    uuid = api.create(image=BUSYBOX_IMAGE, bay_uuid=bay.uuid, command=command).json()["uuid"]
    api.wait(uuid, {"Stopped"})
    assert api.action(uuid, "start").status_code == 200
    return uuid, bay.magnum_containers(bay.nodes[0])[uuid]["Id"]


def node(service: Service) -> docker.DockerClient:
    bay = service.bays["one"]
    return bay.node_client(bay.nodes[0])


def wait_status(service: Service, uuid: str, status: str, timeout: float = 10) -> dict:
    """Status as the periodic sync records it (the list never asks Docker live)."""
    deadline = time.monotonic() + timeout
    while True:
        rows = service.api.request("GET", "/v1/containers/detail").json()["containers"]
        row = next(r for r in rows if r["uuid"] == uuid)
        if row["status"] == status:
            return row
        assert time.monotonic() < deadline, row
        time.sleep(0.2)


def test_killed_outside_magnum_becomes_stopped(service: Service) -> None:
    uuid, docker_id = running(service, "sleep 600")
    node(service).api.kill(docker_id)
    row = wait_status(service, uuid, "Stopped")
    assert row["status_reason"] == "exited with code 137"
    assert service.api.action(uuid, "start").json()["status"] == "Running"
    assert service.api.delete(uuid, force="true").status_code == 204
    service.api.wait_gone(uuid)


def test_removed_outside_magnum_becomes_error(service: Service) -> None:
    api = service.api
    uuid, docker_id = running(service, "sleep 600")
    node(service).api.remove_container(docker_id, force=True)
    row = wait_status(service, uuid, "Error")
    assert "gone" in row["status_reason"] and "removed outside Magnum" in row["status_reason"]
    refused = api.action(uuid, "stop")
    assert refused.status_code == 409, refused.text
    assert refused.json()["errors"][0]["code"] == "magnum.container.gone"
    assert api.delete(uuid).status_code == 204  # Error: no force needed; Docker has nothing
    api.wait_gone(uuid)


def test_show_looks_at_docker_live(service: Service) -> None:
    api = service.api
    uuid, docker_id = running(service, "sleep 600")
    node(service).api.pause(docker_id)
    assert api.get(uuid).json()["status"] == "Paused"  # at once, not at the next sync
    assert api.action(uuid, "unpause").json()["status"] == "Running"
    assert api.delete(uuid, force="true").status_code == 204
    api.wait_gone(uuid)


def test_a_100_mb_log_is_cut_not_loaded(service: Service) -> None:
    api = service.api
    line = "0123456789abcdef" * 4  # 64 characters + newline per line
    uuid, _ = running(
        service,
        f"sh -c 'yes {line} | head -c {HUNDRED_MB}; echo the-end; exec sleep 600'",
    )
    deadline = time.monotonic() + 60
    while not api.action(uuid, "logs", tail=1).json()["output"].endswith("the-end\n"):
        assert time.monotonic() < deadline, "the 100 MB were not logged in time"
        time.sleep(0.5)
    began = time.monotonic()
    response = api.action(uuid, "logs")
    took = time.monotonic() - began
    assert response.status_code == 200, response.text[:500]
    body = response.json()
    assert body["truncated"] is True
    assert body["output"].startswith(line + "\n")
    assert "output truncated after 1048576 bytes" in body["output"]
    assert MAX_OUTPUT < len(body["output"]) < MAX_OUTPUT + 200
    assert took < 5, f"a cut log took {took:.1f} s"
    tail = api.action(uuid, "logs", tail=3).json()
    assert tail["truncated"] is False and tail["output"].endswith("the-end\n")
    future = api.action(uuid, "logs", since=str(time.time() + 3600)).json()
    assert future["output"] == ""
    assert api.delete(uuid, force="true").status_code == 204
    api.wait_gone(uuid)


def test_execute_output_and_time_are_bounded(service: Service) -> None:
    api = service.api
    uuid, _ = running(service, "sleep 600")
    flood = api.action(uuid, "execute", command="sh -c 'yes | head -c 5000000; echo done'")
    assert flood.status_code == 200, flood.text[:500]
    assert flood.json()["truncated"] is True
    assert len(flood.json()["output"]) < MAX_OUTPUT + 200

    began = time.monotonic()
    endless = api.action(uuid, "execute", command="sh -c 'echo started; exec sleep 600'")
    took = time.monotonic() - began
    assert endless.status_code == 200, endless.text
    assert endless.json()["exit_code"] is None
    assert endless.json()["output"].startswith("started\n")
    assert "still running" in endless.json()["output"]
    assert took < RPC_TIMEOUT, "execute must answer before the RPC call times out"
    assert api.delete(uuid, force="true").status_code == 204
    api.wait_gone(uuid)
