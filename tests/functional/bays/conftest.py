"""Bays end to end: magnum-all on SQLite, local bays made of real DinD nodes.

``service`` is one ``magnum-all`` per test module (``[conductor]`` sync and
heartbeat every second, node sockets under a short ``/tmp`` directory so
they fit the 107-byte limit); ``start_service`` makes more, with other
options, for the failure paths. ``api`` drives it over HTTP and removes, at
the end of the module, whatever on the Docker engine still carries the label
of a bay it made; ``client`` is python-magnumclient and ``openstack`` the
``openstack coe`` CLI, both against the noauth endpoint.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docker
import pytest
from magnumclient.v1 import client as magnum_client

from tests.fixtures import processes
from tests.fixtures.bays import BayAPI
from tests.fixtures.docker import docker_host  # noqa: F401 - pytest finds fixtures by name

CLI_TIMEOUT = 60


@dataclasses.dataclass
class Service:
    process: processes.MagnumProcess
    config_file: Path
    database_url: str
    local_state_dir: str

    @property
    def url(self) -> str:
        return self.process.url

    @property
    def endpoint(self) -> str:
        return self.url + "/v1"


@contextlib.contextmanager
def start_service(
    tmp_path_factory: pytest.TempPathFactory, name: str, **sections: dict[str, Any]
) -> Iterator[Service]:
    """A magnum-all on SQLite; ``sections`` add to or override its options."""
    state = tmp_path_factory.mktemp(name)
    local_state_dir = tempfile.mkdtemp(prefix="mgb-", dir="/tmp")
    port = processes.free_port()
    database_url = processes.sqlite_url(state)
    config: dict[str, dict[str, Any]] = {
        "DEFAULT": {
            "host": f"{name}-{uuid.uuid4().hex[:6]}",
            "state_path": state,
            "auth_strategy": "noauth",
            "debug": False,
        },
        "api": {"host_ip": "127.0.0.1", "port": port},
        "conductor": {"sync_interval": 1, "heartbeat_interval": 1},
        "database": {"connection": database_url},
        "local": {"state_dir": local_state_dir, "node_ready_timeout": 60},
    }
    for section, options in sections.items():
        config.setdefault(section, {}).update(options)
    conf = processes.write_config(state / "magnum.conf", **config)
    process = processes.MagnumProcess("magnum-all", conf, name=f"{name}-{port}", port=port)
    try:
        with processes.running(process):
            yield Service(process, conf, database_url, local_state_dir)
    finally:
        shutil.rmtree(local_state_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, request) -> Iterator[Service]:
    name = f"bays-{request.module.__name__.rsplit('.', 1)[-1].removeprefix('test_')}"
    with start_service(tmp_path_factory, name) as running:
        yield running


@pytest.fixture(scope="module")
def api(service: Service, docker_host: docker.DockerClient) -> Iterator[BayAPI]:  # noqa: F811
    bays = BayAPI(service.url, docker_host)
    yield bays
    bays.remove_everything()


@pytest.fixture(scope="module")
def client(service: Service) -> magnum_client.Client:
    # Under noauth any token will do; endpoint_override + auth_token makes
    # magnumclient skip Keystone entirely. Without api_version it would send
    # no version header (1.1), as python-magnumclient 1.x did.
    return magnum_client.Client(
        endpoint_override=service.endpoint, auth_token="noauth", api_version="latest"
    )


@pytest.fixture(scope="module")
def openstack(service: Service):
    """Run ``openstack <args> -f json`` against the service; return the parsed output."""
    binary = processes.BIN_DIR / "openstack"
    env = {
        **os.environ,
        "OS_AUTH_TYPE": "none",
        "OS_ENDPOINT": service.endpoint,
        "OS_CLOUD": "",
    }

    def run(*args: str, parse: bool = True, expect_fail: bool = False) -> Any:
        argv = [str(binary), *args] + (["-f", "json"] if parse else [])
        result = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            env=env,
            timeout=CLI_TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
        if expect_fail:
            assert result.returncode != 0, result.stdout
            return result.stderr
        assert result.returncode == 0, f"{' '.join(argv)}:\n{result.stdout}{result.stderr}"
        if not parse:
            # Delete commands report a refusal but still exit 0.
            return result.stdout + result.stderr
        # Some commands print "Request to ... accepted" before the document.
        lines = result.stdout.splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith(("{", "[")))
        return json.loads("\n".join(lines[start:]))

    return run
