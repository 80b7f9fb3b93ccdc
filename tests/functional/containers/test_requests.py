"""Wrong requests get a clear 4xx and change nothing; backend failures end in Error.

Also: two projects never see each other's containers, and the routes answer
only up to microversion 1.10 (containers left the API with bays). The bays
that need no Docker (a CREATE_FAILED one, a kubernetes one, a swarm one whose
driver has no Docker API) are made with the in-memory ``fake`` driver; every
container that should exist runs on the real local bays of the module.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.fixtures.images import BUSYBOX_IMAGE
from tests.functional.containers.conftest import (
    ContainerAPI,
    Service,
    _create_bay,
    create_template,
)


def assert_error(response: Any, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    error = response.json()["errors"][0]
    assert error["status"] == status and error["detail"] and error["title"]
    assert error["request_id"] == response.headers["X-OpenStack-Request-Id"]
    if code:
        assert error["code"] == code, error
    return error


def wait_bay(api: ContainerAPI, uuid: str, status: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while (body := api.request("GET", f"/v1/bays/{uuid}").json())["status"] != status:
        assert time.monotonic() < deadline, body
        time.sleep(0.1)


@pytest.fixture(scope="module")
def fake_bays(service: Service) -> dict[str, str]:
    """Bays of the fake driver: failed, kubernetes, and a swarm without a Docker API."""
    api = service.api
    failing = create_template(api, server_type="fake", labels={"fake_fail": "create"})
    kubernetes = create_template(api, server_type="fake", coe="kubernetes")
    dockerless = create_template(api, server_type="fake")
    bays = {
        "failed": _create_bay(api, failing, 1),
        "kubernetes": _create_bay(api, kubernetes, 1),
        "dockerless": _create_bay(api, dockerless, 1),
    }
    service.made.extend(bays.values())
    wait_bay(api, bays["failed"], "CREATE_FAILED")
    wait_bay(api, bays["kubernetes"], "CREATE_COMPLETE")
    wait_bay(api, bays["dockerless"], "CREATE_COMPLETE")
    return bays


def container_rows(api: ContainerAPI) -> list[dict]:
    response = api.request("GET", "/v1/containers/detail")
    assert response.status_code == 200, response.text
    return response.json()["containers"]


def test_bad_creates_are_4xx_and_leave_nothing(service: Service, fake_bays: dict) -> None:
    api, bay = service.api, service.bays["one"]
    before_rows, before_docker = container_rows(api), bay.all_magnum_containers()
    good = {"image": BUSYBOX_IMAGE, "bay_uuid": bay.uuid, "command": "sleep 1"}
    cases = [
        ({k: v for k, v in good.items() if k != "image"}, 400, None),
        ({**good, "bay_uuid": "no-such-bay"}, 400, None),
        ({**good, "bay_uuid": fake_bays["failed"]}, 409, "magnum.container.bay_not_ready"),
        ({**good, "bay_uuid": fake_bays["kubernetes"]}, 400, None),
        ({**good, "memory": "12x"}, 400, None),
        ({**good, "memory": "1k"}, 400, None),
        ({**good, "image": "not an image"}, 400, None),
        ({**good, "host": "no-such-node"}, 400, None),
        ({**good, "environment": {"A": 1}}, 400, None),
        ({**good, "status": "Running"}, 400, None),
        ({**good, "unknown": "field"}, 400, None),
    ]
    for body, status, code in cases:
        error = assert_error(api.create(**body), status, code)
        assert "Traceback" not in error["detail"]
    bad_json = api.request(
        "POST", "/v1/containers", data="{", headers={"Content-Type": "application/json"}
    )
    assert_error(bad_json, 400)
    assert container_rows(api) == before_rows
    assert bay.all_magnum_containers() == before_docker


def test_bay_name_works_as_bay_uuid_and_filters_the_list(service: Service) -> None:
    api, three = service.api, service.bays["three"]
    name = api.request("GET", f"/v1/bays/{three.uuid}").json()["name"]
    body = api.create(image=BUSYBOX_IMAGE, bay_uuid=name, command="sleep 600").json()
    assert body["bay_uuid"] == three.uuid
    listed = api.request("GET", "/v1/containers", params={"bay_ident": three.uuid}).json()
    assert [c["uuid"] for c in listed["containers"]] == [body["uuid"]]
    other = api.request("GET", "/v1/containers", params={"bay_ident": service.bays["one"].uuid})
    assert body["uuid"] not in [c["uuid"] for c in other.json()["containers"]]
    api.wait(body["uuid"], {"Stopped"})
    assert api.delete(body["uuid"]).status_code == 204
    api.wait_gone(body["uuid"])


def test_image_found_nowhere_ends_in_error_with_a_reason(service: Service) -> None:
    api, bay = service.api, service.bays["one"]
    body = api.create(image="magnum-test/absent:1", bay_uuid=bay.uuid, command="true").json()
    failed = api.wait(body["uuid"], {"Error", "Stopped"})
    assert failed["status"] == "Error"
    assert "magnum-test/absent:1" in failed["status_reason"]
    assert "neither on node" in failed["status_reason"]
    assert body["uuid"] not in bay.all_magnum_containers()
    assert_error(api.action(body["uuid"], "start"), 409, "magnum.container.invalid_state")
    assert api.delete(body["uuid"]).status_code == 204
    api.wait_gone(body["uuid"])


def test_a_bay_without_a_docker_api_gives_error(service: Service, fake_bays: dict) -> None:
    api = service.api
    body = api.create(image=BUSYBOX_IMAGE, bay_uuid=fake_bays["dockerless"], command="true")
    assert body.status_code == 201, body.text
    failed = api.wait(body.json()["uuid"], {"Error", "Stopped"})
    assert failed["status"] == "Error" and "not supported" in failed["status_reason"]
    assert api.delete(failed["uuid"]).status_code == 204
    api.wait_gone(failed["uuid"])


def test_bad_action_requests(service: Service) -> None:
    api, bay = service.api, service.bays["one"]
    uuid = api.create(image=BUSYBOX_IMAGE, bay_uuid=bay.uuid, command="sleep 600").json()["uuid"]
    api.wait(uuid, {"Stopped"})
    assert api.action(uuid, "start").status_code == 200
    for command in ("", "   "):
        assert_error(api.action(uuid, "execute", command=command), 400)
    assert_error(api.request("PUT", f"/v1/containers/{uuid}/execute"), 400)
    assert_error(api.request("GET", f"/v1/containers/{uuid}/start"), 405)
    assert_error(api.request("POST", f"/v1/containers/{uuid}/stop"), 405)
    assert_error(api.action(uuid, "logs", tail="-1"), 400)
    assert_error(api.action(uuid, "logs", since="yesterday"), 400)
    assert_error(api.delete(uuid, force="maybe"), 400)
    assert_error(api.request("GET", f"/v1/containers/{uuid}/detail"), 404)
    assert_error(api.request("GET", "/v1/containers", version="1.11"), 406)
    assert_error(api.request("PUT", f"/v1/containers/{uuid}/start", version="1.11"), 406)
    patch = [{"op": "replace", "path": "/image", "value": "other"}]
    assert_error(api.request("PATCH", f"/v1/containers/{uuid}", json=patch), 400)
    rename = [{"op": "replace", "path": "/name", "value": "renamed"}]
    renamed = api.request("PATCH", f"/v1/containers/{uuid}", json=rename)
    assert renamed.status_code == 200 and renamed.json()["name"] == "renamed", renamed.text
    assert api.get("renamed").json()["uuid"] == uuid
    assert api.get(uuid).json()["status"] == "Running"  # nothing else changed
    assert api.delete(uuid, force="true").status_code == 204
    api.wait_gone(uuid)


def test_projects_do_not_see_each_other(service: Service) -> None:
    alice = service.api
    bob = ContainerAPI(service.url, project="project-b", user="user-b")
    uuid = alice.create(
        image=BUSYBOX_IMAGE, bay_uuid=service.bays["one"].uuid, command="sleep 600"
    ).json()["uuid"]
    alice.wait(uuid, {"Stopped"})
    assert uuid not in [c["uuid"] for c in container_rows(bob)]
    for response in (
        bob.get(uuid),
        bob.action(uuid, "start"),
        bob.action(uuid, "logs"),
        bob.action(uuid, "execute", command="true"),
        bob.delete(uuid),
    ):
        assert_error(response, 404)
    # Bob cannot use Alice's bay either.
    created = bob.create(image=BUSYBOX_IMAGE, bay_uuid=service.bays["one"].uuid)
    assert_error(created, 400)
    assert alice.get(uuid).json()["status"] == "Stopped"
    assert alice.delete(uuid).status_code == 204
    alice.wait_gone(uuid)
