"""A container's life on a real local bay, driven over HTTP as 2015 clients do.

create → start → logs shows the command's output → execute → pause/unpause
→ reboot → stop → delete, with the state guards (409) and the Docker side
checked on the node after each step. Nothing is mocked.
"""

from __future__ import annotations

import time

import pytest

from tests.fixtures.images import BUSYBOX_IMAGE
from tests.functional.containers.conftest import Service

GREETING = "hello-from-magnum"


def created(service: Service, bay: str = "one", **fields) -> dict:
    body = {
        "name": f"c-{time.monotonic_ns()}",
        "image": BUSYBOX_IMAGE,
        "bay_uuid": service.bays[bay].uuid,
        "command": f"sh -c 'echo {GREETING}; echo $GREETING_TO; exec sleep 600'",
        **fields,
    }
    response = service.api.create(**body)
    assert response.status_code == 201, response.text
    return response.json()


def logs_until(service: Service, uuid: str, text: str, timeout: float = 10, **params) -> str:
    deadline = time.monotonic() + timeout
    while True:
        response = service.api.action(uuid, "logs", **params)
        assert response.status_code == 200, response.text
        output = response.json()["output"]
        if text in output or time.monotonic() > deadline:
            return output
        time.sleep(0.1)


def test_life_of_a_container(service: Service) -> None:
    api, bay = service.api, service.bays["one"]
    body = created(service, memory="64m", environment={"GREETING_TO": "world"})
    uuid = body["uuid"]
    assert body["status"] == "Creating"
    assert body["bay_uuid"] == bay.uuid
    assert body["memory"] == "64m"

    stopped = api.wait(uuid, {"Stopped", "Error"})
    assert stopped["status"] == "Stopped", stopped
    assert stopped["host"] == bay.nodes[0]
    docker_side = bay.magnum_containers(stopped["host"])[uuid]
    assert docker_side["Names"] == [f"/magnum-{uuid}"]
    assert docker_side["Labels"]["magnum.cluster"] == bay.uuid
    inspect = bay.node_client(stopped["host"]).api.inspect_container(docker_side["Id"])
    assert inspect["HostConfig"]["Init"] is True
    assert inspect["HostConfig"]["Memory"] == 64 * 1024 * 1024

    # pause and unpause are guarded: only from Running / Paused.
    for action, params in (("pause", {}), ("unpause", {}), ("execute", {"command": "true"})):
        refused = api.action(uuid, action, **params)
        assert refused.status_code == 409, refused.text
        assert refused.json()["errors"][0]["code"] == "magnum.container.invalid_state"

    started = api.action(uuid, "start")
    assert started.status_code == 200, started.text
    assert started.json()["status"] == "Running"
    output = logs_until(service, uuid, "world")
    assert GREETING in output and "world" in output

    executed = api.action(uuid, "execute", command="echo magnum-exec")
    assert executed.status_code == 200, executed.text
    assert executed.json() == {"output": "magnum-exec\n", "exit_code": 0, "truncated": False}
    failing = api.request(
        "PUT", f"/v1/containers/{uuid}/execute", json={"command": "sh -c 'echo out; exit 3'"}
    )
    assert failing.status_code == 200, failing.text
    assert failing.json()["exit_code"] == 3 and failing.json()["output"] == "out\n"

    paused = api.action(uuid, "pause")
    assert paused.status_code == 200 and paused.json()["status"] == "Paused", paused.text
    assert api.get(uuid).json()["status"] == "Paused"
    assert api.action(uuid, "pause").status_code == 409
    assert api.action(uuid, "start").status_code == 409
    unpaused = api.action(uuid, "unpause")
    assert unpaused.status_code == 200 and unpaused.json()["status"] == "Running"

    rebooted = api.action(uuid, "reboot")
    assert rebooted.status_code == 200 and rebooted.json()["status"] == "Running"
    deadline = time.monotonic() + 10
    while logs_until(service, uuid, GREETING).count(GREETING) < 2:
        assert time.monotonic() < deadline, "the restarted command did not print again"
        time.sleep(0.1)
    assert api.action(uuid, "logs", tail=1).json()["output"] == "world\n"

    refused = api.delete(uuid)
    assert refused.status_code == 409, refused.text  # running: stop first, or force
    began = time.monotonic()
    stopped = api.action(uuid, "stop")
    assert stopped.status_code == 200 and stopped.json()["status"] == "Stopped"
    assert time.monotonic() - began < 3, "init=True should make stop immediate"
    assert bay.magnum_containers(stopped.json()["host"])[uuid]["State"] == "exited"

    deleted = api.delete(uuid)
    assert deleted.status_code == 204, deleted.text
    api.wait_gone(uuid)
    assert uuid not in bay.all_magnum_containers()


def test_force_delete_of_a_running_container(service: Service) -> None:
    api, bay = service.api, service.bays["one"]
    uuid = created(service)["uuid"]
    api.wait(uuid, {"Stopped"})
    assert api.action(uuid, "start").status_code == 200
    assert api.delete(uuid, force="true").status_code == 204
    api.wait_gone(uuid)
    assert uuid not in bay.all_magnum_containers()


@pytest.mark.parametrize("bay", ["three"])
def test_containers_spread_over_the_nodes(service: Service, bay: str) -> None:
    """Least containers first: three containers on a 3-node bay use every node."""
    api, three = service.api, service.bays[bay]
    uuids = [created(service, bay=bay)["uuid"] for _ in range(3)]
    hosts = [api.wait(u, {"Stopped"})["host"] for u in uuids]
    assert sorted(hosts) == three.nodes
    for uuid, host in zip(uuids, hosts, strict=True):
        assert uuid in three.magnum_containers(host)

    hinted = created(service, bay=bay, host=three.nodes[-1])["uuid"]
    assert api.wait(hinted, {"Stopped"})["host"] == three.nodes[-1]
    assert hinted in three.magnum_containers(three.nodes[-1])

    for uuid in [*uuids, hinted]:
        assert api.delete(uuid).status_code == 204
    for uuid in [*uuids, hinted]:
        api.wait_gone(uuid)
    assert three.all_magnum_containers() == {}
