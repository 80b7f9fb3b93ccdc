"""Node containers: each runs its own dockerd, reached through a unix socket.

A node needs most of what ``--privileged`` grants. Some hosts (VMs whose
capability bounding set lacks e.g. CAP_SYS_RESOURCE) cannot grant it: runc
then fails the start with "unable to apply caps". ``caps`` mode asks for
every capability the host does have, unconfined seccomp and AppArmor and all
devices; the node's init script remounts /sys, /proc/sys and the cgroup
mounts read-write itself. ``auto`` predicts the mode from this process's
CapBnd and still falls back from privileged to caps when the engine refuses.

The node's dockerd listens on ``/run/magnum/docker.sock``, a directory
bind-mounted from the host's state dir, so the host reaches every node API
without any TCP port. ``/var/lib/docker`` is a named volume: overlay2 does not
work on top of the container's own overlay root.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import shutil
from typing import Any

import docker
import docker.errors
from docker.types import LogConfig

from magnum import conf
from magnum.common import exception
from magnum.drivers.local import engine, layout

CONF = conf.CONF

PRIVILEGED = "privileged"
CAPS = "caps"
AUTO = "auto"

# Capability names by bit number, as runc knows them.
CAPABILITIES = (
    "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID",
    "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST",
    "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO",
    "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
    "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE",
    "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM",
    "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE",
)  # fmt: skip

NODE_SOCKET_DIR = "/run/magnum"
_REFUSED_CAPS = "apply caps"


def missing_capabilities(proc_status: str | None = None) -> list[str]:
    """Capabilities --privileged would ask for that this host cannot grant."""
    if proc_status is None:
        with open("/proc/self/status") as f:
            proc_status = f.read()
    found = re.search(r"^CapBnd:\s*([0-9a-fA-F]+)", proc_status, re.MULTILINE)
    if not found:
        return []
    bounding = int(found.group(1), 16)
    return [name for bit, name in enumerate(CAPABILITIES) if not (bounding >> bit) & 1]


def predict_security(setting: str, missing: list[str]) -> str:
    if setting == AUTO:
        return CAPS if missing else PRIVILEGED
    return setting


class NodeSecurity:
    """The security mode of new nodes; in ``auto``, what the host has shown."""

    def __init__(self) -> None:
        self._learnt: str | None = None

    def mode(self) -> str:
        setting = CONF.local.node_security
        if setting != AUTO:
            return setting
        if self._learnt is None:
            self._learnt = predict_security(AUTO, missing_capabilities())
        return self._learnt

    def learn(self, used: str) -> None:
        """Remember the mode a node start ended up with (after a fallback)."""
        if CONF.local.node_security == AUTO:
            self._learnt = used


def dockerd_args() -> list[str]:
    return [
        "--host=unix:///var/run/docker.sock",
        f"--host=unix://{NODE_SOCKET_DIR}/{layout.SOCKET_NAME}",
        "--storage-driver=overlay2",
        # The node's resolv.conf only names Docker's embedded 127.0.0.11, which
        # inner containers cannot use; without this they fall back to 8.8.8.8.
        "--dns=127.0.0.1",
        "--userland-proxy=false",
    ]


def run_kwargs(
    spec: layout.NodeSpec,
    image: str,
    network: str,
    state_dir: str,
    security: str,
    missing: list[str],
) -> dict[str, Any]:
    """Arguments of ``containers.run`` for one node."""
    kwargs: dict[str, Any] = {
        "image": image,
        "command": dockerd_args(),
        "name": spec.name,
        "hostname": spec.name,
        "detach": True,
        "labels": spec.labels,
        "network": network,
        "dns": ["127.0.0.1"],
        # No registry exists: swarm tasks must use the images loaded into the node.
        "environment": {"DOCKER_SERVICE_PREFER_OFFLINE_IMAGE": "1"},
        "volumes": {
            spec.socket_dir(state_dir): {"bind": NODE_SOCKET_DIR, "mode": "rw"},
            spec.volume: {"bind": "/var/lib/docker", "mode": "rw"},
        },
        "restart_policy": {"Name": "unless-stopped"},
        "log_config": LogConfig(type="json-file", config={"max-size": "5m", "max-file": "2"}),
    }
    if security == PRIVILEGED:
        kwargs["privileged"] = True
    else:
        kwargs.update(
            cap_add=["ALL"],
            cap_drop=missing or None,
            security_opt=["seccomp=unconfined", "apparmor=unconfined", "label=disable"],
            device_cgroup_rules=["a *:* rwm"],
        )
    return kwargs


@dataclasses.dataclass
class NodeHandle:
    """A running node whose dockerd answers."""

    spec: layout.NodeSpec
    address: str
    client: docker.DockerClient


def start_node(
    host: docker.DockerClient,
    spec: layout.NodeSpec,
    image: str,
    network: str,
    state_dir: str,
    security: str,
    fallback: bool = True,
) -> tuple[str, str]:
    """Start one node container; returns (its address, the security mode used).

    With ``fallback`` a privileged start the host refuses is retried in caps
    mode; without it, the refusal is the error.
    """
    missing = missing_capabilities()
    # A node's API is root on the node: only the conductor's user may reach it.
    os.makedirs(layout.bay_dir(state_dir, spec.cluster_uuid), mode=0o700, exist_ok=True)
    os.makedirs(spec.socket_dir(state_dir), mode=0o700, exist_ok=True)
    with engine.backend_errors(f"Starting node {spec.name}"):
        _remove_volume(host, spec.volume)  # a fresh node never reuses an old disk
        host.volumes.create(spec.volume, labels=spec.labels)
        try:
            container = host.containers.run(
                **run_kwargs(spec, image, network, state_dir, security, missing)
            )
        except docker.errors.APIError as e:
            if security != PRIVILEGED or _REFUSED_CAPS not in engine.describe(e):
                raise
            _remove_container(host, spec.name)
            if not fallback:
                raise exception.DriverError(
                    reason=f"Starting node {spec.name}: this host cannot grant --privileged "
                    f"({engine.describe(e)}); set [local] node_security to auto or caps."
                ) from e
            security = CAPS
            container = host.containers.run(
                **run_kwargs(spec, image, network, state_dir, security, missing)
            )
        container.reload()
    address = container.attrs["NetworkSettings"]["Networks"].get(network, {}).get("IPAddress")
    if not address:
        raise exception.DriverError(reason=f"Node {spec.name} got no address on {network}.")
    return address, security


def wait_for_api(
    host: docker.DockerClient, spec: layout.NodeSpec, state_dir: str, timeout: float
) -> docker.DockerClient:
    """A client of the node's dockerd once it answers."""
    client = engine.node_client(spec.socket_path(state_dir))
    polls = 0

    def answers() -> bool:
        nonlocal polls
        polls += 1
        if polls % 20 == 0:
            _check_still_up(host, spec)
        return client.ping()

    try:
        engine.wait_until(f"the Docker API of node {spec.name}", answers, timeout, 0.05)
    except Exception:
        client.close()
        raise
    return client


def _check_still_up(host: docker.DockerClient, spec: layout.NodeSpec) -> None:
    """Stop waiting for a node whose dockerd died: say why instead of timing out."""
    with engine.backend_errors(f"Inspecting node {spec.name}"):
        container = host.containers.get(spec.name)
    state = container.attrs.get("State") or {}
    if state.get("Status") in ("exited", "dead") or container.attrs.get("RestartCount", 0):
        with engine.backend_errors(f"Reading the log of node {spec.name}"):
            tail = container.logs(tail=3).decode(errors="replace").strip().replace("\n", " | ")
        raise exception.DriverError(
            reason=f"The dockerd of node {spec.name} exited (code {state.get('ExitCode')}): "
            f"{tail[-400:]}"
        )


def remove_node_objects(host: docker.DockerClient, spec: layout.NodeSpec, state_dir: str) -> None:
    """Remove a node's container, volume and socket directory, whatever is left."""
    with engine.backend_errors(f"Removing node {spec.name}"):
        _remove_container(host, spec.name)
        _remove_volume(host, spec.volume)
    shutil.rmtree(spec.socket_dir(state_dir), ignore_errors=True)


def _remove_container(host: docker.DockerClient, name: str) -> None:
    with contextlib.suppress(docker.errors.NotFound):
        host.api.remove_container(name, v=True, force=True)


def _remove_volume(host: docker.DockerClient, name: str) -> None:
    with contextlib.suppress(docker.errors.NotFound):
        host.api.remove_volume(name, force=True)
