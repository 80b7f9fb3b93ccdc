"""Deployments for the authentication tier.

* ``keystone``: a real Keystone (tests/fixtures/keystone.py), once per session.
* ``keystone_deployment``: magnum-api (2 workers) and magnum-conductor on
  RabbitMQ and MariaDB with ``auth_strategy = keystone``, configured as an
  operator would: ``[keystone_authtoken]`` only (``[keystone_auth]`` falls
  back to it), ``[trust]`` with a trustee domain and its administrator, an
  ``[oslo_policy] policy_file`` the tests rewrite, and debug logging so the
  secrets scan sees the most talkative logs. The API is in the catalog as
  ``container-infra``.
* ``noauth_deployment``: magnum-all on SQLite with ``auth_strategy = noauth``.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures import keystone as keystone_fixture
from tests.fixtures import processes


@dataclasses.dataclass
class AuthDeployment:
    url: str
    config_file: Path
    policy_file: Path
    database_url: str
    api: processes.MagnumProcess
    conductor: processes.MagnumProcess | None = None


@pytest.fixture(scope="session")
def keystone(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[keystone_fixture.Keystone]:
    with keystone_fixture.running(tmp_path_factory.mktemp("keystone")) as server:
        yield server


def _base_config(state: Path, port: int, host: str) -> dict[str, dict]:
    return {
        "DEFAULT": {"host": host, "state_path": state, "debug": True},
        "api": {"host_ip": "127.0.0.1", "port": port},
        "conductor": {"heartbeat_interval": 1, "sync_interval": 1},
        "oslo_policy": {"policy_file": state / "policy.yaml"},
    }


@pytest.fixture(scope="module")
def keystone_deployment(
    tmp_path_factory: pytest.TempPathFactory, keystone: keystone_fixture.Keystone
) -> Iterator[AuthDeployment]:
    state = tmp_path_factory.mktemp("ks-deployment")
    port = processes.free_port()
    host = f"ks-conductor-{uuid.uuid4().hex[:8]}"
    db_url = processes.database_url("mysql")
    magnum = keystone.users["magnum"]
    trustee_admin = keystone.users["trustee-admin"]
    config = _base_config(state, port, host)
    config["DEFAULT"].update(
        auth_strategy="keystone",
        transport_url=processes.rabbit_url(),
        # The libraries that see tokens and passwords, at their most talkative,
        # for the secrets scan (test_no_secrets_in_logs.py).
        default_log_levels=[
            "keystoneauth=DEBUG",
            "keystonemiddleware=DEBUG",
            "oslo_messaging=DEBUG",
            "oslo.messaging=DEBUG",
            "oslo_policy=DEBUG",
            "amqp=WARN",
            "sqlalchemy=WARN",
            "urllib3=WARN",
            "stevedore=WARN",
        ],
    )
    config["api"]["workers"] = 2
    config["database"] = {"connection": db_url}
    config["keystone_authtoken"] = {
        "www_authenticate_uri": keystone.url,
        "auth_url": keystone.url,
        "auth_type": "password",
        "username": "magnum",
        "password": magnum.password,
        "project_name": "service",
        "user_domain_id": "default",
        "project_domain_id": "default",
        "interface": "public",
    }
    config["trust"] = {
        "trustee_domain_id": keystone.trustee_domain_id,
        "trustee_domain_admin_name": trustee_admin.name,
        "trustee_domain_admin_password": trustee_admin.password,
    }
    conf = processes.write_config(state / "magnum.conf", **config)
    policy_file = state / "policy.yaml"
    policy_file.write_text("{}\n")
    processes.db_manage(conf, "upgrade")
    api = processes.MagnumProcess("magnum-api", conf, name=f"ks-api-{port}", port=port)
    conductor = processes.MagnumProcess("magnum-conductor", conf, name=f"ks-{host}", host=host)
    with processes.running(api, conductor):
        keystone.register_service("container-infra", "magnum", api.url + "/v1")
        yield AuthDeployment(api.url, conf, policy_file, db_url, api, conductor)


@pytest.fixture(scope="module")
def noauth_deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AuthDeployment]:
    state = tmp_path_factory.mktemp("noauth-deployment")
    port = processes.free_port()
    config = _base_config(state, port, f"noauth-{uuid.uuid4().hex[:8]}")
    config["DEFAULT"]["auth_strategy"] = "noauth"
    conf = processes.write_config(state / "magnum.conf", **config)
    policy_file = state / "policy.yaml"
    policy_file.write_text("{}\n")
    api = processes.MagnumProcess("magnum-all", conf, name=f"noauth-all-{port}", port=port)
    with processes.running(api):
        yield AuthDeployment(api.url, conf, policy_file, processes.sqlite_url(state), api)
