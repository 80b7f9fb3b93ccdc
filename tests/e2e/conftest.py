"""The end-to-end tier: the real OpenStack dashboard in a real browser.

* ``keystone``: the functional tier's real Keystone (tests/fixtures/keystone.py).
* ``magnum``: one ``magnum-all`` with ``auth_strategy = keystone`` on SQLite,
  local (Docker-in-Docker) bays, registered in Keystone's catalog as
  ``container-infra``.
* ``horizon``: Horizon 27 + magnum-ui 19 from their own venv
  (tools/install-horizon.sh, installed on first use), served by Django's
  threaded WSGI server on a free loopback port against that Keystone.
* ``browser``: Debian's headless ``chromium`` driven by Selenium through
  Debian's ``chromedriver`` (no driver download).

Screenshots land in ``test-artifacts/e2e/``; Horizon's log in
``test-artifacts/horizon-<port>.log``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest
import requests

from tests.fixtures import keystone as keystone_fixture
from tests.fixtures import processes
from tests.fixtures.docker import docker_host, remove_labelled  # noqa: F401 - fixture by name

HORIZON_VENV = Path(
    os.environ.get("MAGNUM_HORIZON_VENV", Path.home() / ".cache/magnum-horizon/venv")
)
INSTALL_SCRIPT = processes.REPO_ROOT / "tools" / "install-horizon.sh"
CHROMIUM = Path(os.environ.get("MAGNUM_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("MAGNUM_CHROMEDRIVER", "/usr/bin/chromedriver"))
SCREENSHOTS = processes.ARTIFACTS / "e2e"
HORIZON_READY_TIMEOUT = 60.0


@dataclasses.dataclass
class Horizon:
    url: str
    proc: subprocess.Popen
    log_path: Path


@pytest.fixture(scope="session")
def keystone(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[keystone_fixture.Keystone]:
    with keystone_fixture.running(tmp_path_factory.mktemp("keystone")) as server:
        yield server


@pytest.fixture(scope="session")
def magnum(
    tmp_path_factory: pytest.TempPathFactory,
    keystone: keystone_fixture.Keystone,
    docker_host: docker.DockerClient,  # noqa: F811 - the engine local bays run on
) -> Iterator[processes.MagnumProcess]:
    state = tmp_path_factory.mktemp("e2e-magnum")
    # Node sockets must fit the 107-byte unix socket path limit.
    local_state_dir = tempfile.mkdtemp(prefix="mge2e-", dir="/tmp")
    port = processes.free_port()
    service_user = keystone.users["magnum"]
    trustee_admin = keystone.users["trustee-admin"]
    conf = processes.write_config(
        state / "magnum.conf",
        DEFAULT={
            "host": f"e2e-{uuid.uuid4().hex[:6]}",
            "state_path": state,
            "auth_strategy": "keystone",
        },
        api={"host_ip": "127.0.0.1", "port": port},
        conductor={"sync_interval": 1, "heartbeat_interval": 1},
        database={"connection": processes.sqlite_url(state)},
        local={"state_dir": local_state_dir, "node_ready_timeout": 60},
        keystone_authtoken={
            "www_authenticate_uri": keystone.url,
            "auth_url": keystone.url,
            "auth_type": "password",
            "username": "magnum",
            "password": service_user.password,
            "project_name": "service",
            "user_domain_id": "default",
            "project_domain_id": "default",
            "interface": "public",
        },
        trust={
            "trustee_domain_id": keystone.trustee_domain_id,
            "trustee_domain_admin_name": trustee_admin.name,
            "trustee_domain_admin_password": trustee_admin.password,
        },
    )
    process = processes.MagnumProcess("magnum-all", conf, name=f"e2e-all-{port}", port=port)
    try:
        with processes.running(process):
            keystone.register_service("container-infra", "magnum", process.url + "/v1")
            yield process
    finally:
        # Only this tier's bays (their nodes mount its state dir): another
        # run may share the engine.
        for bay in _bays_under(docker_host, local_state_dir):
            remove_labelled(docker_host, f"magnum.cluster={bay}")
        shutil.rmtree(local_state_dir, ignore_errors=True)


def _ensure_horizon_installed() -> None:
    # The script is idempotent and cheap when the venv is up to date.
    processes.run_install_script(INSTALL_SCRIPT, MAGNUM_HORIZON_VENV=str(HORIZON_VENV))


@pytest.fixture(scope="session")
def horizon(
    tmp_path_factory: pytest.TempPathFactory,
    keystone: keystone_fixture.Keystone,
    magnum: processes.MagnumProcess,
) -> Iterator[Horizon]:
    _ensure_horizon_installed()
    sessions = tmp_path_factory.mktemp("horizon-sessions")
    port = processes.free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = processes.ARTIFACTS / f"horizon-{port}.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "openstack_dashboard.settings",
        "MAGNUM_HORIZON_KEYSTONE_URL": keystone.url,
        "MAGNUM_HORIZON_SESSION_DIR": str(sessions),
        "PYTHONWARNINGS": "ignore::DeprecationWarning",
    }
    env.pop("PYTHONPATH", None)
    # runserver is Django's threaded WSGI server; --insecure serves /static
    # (collected and compressed at install) with DEBUG off.
    argv = [
        str(HORIZON_VENV / "bin" / "django-admin"),
        "runserver",
        f"127.0.0.1:{port}",
        "--insecure",
        "--noreload",
    ]
    processes.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as out:
        proc = subprocess.Popen(
            argv,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + HORIZON_READY_TIMEOUT
        while True:
            if proc.poll() is not None:
                raise processes.ProcessFailed(
                    f"horizon exited with {proc.returncode}; see {log_path}"
                )
            with contextlib.suppress(requests.RequestException):
                if requests.get(url + "/auth/login/", timeout=5).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise processes.ProcessFailed(f"horizon not ready; see {log_path}")
            time.sleep(0.2)
        yield Horizon(url, proc, log_path)
    finally:
        processes.stop_group(proc)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.fail(
            f"{CHROMIUM} or {CHROMEDRIVER} is missing: install Debian's chromium and "
            "chromium-driver (tools/install.sh does)"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,900",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_page_load_timeout(60)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()


def _bays_under(engine: docker.DockerClient, state_dir: str) -> set[str]:
    bays = set()
    for summary in engine.api.containers(all=True, filters={"label": "magnum.cluster"}):
        if any(m.get("Source", "").startswith(state_dir) for m in summary.get("Mounts", [])):
            bays.add(summary["Labels"]["magnum.cluster"])
    return bays
