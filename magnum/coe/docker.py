"""Containers on a bay's Docker Engine API: the only caller of the Docker SDK for them.

Every function takes a ``docker.DockerClient`` for one node of the bay, as
``coe/docker_clients.py`` builds it from an endpoint the bay's driver hands
out (``driver.endpoints``: a unix socket, or TCP with TLS) and caches it.

Failures come back as magnum exceptions whose messages say what was being
done: the Docker object missing → ``ResourceNotFound``; Docker refusing the
request in the container's current state (its HTTP 409) → ``Conflict``;
anything else, including a node that does not answer → ``DriverError``.

Output (logs, exec) is streamed and cut at ``limit`` bytes with a marker,
and reading stops at a deadline, so neither a 100 MB log nor a command
that never ends can exhaust the conductor or hold an RPC call past its
timeout.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any

import docker
import docker.errors
import requests.exceptions

from magnum.common import exception
from magnum.common.docker_errors import describe
from magnum.objects import fields

LABEL_CONTAINER = "magnum.container"
LABEL_CLUSTER = "magnum.cluster"
STATUS = fields.ContainerStatus
_EXIT_CODE = re.compile(r"^Exited \((-?\d+)\)")


def container_name(uuid: str) -> str:
    """The Docker-side name: unique per magnum container, whatever its project."""
    return f"magnum-{uuid}"


@dataclasses.dataclass(frozen=True)
class ContainerSpec:
    uuid: str
    cluster_uuid: str
    image: str
    command: str | None = None
    memory: str | None = None
    environment: dict[str, str] | None = None


@dataclasses.dataclass(frozen=True)
class ContainerState:
    status: str  # one of objects.fields.ContainerStatus
    reason: str | None = None


@dataclasses.dataclass(frozen=True)
class Output:
    text: str
    truncated: bool = False
    exit_code: int | None = None


# --- errors -----------------------------------------------------------------------


@contextlib.contextmanager
def docker_errors(action: str, what: str) -> Iterator[None]:
    """Translate Docker SDK failures of ``action`` on ``what`` into magnum's."""
    try:
        yield
    except exception.MagnumException:
        raise
    except docker.errors.NotFound as err:
        raise exception.ResourceNotFound(resource="Docker object", ident=what) from err
    except docker.errors.APIError as err:
        if err.status_code == 409:
            raise exception.Conflict(f"{action}: {describe(err)}") from err
        raise exception.DriverError(reason=f"{action}: {describe(err)}") from err
    except (docker.errors.DockerException, requests.exceptions.RequestException, OSError) as err:
        raise exception.DriverError(reason=f"{action}: {describe(err)}") from err


def is_unreachable(err: BaseException) -> bool:
    """True when ``err`` came from a node that could not be talked to at all."""
    cause = err.__cause__
    return isinstance(cause, requests.exceptions.ConnectionError | requests.exceptions.Timeout)


# --- images -------------------------------------------------------------------------


def has_image(client: docker.DockerClient, image: str) -> bool:
    with docker_errors(f"Looking up image {image}", image):
        try:
            client.api.inspect_image(image)
        except docker.errors.ImageNotFound:
            return False
    return True


def pull(client: docker.DockerClient, image: str) -> None:
    with docker_errors(f"Pulling image {image}", image):
        client.images.pull(image)


# --- lifecycle ----------------------------------------------------------------------


def create(client: docker.DockerClient, spec: ContainerSpec) -> str:
    """Create (not start) the container; returns its Docker id.

    It runs under an init process (``init=True``) so that ``stop`` ends it
    at once instead of waiting for the kill timeout.
    """
    api = client.api
    with docker_errors(f"Creating container from image {spec.image}", spec.image):
        host_config = api.create_host_config(init=True, mem_limit=spec.memory or None)
        created = api.create_container(
            spec.image,
            command=spec.command or None,
            name=container_name(spec.uuid),
            environment=spec.environment or None,
            labels={LABEL_CONTAINER: spec.uuid, LABEL_CLUSTER: spec.cluster_uuid},
            host_config=host_config,
        )
    return created["Id"]


def _act(what: str, docker_id: str, call: Callable[[], Any]) -> None:
    with docker_errors(f"{what.capitalize()} of container {docker_id[:12]}", docker_id):
        call()


def start(client: docker.DockerClient, docker_id: str) -> None:
    _act("start", docker_id, lambda: client.api.start(docker_id))


def stop(client: docker.DockerClient, docker_id: str, timeout: int = 10) -> None:
    _act("stop", docker_id, lambda: client.api.stop(docker_id, timeout=timeout))


def restart(client: docker.DockerClient, docker_id: str, timeout: int = 10) -> None:
    _act("restart", docker_id, lambda: client.api.restart(docker_id, timeout=timeout))


def pause(client: docker.DockerClient, docker_id: str) -> None:
    _act("pause", docker_id, lambda: client.api.pause(docker_id))


def unpause(client: docker.DockerClient, docker_id: str) -> None:
    _act("unpause", docker_id, lambda: client.api.unpause(docker_id))


def remove(client: docker.DockerClient, ident: str) -> bool:
    """Remove the container (running or not) by id or name; False when it was gone."""
    with docker_errors(f"Removing container {ident[:12]}", ident):
        try:
            client.api.remove_container(ident, v=True, force=True)
        except docker.errors.NotFound:
            return False
    return True


# --- state --------------------------------------------------------------------------


def state_from_inspect(state: dict[str, Any]) -> ContainerState:
    """Map ``State`` of ``docker inspect`` onto magnum's container statuses."""
    if state.get("Paused"):
        return ContainerState(STATUS.PAUSED)
    if state.get("Running") or state.get("Restarting"):
        return ContainerState(STATUS.RUNNING)
    if state.get("OOMKilled"):
        return ContainerState(STATUS.ERROR, "killed: out of memory")
    if state.get("Error"):
        return ContainerState(STATUS.ERROR, str(state["Error"]))
    if state.get("Dead"):
        return ContainerState(STATUS.ERROR, "Docker reports the container dead")
    if state.get("Status") == "exited":
        return ContainerState(STATUS.STOPPED, f"exited with code {state.get('ExitCode', 0)}")
    return ContainerState(STATUS.STOPPED)


def state_from_summary(summary: dict[str, Any]) -> ContainerState | None:
    """Map one entry of ``GET /containers/json``; None while Docker removes it."""
    state = summary.get("State")
    if state == "paused":
        return ContainerState(STATUS.PAUSED)
    if state in ("running", "restarting"):
        return ContainerState(STATUS.RUNNING)
    if state == "dead":
        return ContainerState(STATUS.ERROR, "Docker reports the container dead")
    if state == "removing":
        return None
    match = _EXIT_CODE.match(summary.get("Status") or "")
    reason = f"exited with code {match.group(1)}" if match else None
    return ContainerState(STATUS.STOPPED, reason)


def inspect(client: docker.DockerClient, docker_id: str) -> ContainerState:
    with docker_errors(f"Inspecting container {docker_id[:12]}", docker_id):
        attrs = client.api.inspect_container(docker_id)
    return state_from_inspect(attrs.get("State") or {})


def list_states(client: docker.DockerClient) -> dict[str, ContainerState]:
    """Every magnum container on the node, by magnum uuid: one API call."""
    with docker_errors("Listing the containers of a node", "containers"):
        summaries = client.api.containers(all=True, filters={"label": LABEL_CONTAINER})
    states = {}
    for summary in summaries:
        uuid = (summary.get("Labels") or {}).get(LABEL_CONTAINER)
        found = state_from_summary(summary)
        if uuid and found is not None:
            states[uuid] = found
    return states


# --- output -------------------------------------------------------------------------


def read_bounded(stream: Any, limit: int, timeout: float, marker: str) -> tuple[bytes, bool, bool]:
    """Read a Docker output stream up to ``limit`` bytes or ``timeout`` seconds.

    Returns (data, truncated, timed_out). A watchdog closes the stream at the
    deadline, which ends a read blocked on a silent command or a stalled
    node (the SDK's streams end quietly when closed). ``marker`` is appended
    when the output was cut.
    """
    fired = threading.Event()

    def expire() -> None:
        fired.set()
        _close_quietly(stream)

    watchdog = threading.Timer(timeout, expire)
    watchdog.daemon = True
    watchdog.start()
    chunks: list[bytes] = []
    size = 0
    truncated = False
    try:
        for chunk in stream:
            if size + len(chunk) > limit:
                chunks.append(chunk[: limit - size])
                truncated = True
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        watchdog.cancel()
        _close_quietly(stream)
    data = b"".join(chunks)
    if truncated:
        data += marker.encode()
    return data, truncated, fired.is_set()


def _close_quietly(stream: Any) -> None:
    with contextlib.suppress(Exception):  # already closed, or closed by the other thread
        stream.close()


def _text(data: bytes) -> str:
    # RPC and JSON carry text; binary output is shown with replacement marks.
    return data.decode("utf-8", errors="replace")


def logs(
    client: docker.DockerClient,
    docker_id: str,
    limit: int,
    timeout: float,
    since: datetime.datetime | int | None = None,
    tail: int | None = None,
) -> Output:
    """stdout and stderr of the container, at most ``limit`` bytes of it."""
    marker = f"\n[output truncated after {limit} bytes; use tail or since to see the rest]\n"
    with docker_errors(f"Reading the logs of container {docker_id[:12]}", docker_id):
        stream = client.api.logs(
            docker_id,
            stdout=True,
            stderr=True,
            stream=True,
            follow=False,
            since=since,
            tail="all" if tail is None else tail,
        )
        data, truncated, timed_out = read_bounded(stream, limit, timeout, marker)
    if timed_out and not truncated:
        data += f"\n[stopped reading the logs after {timeout:g} s]\n".encode()
    return Output(_text(data), truncated=truncated or timed_out)


def execute(
    client: docker.DockerClient, docker_id: str, command: str, limit: int, timeout: float
) -> Output:
    """Run ``command`` in the container; its output and exit code.

    ``exit_code`` is None when the command was still running when reading
    stopped (output over ``limit``, or ``timeout`` reached).
    """
    marker = f"\n[output truncated after {limit} bytes]\n"
    with docker_errors(f"Running a command in container {docker_id[:12]}", docker_id):
        exec_id = client.api.exec_create(docker_id, command, stdout=True, stderr=True, tty=False)
        stream = client.api.exec_start(exec_id, stream=True)
        data, truncated, timed_out = read_bounded(stream, limit, timeout, marker)
        result = client.api.exec_inspect(exec_id)
    exit_code = None if result.get("Running") else result.get("ExitCode")
    if timed_out and not truncated:
        data += f"\n[the command was still running after {timeout:g} s]\n".encode()
    return Output(_text(data), truncated=truncated or timed_out, exit_code=exit_code)
