"""What python-magnumclient 5.0.0 and ``openstack coe`` send, as they send it (issue 13).

One magnum-all on SQLite (conftest.py) and one real 2-node local bay: the
Python API at its default microversion (1.1) lists quotas and stats, the
CLI updates with ``--rollback`` and sets node labels and taints as the
Python-literal strings it sends, and a nodegroup shows its nodes' addresses.
"""

from __future__ import annotations

import re
import time

from magnumclient.v1 import client as magnum_client

from tests.fixtures.bays import retry_locked

CREATE_TIMEOUT = 60
UPDATE_TIMEOUT = 60
DELETE_TIMEOUT = 30


def test_python_api_at_its_default_version_lists_quotas_and_stats(service) -> None:
    # No api_version: magnumclient 5.0.0 then sends container-infra 1.1.
    client = magnum_client.Client(endpoint_override=service.endpoint, auth_token="noauth")
    assert client.quotas.list() == []
    stats = client.stats.list()
    assert (stats.clusters, stats.nodes) >= (0, 0)


def test_cli_rollback_node_labels_taints_and_nodegroup_addresses(openstack, api) -> None:
    openstack(
        "coe", "cluster", "template", "create", "clients-local",
        "--coe", "swarm-mode", "--image", "magnum-local-node", "--server-type", "local",
        "--external-network", "public",
    )  # fmt: skip
    out = openstack(
        "coe", "cluster", "create", "clients-two", "--cluster-template", "clients-local",
        "--node-count", "1", parse=False,
    )  # fmt: skip
    uuid = api.track(re.search(r"cluster ([0-9a-f-]{36}) accepted", out).group(1))
    bay = api.wait_for(uuid, CREATE_TIMEOUT)
    assert bay["status"] == "CREATE_COMPLETE", bay["status_reason"]

    worker = openstack("coe", "nodegroup", "show", "clients-two", "default-worker")
    assert worker["node_addresses"] == bay["node_addresses"] and len(worker["node_addresses"]) == 1
    master = openstack("coe", "nodegroup", "show", "clients-two", "default-master")
    assert master["node_addresses"] == bay["master_addresses"]

    retry_locked(
        lambda: openstack(
            "coe", "cluster", "update", "--rollback", "clients-two",
            "--node-count", "2", parse=False,
        )
    )  # fmt: skip
    bay = api.wait_for(uuid, UPDATE_TIMEOUT)
    assert (bay["status"], bay["node_count"]) == ("UPDATE_COMPLETE", 2), bay["status_reason"]

    retry_locked(
        lambda: openstack(
            "coe", "nodegroup", "update", "clients-two", "default-worker",
            "--node-labels", "x=y", "--node-taints", "k=v:NoSchedule", parse=False,
        )
    )  # fmt: skip
    worker = openstack("coe", "nodegroup", "show", "clients-two", "default-worker")
    assert worker["node_labels"] == {"x": "y"}
    assert worker["node_taints"] == [{"key": "k", "value": "v", "effect": "NoSchedule"}]
    assert len(worker["node_addresses"]) == 2

    retry_locked(lambda: openstack("coe", "cluster", "delete", "clients-two", parse=False))
    api.wait_gone(uuid, DELETE_TIMEOUT)
    assert api.leftovers(uuid) == []


def test_status_reason_names_the_step_while_a_bay_is_made(client, api) -> None:
    """Polls with python-magnumclient (what ``openstack coe cluster show`` runs)."""
    template = client.cluster_templates.create(
        name="progress-local", coe="swarm-mode", image_id="magnum-local-node",
        server_type="local", external_network_id="public",
    )  # fmt: skip
    made = client.clusters.create(
        name="progress-three", cluster_template_id=template.uuid, node_count=3
    )
    uuid = api.track(made.uuid)
    reasons = []
    deadline = time.monotonic() + CREATE_TIMEOUT
    while time.monotonic() < deadline:
        shown = client.clusters.get(uuid)
        if shown.status != "CREATE_IN_PROGRESS":
            break
        if shown.status_reason and shown.status_reason not in reasons:
            reasons.append(shown.status_reason)
        time.sleep(0.05)
    assert shown.status == "CREATE_COMPLETE", shown.status_reason
    assert any(re.fullmatch(r".+: \d+ of \d+", r) for r in reasons), reasons
    assert shown.status_reason in (None, ""), "the final reason stays as before"
    retry_locked(lambda: client.clusters.delete(uuid))
    api.wait_gone(uuid, DELETE_TIMEOUT)
    client.cluster_templates.delete(template.uuid)
