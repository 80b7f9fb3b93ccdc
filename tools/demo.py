"""Demo of the embedded magnum: a local swarm bay made through python-magnumclient.

Creates (or reuses) the cluster template ``demo-swarm`` (coe swarm,
server_type local) and the 2-node cluster ``demo``, waits until it is
CREATE_COMPLETE, lists clusters and nodes, and prints how to use the swarm.
Re-running reuses what exists; a failed ``demo`` cluster is deleted and made
again. Talks to a noauth endpoint (``tools/run-embedded.sh`` starts one).

    python tools/demo.py --endpoint http://127.0.0.1:9511/v1
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import Any

from magnumclient import exceptions
from magnumclient.v1 import client as magnum_client

TEMPLATE = "demo-swarm"
CLUSTER = "demo"
DONE = {"CREATE_COMPLETE", "UPDATE_COMPLETE"}
FAILED = {"CREATE_FAILED", "UPDATE_FAILED", "DELETE_FAILED"}


def log(message: str) -> None:
    print(f"demo: {message}", flush=True)


def find(manager: Any, name: str) -> Any | None:
    matches = [item for item in manager.list() if item.name == name]
    return matches[0] if matches else None


def ensure_template(client: magnum_client.Client, image: str) -> Any:
    template = find(client.cluster_templates, TEMPLATE)
    if template is not None:
        log(f"reusing cluster template {TEMPLATE} ({template.uuid})")
        return template
    template = client.cluster_templates.create(
        name=TEMPLATE, coe="swarm", server_type="local", image_id=image
    )
    log(f"created cluster template {TEMPLATE} ({template.uuid})")
    return template


def wait_gone(client: magnum_client.Client, uuid: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            client.clusters.get(uuid)
        except exceptions.NotFound:
            return
        time.sleep(2)
    raise SystemExit(f"demo: cluster {uuid} still exists after {timeout:.0f} s")


def ensure_cluster(client: magnum_client.Client, template: Any, nodes: int) -> str:
    cluster = find(client.clusters, CLUSTER)
    if cluster is not None and cluster.status in FAILED | {"DELETE_IN_PROGRESS"}:
        log(
            f"cluster {CLUSTER} is {cluster.status} ({getattr(cluster, 'status_reason', '')});"
            " deleting it to start over"
        )
        if cluster.status != "DELETE_IN_PROGRESS":
            client.clusters.delete(cluster.uuid)
        wait_gone(client, cluster.uuid, timeout=120)
        cluster = None
    if cluster is not None:
        log(f"reusing cluster {CLUSTER} ({cluster.uuid}, {cluster.status})")
        return cluster.uuid
    created = client.clusters.create(
        name=CLUSTER, cluster_template_id=template.uuid, node_count=nodes, master_count=1
    )
    log(f"creating cluster {CLUSTER} ({created.uuid}) with 1 master and {nodes} nodes")
    return created.uuid


def wait_complete(client: magnum_client.Client, uuid: str, timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    last = None
    while True:
        cluster = client.clusters.get(uuid)
        if cluster.status != last:
            log(f"cluster {CLUSTER}: {cluster.status}")
            last = cluster.status
        if cluster.status in DONE:
            return cluster
        if cluster.status in FAILED:
            raise SystemExit(f"demo: {cluster.status}: {getattr(cluster, 'status_reason', '')}")
        if time.monotonic() > deadline:
            raise SystemExit(f"demo: cluster still {cluster.status} after {timeout:.0f} s")
        time.sleep(2)


def cluster_nodes(endpoint: str, uuid: str) -> list[dict[str, Any]]:
    """GET /v1/clusters/<uuid>/nodes: the hosts as the driver sees them.

    python-magnumclient has no call for this route, so plain HTTP it is.
    """
    url = f"{endpoint.rstrip('/')}/clusters/{uuid}/nodes"
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - http(s) endpoint
        return json.load(response)["nodes"]


def show(client: magnum_client.Client, endpoint: str, cluster: Any) -> None:
    print("\nClusters:")
    for item in client.clusters.list():
        print(
            f"  {item.name:<16} {item.uuid}  {item.status:<18} "
            f"masters={item.master_count} nodes={item.node_count}"
        )
    print(f"\nNodes of {CLUSTER}:")
    for node in cluster_nodes(endpoint, cluster.uuid):
        print(
            f"  {node['name']:<36} role={node['role']:<7} status={node['status']:<8} "
            f"address={node['address'] or '-'}"
        )
    api_address = getattr(cluster, "api_address", None)
    print(f"\nSwarm API of {CLUSTER}: {api_address}")
    if api_address and shutil.which("docker"):
        print(f"$ docker -H {api_address} node ls")
        subprocess.run(["docker", "-H", api_address, "node", "ls"], check=False, timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", default="http://127.0.0.1:9511/v1")
    parser.add_argument("--nodes", type=int, default=2)
    parser.add_argument("--image", default="magnum/local-node")
    parser.add_argument("--timeout", type=float, default=120, help="seconds to CREATE_COMPLETE")
    args = parser.parse_args()

    # noauth: any token will do; endpoint_override + auth_token skips Keystone.
    client = magnum_client.Client(endpoint_override=args.endpoint, auth_token="noauth")  # noqa: S106
    try:
        template = ensure_template(client, args.image)
        uuid = ensure_cluster(client, template, args.nodes)
        cluster = wait_complete(client, uuid, args.timeout)
        show(client, args.endpoint, cluster)
    except exceptions.ClientException as err:
        log(f"the API refused: {err}")
        return 1
    except urllib.error.URLError as err:
        log(f"listing the nodes failed: {err}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
