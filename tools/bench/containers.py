#!/usr/bin/env python3
"""Container start, stop, logs and execute through magnum vs. straight to Docker.

For each deployment (``magnum-all`` on SQLite and the in-process transport;
``magnum-api`` + ``magnum-conductor`` on RabbitMQ and MariaDB) it makes a
1-node local bay, a container through magnum and a twin container made
directly on the same node with the same settings (busybox under init, same
command), then, round after round, runs each operation once through
magnum's HTTP API and once with the Docker SDK on the node's own socket:

    start    PUT /v1/containers/{id}/start           vs  POST /containers/{id}/start
    logs     GET /v1/containers/{id}/logs            vs  GET  /containers/{id}/logs
    execute  PUT /v1/containers/{id}/execute?command=echo hello
                                                     vs  exec create + start + inspect
    stop     PUT /v1/containers/{id}/stop            vs  POST /containers/{id}/stop

It prints one table of medians (milliseconds) and magnum/direct ratios::

    python tools/bench/containers.py --rounds 20

Needs root and the host Docker engine (node image and busybox image are
built if missing, not timed), RabbitMQ and MariaDB for the split
deployment. Leaves nothing behind. Takes about a minute.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import docker
import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from tests.fixtures import images, processes  # noqa: E402
from tests.fixtures.docker import DOCKER_URL, ensure_dockerd, remove_labelled  # noqa: E402

API_VERSION = "1.41"
COMMAND = "sh -c 'echo ready; exec sleep 100000'"
EXECUTE = "echo hello"
OPERATIONS = ("start", "logs", "execute", "stop")
HTTP_TIMEOUT = 60


class Magnum:
    """magnum's /v1 over one keep-alive HTTP session (noauth)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.session = requests.Session()

    def call(self, method: str, path: str, version: str | None = None, **kw) -> dict:
        headers = dict(kw.pop("headers", None) or {})
        if version:
            headers["OpenStack-API-Version"] = f"container-infra {version}"
        response = self.session.request(
            method, self.url + path, headers=headers, timeout=HTTP_TIMEOUT, **kw
        )
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.text}")
        return response.json() if response.content else {}

    def wait(self, path: str, done: Callable[[dict], bool], timeout: float = 120) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            body = self.call("GET", path, version="1.10")
            if done(body):
                return body
            if time.monotonic() > deadline:
                raise RuntimeError(f"{path} still {body.get('status')}: {body}")
            time.sleep(0.2)


def make_bay(magnum: Magnum, state_dir: str) -> tuple[str, str]:
    """A 1-node local bay: (bay uuid, Docker socket of its node)."""
    template = magnum.call(
        "POST",
        "/v1/clustertemplates",
        version="1.10",
        json={
            "name": f"bench-{uuid.uuid4().hex[:6]}",
            "coe": "swarm",
            "image_id": "magnum-local-node",
            "server_type": "local",
        },
    )["uuid"]
    bay = magnum.call(
        "POST",
        "/v1/clusters",
        version="1.10",
        json={"cluster_template_id": template, "node_count": 0, "master_count": 1},
    )["uuid"]
    body = magnum.wait(f"/v1/clusters/{bay}", lambda b: b["status"] != "CREATE_IN_PROGRESS")
    if body["status"] != "CREATE_COMPLETE":
        raise RuntimeError(f"bay {bay}: {body['status']} {body.get('status_reason')}")
    (node,) = magnum.call("GET", f"/v1/clusters/{bay}/nodes", version="1.10")["nodes"]
    index = node["name"].rsplit("-", 1)[1]
    return bay, os.path.join(state_dir, bay, f"{node['nodegroup']}-{index}", "docker.sock")


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def check(path: str, ok: bool, detail: object) -> None:
    # Docker 20.10 now and then loses the output of an exec started right
    # after its container: counted and shown, not fatal.
    if not ok:
        print(f"warning: {path} execute returned {detail!r}", file=sys.stderr)


def direct_execute(client: docker.DockerClient, docker_id: str) -> None:
    exec_id = client.api.exec_create(docker_id, EXECUTE, stdout=True, stderr=True)
    output = client.api.exec_start(exec_id)
    exit_code = client.api.exec_inspect(exec_id)["ExitCode"]
    check("direct", exit_code == 0 and output == b"hello\n", (exit_code, output))


def bench_deployment(
    name: str, url: str, state_dir: str, rounds: int
) -> dict[str, tuple[float, float]]:
    magnum = Magnum(url)
    bay, socket = make_bay(magnum, state_dir)
    node = docker.DockerClient(base_url=f"unix://{socket}", version=API_VERSION, timeout=30)
    try:
        container = magnum.call(
            "POST",
            "/v1/containers",
            json={"image": images.BUSYBOX_IMAGE, "bay_uuid": bay, "command": COMMAND},
        )["uuid"]
        path = f"/v1/containers/{container}"
        magnum.wait(path, lambda b: b["status"] in ("Stopped", "Error"))
        twin = node.api.create_container(
            images.BUSYBOX_IMAGE,
            command=COMMAND,
            host_config=node.api.create_host_config(init=True),
            labels={"magnum.bench": "direct"},
        )["Id"]

        def via_magnum(op: str) -> None:
            if op == "logs":
                magnum.call("GET", path + "/logs")
            elif op == "execute":
                out = magnum.call("PUT", path + "/execute", params={"command": EXECUTE})
                check("magnum", out["output"] == "hello\n" and out["exit_code"] == 0, out)
            else:
                magnum.call("PUT", f"{path}/{op}", headers={"Content-Length": "0"})

        def direct(op: str) -> None:
            if op == "start":
                node.api.start(twin)
            elif op == "stop":
                node.api.stop(twin, timeout=10)
            elif op == "logs":
                node.api.logs(twin)
            else:
                direct_execute(node, twin)

        samples: dict[str, tuple[list[float], list[float]]] = {op: ([], []) for op in OPERATIONS}
        for round_ in range(rounds + 1):  # round 0 warms caches and connections up
            for op in OPERATIONS:
                through, straight = (
                    timed(lambda op=op: via_magnum(op)),
                    timed(lambda op=op: direct(op)),
                )
                if round_:
                    samples[op][0].append(through)
                    samples[op][1].append(straight)
        print(f"{name}: {rounds} rounds done", file=sys.stderr)
        magnum.call("DELETE", path)
        return {op: (statistics.median(m), statistics.median(d)) for op, (m, d) in samples.items()}
    finally:
        with contextlib.suppress(Exception):
            node.api.remove_container(twin, force=True)
        node.close()
        remove_bay(magnum, bay)


def remove_bay(magnum: Magnum, bay: str, timeout: float = 60) -> None:
    with contextlib.suppress(RuntimeError):
        magnum.call("DELETE", f"/v1/clusters/{bay}", version="1.10")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if magnum.session.get(f"{magnum.url}/v1/bays/{bay}", timeout=10).status_code == 404:
            return
        time.sleep(0.2)
    host = docker.DockerClient(base_url=DOCKER_URL, version=API_VERSION, timeout=60)
    try:
        remove_labelled(host, f"magnum.cluster={bay}")
    finally:
        host.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--rounds", type=int, default=20, help="timed rounds (default 20)")
    parser.add_argument(
        "--deployments",
        nargs="+",
        default=["all-in-one", "split"],
        choices=["all-in-one", "split"],
    )
    args = parser.parse_args(argv)
    ensure_dockerd()
    host = docker.DockerClient(base_url=DOCKER_URL, version=API_VERSION, timeout=60)
    images.ensure_busybox_image(host)
    results = {}
    try:
        for kind in args.deployments:
            work = Path(tempfile.mkdtemp(prefix=f"magnum-bench-{kind}-"))
            state_dir = tempfile.mkdtemp(prefix="mgk-", dir="/tmp")  # short socket paths
            try:
                with processes.deployment(kind, work, local={"state_dir": state_dir}) as url:
                    results[kind] = bench_deployment(kind, url, state_dir, args.rounds)
            finally:
                shutil.rmtree(work, ignore_errors=True)
                shutil.rmtree(state_dir, ignore_errors=True)
    finally:
        processes.delete_rabbit_vhost()
        host.close()

    print(f"median of {args.rounds} rounds; milliseconds; same node, same run")
    header = ("deployment", "operation", "magnum", "direct", "ratio")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for kind, by_op in results.items():
        for op, (through, straight) in by_op.items():
            cells = (kind, op, f"{through:.1f}", f"{straight:.1f}", f"{through / straight:.2f}")
            print("| " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
