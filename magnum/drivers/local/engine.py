"""Clients of the host engine and of the nodes, and how their failures surface.

Every Docker client here pins the API version (so it can be made before the
engine it points at answers) and carries a timeout, so no call blocks for
ever. ``backend_errors`` turns whatever the Docker SDK raises into a
``DriverError`` whose reason says what was being done; the conductor records
that reason on the bay.
"""

from __future__ import annotations

import contextlib
import time
import urllib.parse
from collections.abc import Callable, Iterator
from typing import TypeVar

import docker
import docker.errors
import requests.exceptions

from magnum import conf
from magnum.common import exception
from magnum.common.docker_errors import describe

CONF = conf.CONF

T = TypeVar("T")

# docker save/load and import move whole images; they may take minutes.
IMAGE_IO_TIMEOUT = 600
# Threads of one bay operation share the host client; keep a connection each.
_POOL_SIZE = 16


def host_url() -> str:
    """[local] docker_url without any credentials it may carry."""
    parts = urllib.parse.urlsplit(CONF.local.docker_url)
    if not (parts.username or parts.password):
        return CONF.local.docker_url  # urlunsplit would turn unix:///x into unix:/x
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def default_timeout() -> int:
    return CONF.docker.default_timeout


def host_client(timeout: int | None = None) -> docker.DockerClient:
    return docker.DockerClient(
        base_url=CONF.local.docker_url,
        version=CONF.local.docker_api_version,
        timeout=timeout or default_timeout(),
        max_pool_size=_POOL_SIZE,
    )


def node_client(socket_path: str, timeout: int | None = None) -> docker.DockerClient:
    return docker.DockerClient(
        base_url=f"unix://{socket_path}",
        version=CONF.local.docker_api_version,
        timeout=timeout or default_timeout(),
    )


@contextlib.contextmanager
def backend_errors(action: str) -> Iterator[None]:
    """Raise DriverError("<action>: <what went wrong>") for Docker failures."""
    try:
        yield
    except exception.MagnumException:
        raise
    except (docker.errors.DockerException, requests.exceptions.RequestException, OSError) as e:
        raise exception.DriverError(reason=f"{action}: {describe(e)}") from e


def ping_host(client: docker.DockerClient) -> None:
    try:
        client.ping()
    except (docker.errors.DockerException, requests.exceptions.RequestException, OSError) as e:
        raise exception.DriverError(
            reason=f"The Docker engine of local bays at {host_url()} does not answer: "
            f"{describe(e)}"
        ) from e


def wait_until(
    what: str, check: Callable[[], T | None], timeout: float, interval: float = 0.1
) -> T:
    """Poll ``check`` until it returns a truthy value; DriverError on timeout.

    Errors of ``check`` count as "not yet", except magnum's own, which stop
    the wait at once (a check raises those when waiting is pointless).
    """
    deadline = time.monotonic() + timeout
    last_error: BaseException | None = None
    while True:
        try:
            result = check()
            if result:
                return result
        except exception.MagnumException:
            raise
        except Exception as e:  # any failure means "not ready yet"
            last_error = e
        if time.monotonic() >= deadline:
            detail = f" (last error: {describe(last_error)})" if last_error else ""
            raise exception.DriverError(
                reason=f"Timed out after {timeout:g} s waiting for {what}{detail}."
            )
        time.sleep(interval)
