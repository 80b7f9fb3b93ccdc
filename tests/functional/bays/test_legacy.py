"""The 2015 routes, /v1/baymodels and /v1/bays, over plain HTTP on local bays.

Liberty-era clients send no version header, so the API serves 1.1: bay
create answers 201 with the whole bay and a Location, PATCH 200 with the
whole bay, DELETE 204. From 1.2 create and PATCH answer 202 with the uuid;
from 1.11 the routes are gone (406). The bays are real local swarms.
"""

from __future__ import annotations

import pytest

from tests.fixtures.bays import BayAPI, node_name

CREATE_TIMEOUT = 60
DELETE_TIMEOUT = 30
LEGACY = None  # no version header: 1.1
BAY_SUMMARY = {
    "uuid",
    "name",
    "baymodel_id",
    "node_count",
    "status",
    "bay_create_timeout",
    "master_count",
    "stack_id",
    "links",
}
BAYMODEL_SUMMARY = {"uuid", "name", "image_id", "apiserver_port", "coe", "links"}


def assert_error(response, status: int, detail_part: str = "") -> dict:
    assert response.status_code == status, response.text
    error = response.json()["errors"][0]
    assert error["status"] == status and error["request_id"]
    assert detail_part in error["detail"]
    return error


def legacy_bay(api: BayAPI, uuid: str) -> dict | None:
    response = api.request("GET", f"/v1/bays/{uuid}", version=LEGACY)
    if response.status_code == 404:
        return None
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="module")
def baymodel(api: BayAPI) -> dict:
    body = {"name": "legacy-model", "coe": "swarm", "image_id": "magnum-local-node"}
    body["server_type"] = "local"
    missing = api.request("POST", "/v1/baymodels", version=LEGACY, json=body)
    assert_error(missing, 400, "keypair_id")
    assert api.request("GET", "/v1/baymodels", version=LEGACY).json()["baymodels"] == []

    response = api.request(
        "POST", "/v1/baymodels", version=LEGACY, json={**body, "keypair_id": "legacy-key"}
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert response.headers["Location"].endswith(f"/v1/baymodels/{created['uuid']}")
    assert created["keypair_id"] == "legacy-key" and created["server_type"] == "local"
    listed = api.request("GET", "/v1/baymodels", version=LEGACY).json()["baymodels"]
    assert [set(item) for item in listed] == [BAYMODEL_SUMMARY]
    return created


def test_bay_lifecycle_at_1_1_is_synchronous_in_shape(api: BayAPI, baymodel: dict) -> None:
    response = api.request(
        "POST",
        "/v1/bays",
        version=LEGACY,
        json={"name": "legacy-bay", "baymodel_id": "legacy-model", "node_count": 1},
    )
    assert response.status_code == 201, response.text
    bay = response.json()
    uuid = api.track(bay["uuid"])
    assert response.headers["Location"].endswith(f"/v1/bays/{uuid}")
    assert bay["status"] == "CREATE_IN_PROGRESS"
    assert bay["baymodel_id"] == baymodel["uuid"]  # the name became the uuid
    assert (bay["node_count"], bay["master_count"], bay["bay_create_timeout"]) == (1, 1, 60)
    assert "cluster_template_id" not in bay and "create_timeout" not in bay
    assert bay["links"][0]["href"].endswith(f"/v1/bays/{uuid}")

    bay = api.wait_for(uuid, CREATE_TIMEOUT)
    assert bay["status"] == "CREATE_COMPLETE", bay["status_reason"]
    listed = api.request("GET", "/v1/bays", version=LEGACY).json()["bays"]
    (item,) = [b for b in listed if b["uuid"] == uuid]
    assert set(item) == BAY_SUMMARY
    assert item["status"] == "CREATE_COMPLETE"
    detail = api.request("GET", "/v1/bays/detail", version=LEGACY).json()["bays"]
    assert next(b for b in detail if b["uuid"] == uuid)["node_addresses"]

    patch = [{"op": "replace", "path": "/node_count", "value": 2}]
    response = api.change("PATCH", f"/v1/bays/{uuid}", version=LEGACY, json=patch)
    assert response.status_code == 200, response.text
    patched = response.json()
    assert patched["uuid"] == uuid and patched["baymodel_id"] == baymodel["uuid"]
    assert (patched["node_count"], patched["status"]) == (2, "UPDATE_IN_PROGRESS")
    bay = api.wait_for(uuid, CREATE_TIMEOUT)
    assert (bay["status"], bay["node_count"]) == ("UPDATE_COMPLETE", 2), bay["status_reason"]
    assert set(api.containers(uuid)) == {
        node_name(uuid, "default-master", 0),
        node_name(uuid, "default-worker", 0),
        node_name(uuid, "default-worker", 1),
    }

    # Bays never had zero nodes, and only node_count may change.
    zero = [{"op": "replace", "path": "/node_count", "value": 0}]
    assert_error(api.request("PATCH", f"/v1/bays/{uuid}", version=LEGACY, json=zero), 400)
    rename = [{"op": "replace", "path": "/name", "value": "other"}]
    assert_error(
        api.request("PATCH", f"/v1/bays/{uuid}", version=LEGACY, json=rename), 400, "name"
    )

    response = api.change("DELETE", f"/v1/bays/{uuid}", version=LEGACY)
    assert response.status_code == 204 and response.content == b""
    api.wait_gone(uuid, DELETE_TIMEOUT)
    assert_error(api.request("GET", f"/v1/bays/{uuid}", version=LEGACY), 404)
    assert api.leftovers(uuid) == []


def test_bays_are_asynchronous_from_1_2(api: BayAPI, baymodel: dict) -> None:
    headers = {"X-OpenStack-Magnum-API-Version": "1.2"}
    response = api.request(
        "POST",
        "/v1/bays",
        version=None,
        headers=headers,
        json={"baymodel_id": baymodel["uuid"], "name": "async-bay"},
    )
    assert response.status_code == 202, response.text
    assert set(response.json()) == {"uuid"}
    assert response.headers["X-OpenStack-Magnum-API-Version"] == "1.2"
    uuid = api.track(response.json()["uuid"])
    bay = api.wait_for(uuid, CREATE_TIMEOUT)
    assert bay["status"] == "CREATE_COMPLETE", bay["status_reason"]

    patch = [{"op": "replace", "path": "/node_count", "value": 2}]
    response = api.change("PATCH", f"/v1/bays/{uuid}", version=None, headers=headers, json=patch)
    assert response.status_code == 202, response.text
    assert response.json() == {"uuid": uuid}
    bay = api.wait_for(uuid, CREATE_TIMEOUT)
    assert (bay["status"], bay["node_count"]) == ("UPDATE_COMPLETE", 2), bay["status_reason"]

    response = api.change("DELETE", f"/v1/bays/{uuid}", version=None, headers=headers)
    assert response.status_code == 204, response.text
    api.wait_gone(uuid, DELETE_TIMEOUT)
    assert api.leftovers(uuid) == []


@pytest.mark.parametrize("version", ["1.11", "latest"])
@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/v1/bays"), ("POST", "/v1/bays"), ("GET", "/v1/baymodels")],
)
def test_legacy_routes_are_gone_from_1_11(
    api: BayAPI, baymodel: dict, version: str, method: str, path: str
) -> None:
    def bays() -> list[dict]:
        return api.request("GET", "/v1/bays", version=LEGACY).json()["bays"]

    before = bays()
    body = {"baymodel_id": baymodel["uuid"]} if method == "POST" else None
    response = api.request(method, path, version=version, json=body)
    error = assert_error(response, 406, "not supported for this version")
    assert error["code"] == "magnum.microversion-unsupported"
    assert bays() == before
