#!/usr/bin/env python3
"""Time the local driver's bay create and delete against the raw DinD recipe.

For each bay size (1 master + W workers) it runs ``LocalDriver.create`` then
``delete`` N times, and, in the same run, the raw recipe of
``research/local-dind-bays.md`` done with plain Docker SDK calls: node
containers started one after the other, each waited for in turn, swarm init,
workers joining in parallel, all nodes ready. Both use the same node image.
It prints one table of medians and the driver/raw ratios::

    python tools/bench/local_bay_create.py --runs 5 --workers 1 3

Needs root and the host Docker engine; builds the node image first if it is
missing (not timed). Leaves nothing behind.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import time
import types
import uuid
from collections.abc import Callable
from pathlib import Path

import docker
from docker.types import LogConfig

# Runnable from a checkout without installing magnum.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from magnum import conf  # noqa: E402
from magnum.drivers.local import driver, engine, image, nodes  # noqa: E402

CONF = conf.CONF
RAW_LABEL = "magnum.bench.raw"


def timed(call: Callable[[], object]) -> float:
    started = time.monotonic()
    call()
    return time.monotonic() - started


def wait_for(check: Callable[[], object], timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):  # still starting
            if check():
                return
        time.sleep(0.05)
    raise TimeoutError("the raw recipe timed out")


class RawRecipe:
    """The research recipe, step by step, as a person would script it."""

    def __init__(self, host: docker.DockerClient, image_tag: str, state_dir: str) -> None:
        self.host, self.image, self.state_dir = host, image_tag, state_dir
        self.missing = nodes.missing_capabilities()

    def node_dir(self, bay: str, i: int) -> str:
        return os.path.join(self.state_dir, bay, f"node-{i}")

    def client(self, bay: str, i: int) -> docker.DockerClient:
        sock = os.path.join(self.node_dir(bay, i), "docker.sock")
        return docker.DockerClient(base_url=f"unix://{sock}", version="1.41", timeout=30)

    def up(self, bay: str, count: int) -> None:
        labels = {RAW_LABEL: bay}
        self.host.networks.create(f"{bay}-net", driver="bridge", internal=True, labels=labels)
        for i in range(count):
            os.makedirs(self.node_dir(bay, i), exist_ok=True)
            self.host.volumes.create(f"{bay}-node-{i}-docker", labels=labels)
            self.host.containers.run(
                self.image,
                name=f"{bay}-node-{i}",
                hostname=f"node-{i}",
                detach=True,
                network=f"{bay}-net",
                dns=["127.0.0.1"],
                labels=labels,
                environment={"DOCKER_SERVICE_PREFER_OFFLINE_IMAGE": "1"},
                volumes={
                    self.node_dir(bay, i): {"bind": "/run/magnum", "mode": "rw"},
                    f"{bay}-node-{i}-docker": {"bind": "/var/lib/docker", "mode": "rw"},
                },
                log_config=LogConfig(type="json-file", config={"max-size": "5m"}),
                command=nodes.dockerd_args(),
                cap_add=["ALL"],
                cap_drop=self.missing or None,
                security_opt=["seccomp=unconfined", "apparmor=unconfined", "label=disable"],
                device_cgroup_rules=["a *:* rwm"],
            )
        clients = [self.client(bay, i) for i in range(count)]
        for client in clients:
            wait_for(client.ping)
        ips = []
        for i in range(count):
            attrs = self.host.api.inspect_container(f"{bay}-node-{i}")
            ips.append(attrs["NetworkSettings"]["Networks"][f"{bay}-net"]["IPAddress"])
        manager = clients[0]
        spec = manager.api.create_swarm_spec(dispatcher_heartbeat_period=1_000_000_000)
        manager.api.init_swarm(
            advertise_addr=ips[0], listen_addr=f"{ips[0]}:2377", swarm_spec=spec
        )
        token = manager.api.inspect_swarm()["JoinTokens"]["Worker"]

        def join(i: int) -> None:
            clients[i].api.join_swarm(
                [f"{ips[0]}:2377"], token, listen_addr=f"{ips[i]}:2377", advertise_addr=ips[i]
            )

        with concurrent.futures.ThreadPoolExecutor(max(1, count - 1)) as pool:
            list(pool.map(join, range(1, count)))
        wait_for(
            lambda: sum(n["Status"]["State"] == "ready" for n in manager.api.nodes()) == count
        )
        for client in clients:
            client.close()

    def down(self, bay: str) -> None:
        found = {"label": f"{RAW_LABEL}={bay}"}
        containers = self.host.api.containers(all=True, filters=found)
        with concurrent.futures.ThreadPoolExecutor(max(1, len(containers))) as pool:
            list(
                pool.map(lambda c: self.host.api.remove_container(c["Id"], force=True), containers)
            )
        for volume in self.host.api.volumes(filters=found).get("Volumes") or []:
            self.host.api.remove_volume(volume["Name"], force=True)
        for network in self.host.api.networks(filters=found):
            self.host.api.remove_network(network["Id"])
        shutil.rmtree(os.path.join(self.state_dir, bay), ignore_errors=True)


def bench_driver(local: driver.LocalDriver, workers: int) -> tuple[float, float]:
    nodegroups = [
        types.SimpleNamespace(
            name="default-master", role="master", node_count=1, node_labels=None
        ),
        types.SimpleNamespace(
            name="default-worker", role="worker", node_count=workers, node_labels=None
        ),
    ]
    bay = types.SimpleNamespace(uuid=str(uuid.uuid4()), name="bench", labels=None)
    try:
        create = timed(lambda: local.create(None, bay, None, nodegroups))
    finally:
        delete = timed(lambda: local.delete(None, bay))
    return create, delete


def bench_raw(raw: RawRecipe, workers: int) -> tuple[float, float]:
    bay = f"bench-raw-{uuid.uuid4().hex[:8]}"
    try:
        create = timed(lambda: raw.up(bay, workers + 1))
    finally:
        delete = timed(lambda: raw.down(bay))
    return create, delete


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per bay size (default 3)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 3], help="workers per bay")
    parser.add_argument("--image", default=None, help="node image (default: [local] node_image)")
    args = parser.parse_args(argv)

    CONF([], project="magnum", default_config_files=[])
    state = tempfile.mkdtemp(prefix="mgb-", dir="/tmp")  # short: socket paths have a limit
    CONF.set_override("state_path", state)
    if args.image:
        CONF.set_override("node_image", args.image, group="local")
    host = engine.host_client()
    try:
        image.ensure_node_image(host, CONF.local.node_image)
        local = driver.LocalDriver()
        raw = RawRecipe(host, CONF.local.node_image, os.path.join(state, "raw"))
        rows = []
        for workers in args.workers:
            samples: dict[str, list[float]] = {k: [] for k in ("dc", "dd", "rc", "rd")}
            for _ in range(args.runs):
                for key, (create, delete) in (
                    ("d", bench_driver(local, workers)),
                    ("r", bench_raw(raw, workers)),
                ):
                    samples[key + "c"].append(create)
                    samples[key + "d"].append(delete)
            med = {k: statistics.median(v) for k, v in samples.items()}
            rows.append((f"1 master + {workers} worker{'s' * (workers > 1)}", med))
    finally:
        host.close()
        shutil.rmtree(state, ignore_errors=True)

    print(f"median of {args.runs} run(s); image {CONF.local.node_image}; seconds")
    header = (
        "bay",
        "driver create",
        "raw create",
        "ratio",
        "driver delete",
        "raw delete",
        "ratio",
    )
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for label, m in rows:
        cells = (
            label,
            f"{m['dc']:.2f}",
            f"{m['rc']:.2f}",
            f"{m['dc'] / m['rc']:.2f}",
            f"{m['dd']:.2f}",
            f"{m['rd']:.2f}",
            f"{m['dd'] / m['rd']:.2f}",
        )
        print("| " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
