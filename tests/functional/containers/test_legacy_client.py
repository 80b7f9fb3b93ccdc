"""The container commands of python-magnumclient 2.0 (2016), the last with them.

The client is installed once into a virtualenv of its own under
``~/.cache/magnum-tests`` (its 2016 dependencies must not reach the project's
venv). Its ``magnum`` CLI always authenticates with Keystone, so each command
runs its shell function (``do_container_create`` ...) in that venv with a
client made as the CLI would make it, on an endpoint and a token (noauth).
"""

from __future__ import annotations

import fcntl
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fixtures.images import BUSYBOX_IMAGE
from tests.functional.containers.conftest import Service

CLIENT = "python-magnumclient==2.0.0"
VENV = Path.home() / ".cache" / "magnum-tests" / "magnumclient-2.0.0"
CLI_TIMEOUT = 60
# Runs in the 2016 venv: argv = endpoint, command, JSON of the parsed arguments.
RUNNER = """
import json, sys, types
from magnumclient.v1 import client, containers_shell
cs = client.Client(input_auth_token="noauth", magnum_url=sys.argv[1])
command = getattr(containers_shell, "do_" + sys.argv[2].replace("-", "_"))
command(cs, types.SimpleNamespace(**json.loads(sys.argv[3])))
"""


def legacy_python() -> Path:
    """The Python of the 2016 client's venv, installed on first use."""
    python = VENV / "bin" / "python"
    VENV.parent.mkdir(parents=True, exist_ok=True)
    with open(VENV.parent / "magnumclient-2.0.0.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (VENV / "bin" / "magnum").exists():
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, timeout=120)
            subprocess.run(
                [str(VENV / "bin" / "pip"), "install", "-q", CLIENT],
                check=True,
                timeout=600,
                stdin=subprocess.DEVNULL,
            )
    return python


@pytest.fixture(scope="module")
def magnum(service: Service):
    python = legacy_python()

    def run(shell_command: str, **args: object) -> str:
        result = subprocess.run(
            [str(python), "-c", RUNNER, service.url, shell_command, json.dumps(args)],
            capture_output=True,
            text=True,
            timeout=CLI_TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
        assert result.returncode == 0, f"{shell_command} {args}:\n{result.stdout}{result.stderr}"
        return result.stdout

    return run


def test_container_commands_of_the_2016_client(service: Service, magnum) -> None:
    bay = service.bays["one"].uuid
    created = magnum(
        "container-create",
        name="legacy",
        image=BUSYBOX_IMAGE,
        bay=bay,
        command="sh -c 'echo from-the-old-client; exec sleep 600'",
        memory="32m",
    )
    assert "legacy" in created and "Creating" in created
    api = service.api
    listed = api.request("GET", "/v1/containers").json()["containers"]
    uuid = next(c["uuid"] for c in listed if c["name"] == "legacy")
    api.wait(uuid, {"Stopped"})
    listing = magnum(
        "container-list", bay=None, marker=None, limit=None, sort_key=None, sort_dir=None
    )
    assert "legacy" in listing and "Stopped" in listing
    magnum("container-start", containers=["legacy"])
    deadline = time.monotonic() + 10
    while "from-the-old-client" not in magnum("container-logs", container="legacy"):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    executed = magnum("container-exec", container="legacy", command="echo hello-2016")
    assert "hello-2016" in executed
    shown = json.loads(magnum("container-show", container="legacy", json=True))
    assert shown["status"] == "Running" and shown["bay_uuid"] == bay
    for action in ("container-pause", "container-unpause", "container-reboot", "container-stop"):
        output = magnum(action, containers=["legacy"])
        assert "failed" not in output, output  # the shell prints failures, it does not raise
    assert json.loads(magnum("container-show", container="legacy", json=True))["status"] == (
        "Stopped"
    )
    assert "failed" not in magnum("container-delete", containers=["legacy"])
    api.wait_gone(uuid)
