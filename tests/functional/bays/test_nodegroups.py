"""Nodegroups on a real local bay: extra worker groups are real swarm workers.

One magnum-all on SQLite (conftest.py); nothing is mocked. A nodegroup
added to a running bay starts DinD nodes that join its swarm carrying the
nodegroup's labels; resizing it and deleting it touch exactly its nodes.
"""

from __future__ import annotations

import docker

from tests.fixtures.bays import API_VERSION, BayAPI, node_name, wait_swarm_ready

TIMEOUT = 90


def group(uuid: str, name: str, *indices: int) -> set[str]:
    return {node_name(uuid, name, i) for i in indices}


def swarm_labels(api_address: str) -> dict[str, dict[str, str]]:
    manager = docker.DockerClient(base_url=api_address, version=API_VERSION, timeout=30)
    try:
        return {
            n["Description"]["Hostname"]: n["Spec"].get("Labels") or {}
            for n in manager.api.nodes()
        }
    finally:
        manager.close()


def wait_updated(api: BayAPI, uuid: str) -> dict:
    bay = api.wait_for(uuid, TIMEOUT)
    assert bay["status"] == "UPDATE_COMPLETE", bay["status_reason"]
    return bay


def test_nodegroup_create_resize_delete_on_a_local_bay(api: BayAPI) -> None:
    uuid = api.create_bay(api.create_template(), node_count=1)
    bay = api.wait_for(uuid, TIMEOUT)
    assert bay["status"] == "CREATE_COMPLETE", bay["status_reason"]
    base = group(uuid, "default-master", 0) | group(uuid, "default-worker", 0)
    path = f"/v1/clusters/{uuid}/nodegroups"

    created = api.change(
        "POST",
        path,
        json={"name": "extra", "node_count": 2, "node_labels": {"tier": "web"}},
    )
    assert created.status_code == 202, created.text
    bay = wait_updated(api, uuid)
    extra = group(uuid, "extra", 0, 1)
    assert api.containers(uuid) == dict.fromkeys(base | extra, "running")
    wait_swarm_ready(bay["api_address"], base | extra)
    labels = swarm_labels(bay["api_address"])
    for name in extra:
        assert labels[name]["magnum.nodegroup"] == "extra"
        assert labels[name]["tier"] == "web"
    for name in base:
        assert "tier" not in labels[name]
    shown = api.request("GET", f"{path}/extra").json()
    assert (shown["status"], shown["node_count"]) == ("CREATE_COMPLETE", 2)

    resized = api.change(
        "PATCH", f"{path}/extra", json=[{"op": "replace", "path": "/node_count", "value": 1}]
    )
    assert resized.status_code == 202, resized.text
    bay = wait_updated(api, uuid)
    assert api.containers(uuid) == dict.fromkeys(base | group(uuid, "extra", 0), "running")
    wait_swarm_ready(bay["api_address"], base | group(uuid, "extra", 0))

    deleted = api.change("DELETE", f"{path}/extra")
    assert deleted.status_code == 204, deleted.text
    bay = wait_updated(api, uuid)
    assert api.containers(uuid) == dict.fromkeys(base, "running")
    wait_swarm_ready(bay["api_address"], base)
    names = [ng["name"] for ng in api.request("GET", path).json()["nodegroups"]]
    assert names == ["default-master", "default-worker"]
    refused = api.request("DELETE", f"{path}/default-worker")
    assert refused.status_code == 400, refused.text

    api.delete(uuid)
    api.wait_gone(uuid, TIMEOUT)
    assert api.leftovers(uuid) == []
