"""Local bays through python-magnumclient, the ``openstack coe`` CLI and plain HTTP.

One magnum-all on SQLite (see conftest.py); every bay is a real swarm of
Docker-in-Docker nodes on this machine's engine. Nothing is mocked. Each
test ends by deleting its bay and checking that no container, volume,
network or socket directory of it remains.
"""

from __future__ import annotations

import os
import re

import pytest
from magnumclient import exceptions as client_exceptions

from tests.fixtures.bays import BayAPI, node_name, retry_locked, wait_swarm_ready

# Generous bounds: a 3-node bay takes about 2 s here. They catch a stuck
# conductor, not a busy machine.
CREATE_TIMEOUT = 60
UPDATE_TIMEOUT = 60
DELETE_TIMEOUT = 30


def master(uuid: str) -> str:
    return node_name(uuid, "default-master", 0)


def workers(uuid: str, *indices: int) -> set[str]:
    return {node_name(uuid, "default-worker", i) for i in indices}


def assert_running(api: BayAPI, uuid: str, expected: set[str]) -> None:
    assert api.containers(uuid) == dict.fromkeys(expected, "running")


def assert_nothing_left(api: BayAPI, service, uuid: str) -> None:
    api.wait_gone(uuid, DELETE_TIMEOUT)
    assert api.leftovers(uuid) == []
    assert not os.path.exists(os.path.join(service.local_state_dir, uuid))


def test_cluster_template_crud_through_the_cli(openstack) -> None:
    created = openstack(
        "coe", "cluster", "template", "create", "cli-template",
        "--coe", "swarm", "--image", "magnum-local-node", "--server-type", "local",
        "--external-network", "public", "--label", "owner=cli",
    )  # fmt: skip
    assert created["server_type"] == "local"
    assert created["labels"] == {"owner": "cli"}
    listed = openstack("coe", "cluster", "template", "list")
    assert {"uuid": created["uuid"], "name": "cli-template"}.items() <= next(
        t for t in listed if t["uuid"] == created["uuid"]
    ).items()
    shown = openstack("coe", "cluster", "template", "show", "cli-template")
    assert shown["uuid"] == created["uuid"] and shown["coe"] == "swarm"

    updated = openstack(
        "coe", "cluster", "template", "update", "cli-template",
        "--name", "cli-template-2", "--label", "tier=gold",
    )  # fmt: skip
    assert updated["name"] == "cli-template-2"
    assert updated["labels"] == {"owner": "cli", "tier": "gold"}

    out = openstack("coe", "cluster", "template", "delete", "cli-template-2", parse=False)
    assert "has been accepted" in out, out
    error = openstack(
        "coe", "cluster", "template", "show", created["uuid"], parse=False, expect_fail=True
    )
    assert "could not be found (HTTP 404)" in error


def test_cluster_template_crud_through_the_client(client) -> None:
    template = client.cluster_templates.create(
        name="py-template", coe="swarm", server_type="local", image_id="magnum-local-node"
    )
    assert client.cluster_templates.get("py-template").uuid == template.uuid
    assert template.uuid in {t.uuid for t in client.cluster_templates.list()}
    updated = client.cluster_templates.update(
        template.uuid,
        [
            {"op": "replace", "path": "/name", "value": "py-template-2"},
            {"op": "add", "path": "/labels/tier", "value": "gold"},
        ],
    )
    assert (updated.name, updated.labels) == ("py-template-2", {"tier": "gold"})
    with pytest.raises(client_exceptions.BadRequest, match="apply patch"):
        client.cluster_templates.update(template.uuid, [{"op": "remove", "path": "/coe"}])
    client.cluster_templates.delete(template.uuid)
    with pytest.raises(client_exceptions.NotFound):
        client.cluster_templates.get(template.uuid)


def test_one_node_bay_through_the_client(client, api, service) -> None:
    template = client.cluster_templates.create(
        name="py-local", coe="swarm", server_type="local", image_id="magnum-local-node"
    )
    created = client.clusters.create(
        name="py-one", cluster_template_id=template.uuid, node_count=1
    )
    uuid = api.track(created.uuid)
    assert client.clusters.get(uuid).status == "CREATE_IN_PROGRESS"

    bay = api.wait_for(uuid, CREATE_TIMEOUT)
    assert bay["status"] == "CREATE_COMPLETE", bay["status_reason"]
    shown = client.clusters.get("py-one")
    assert (shown.uuid, shown.node_count, shown.master_count) == (uuid, 1, 1)
    assert len(shown.master_addresses) == 1 and len(shown.node_addresses) == 1
    assert shown.api_address.startswith(f"unix://{service.local_state_dir}/{uuid}/")
    assert shown.coe_version and shown.status_reason is None
    assert_running(api, uuid, {master(uuid)} | workers(uuid, 0))
    wait_swarm_ready(shown.api_address, {master(uuid)} | workers(uuid, 0))
    nodes = api.request("GET", f"/v1/clusters/{uuid}/nodes").json()["nodes"]
    assert {(n["name"], n["role"], n["status"]) for n in nodes} == {
        (master(uuid), "master", "ready"),
        (node_name(uuid, "default-worker", 0), "worker", "ready"),
    }

    # The template is in use: deleting it is the caller's mistake.
    with pytest.raises(client_exceptions.BadRequest):
        client.cluster_templates.delete(template.uuid)

    retry_locked(lambda: client.clusters.resize(uuid, 2))
    bay = api.wait_for(uuid, UPDATE_TIMEOUT)
    assert (bay["status"], bay["node_count"]) == ("UPDATE_COMPLETE", 2), bay["status_reason"]
    assert_running(api, uuid, {master(uuid)} | workers(uuid, 0, 1))

    retry_locked(lambda: client.clusters.delete(uuid))
    assert_nothing_left(api, service, uuid)
    client.cluster_templates.delete(template.uuid)


def test_three_node_bay_through_the_cli_resized_3_2_4(openstack, client, api, service) -> None:
    template = openstack(
        "coe", "cluster", "template", "create", "cli-local",
        "--coe", "swarm-mode", "--image", "magnum-local-node", "--server-type", "local",
        "--external-network", "public",
    )  # fmt: skip
    out = openstack(
        "coe", "cluster", "create", "cli-three", "--cluster-template", "cli-local",
        "--node-count", "3", parse=False,
    )  # fmt: skip
    uuid = api.track(re.search(r"cluster ([0-9a-f-]{36}) accepted", out).group(1))
    bay = api.wait_for(uuid, CREATE_TIMEOUT)
    assert bay["status"] == "CREATE_COMPLETE", bay["status_reason"]
    shown = openstack("coe", "cluster", "show", "cli-three")
    assert (shown["node_count"], shown["master_count"]) == (3, 1)
    assert len(shown["node_addresses"]) == 3
    assert uuid in {c["uuid"] for c in openstack("coe", "cluster", "list")}
    assert_running(api, uuid, {master(uuid)} | workers(uuid, 0, 1, 2))
    wait_swarm_ready(shown["api_address"], {master(uuid)} | workers(uuid, 0, 1, 2))

    # 3 -> 2 with the 1.7 resize action: exactly the named worker goes.
    victim = node_name(uuid, "default-worker", 1)
    retry_locked(
        lambda: openstack(
            "coe", "cluster", "resize", "cli-three", "2", "--nodes-to-remove", victim,
            parse=False,
        )
    )  # fmt: skip
    bay = api.wait_for(uuid, UPDATE_TIMEOUT)
    assert (bay["status"], bay["node_count"]) == ("UPDATE_COMPLETE", 2), bay["status_reason"]
    assert_running(api, uuid, {master(uuid)} | workers(uuid, 0, 2))
    wait_swarm_ready(shown["api_address"], {master(uuid)} | workers(uuid, 0, 2))

    # 2 -> 4 with a PATCH of node_count: new workers take the free indices.
    retry_locked(
        lambda: openstack(
            "coe", "cluster", "update", "cli-three", "--node-count", "4", parse=False
        )
    )
    bay = api.wait_for(uuid, UPDATE_TIMEOUT)
    assert (bay["status"], bay["node_count"]) == ("UPDATE_COMPLETE", 4), bay["status_reason"]
    assert_running(api, uuid, {master(uuid)} | workers(uuid, 0, 1, 2, 3))
    wait_swarm_ready(shown["api_address"], {master(uuid)} | workers(uuid, 0, 1, 2, 3))
    nodes = api.request("GET", f"/v1/clusters/{uuid}/nodes").json()["nodes"]
    assert sorted(n["name"] for n in nodes) == sorted({master(uuid)} | workers(uuid, 0, 1, 2, 3))
    assert client.clusters.get(uuid).node_count == 4

    def delete() -> None:
        out = openstack("coe", "cluster", "delete", "cli-three", parse=False)
        assert "has been accepted" in out, out

    retry_locked(delete)
    assert_nothing_left(api, service, uuid)
    out = openstack("coe", "cluster", "template", "delete", template["uuid"], parse=False)
    assert "has been accepted" in out, out


def test_conflicting_requests_get_409_while_the_conductor_works(api, service) -> None:
    template = api.create_template()
    uuid = api.create_bay(template, node_count=3)
    # Node containers appear once the conductor holds the bay's lock.
    api.wait_for(uuid, CREATE_TIMEOUT, done=lambda bay: bool(api.containers(uuid)))

    resize = {"node_count": 1}
    patch = [{"op": "replace", "path": "/node_count", "value": 5}]
    for method, path, body in (
        ("PATCH", f"/v1/clusters/{uuid}", patch),
        ("POST", f"/v1/clusters/{uuid}/actions/resize", resize),
        ("DELETE", f"/v1/clusters/{uuid}", None),
    ):
        response = api.request(method, path, json=body)
        assert response.status_code == 409, (method, path, response.text)
        error = response.json()["errors"][0]
        assert error["code"] in ("magnum.cluster.locked", "magnum.operation_in_progress")
    bay = api.wait_for(uuid, CREATE_TIMEOUT)
    # The refused requests changed nothing.
    assert (bay["status"], bay["node_count"]) == ("CREATE_COMPLETE", 3), bay["status_reason"]

    response = api.change("POST", f"/v1/clusters/{uuid}/actions/resize", json=resize)
    assert response.status_code == 202, response.text
    assert response.json() == {"uuid": uuid}
    assert api.get(uuid)["status"] == "UPDATE_IN_PROGRESS"  # recorded before the cast
    second = api.request("PATCH", f"/v1/clusters/{uuid}", json=patch)
    assert second.status_code == 409, second.text
    bay = api.wait_for(uuid, UPDATE_TIMEOUT)
    assert (bay["status"], bay["node_count"]) == ("UPDATE_COMPLETE", 1), bay["status_reason"]

    api.delete(uuid)
    assert api.get(uuid)["status"] == "DELETE_IN_PROGRESS"  # the row goes when the nodes did
    assert_nothing_left(api, service, uuid)
