"""Deployments of real magnum processes for the RPC tier.

* ``split_deployment``: magnum-api (2 pre-forked workers) and magnum-conductor
  as separate processes, RPC over this session's RabbitMQ vhost, state in a
  throwaway MariaDB database migrated with magnum-db-manage.
* ``all_in_one_deployment``: magnum-all on SQLite under a temporary state_path.

Both use a 1 s heartbeat and a 5 s service_down_time, so a dead conductor
shows ``down`` quickly. Tearing a deployment down stops each process with
SIGTERM and fails if one does not exit 0 within 20 s.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures import processes

SERVICE_DOWN_TIME = 5
HEARTBEAT_INTERVAL = 1


@dataclasses.dataclass
class Deployment:
    name: str
    api: processes.MagnumProcess
    conductor_host: str
    config_file: Path
    conductor: processes.MagnumProcess | None = None

    @property
    def url(self) -> str:
        return self.api.url


def service_config(
    state_path: Path, host: str, api_port: int, **sections: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    """The sections every test deployment shares, updated by ``sections``."""
    config: dict[str, dict[str, Any]] = {
        "DEFAULT": {
            "host": host,
            "state_path": state_path,
            "auth_strategy": "noauth",
            "service_down_time": SERVICE_DOWN_TIME,
        },
        "api": {"host_ip": "127.0.0.1", "port": api_port},
        "conductor": {"heartbeat_interval": HEARTBEAT_INTERVAL, "sync_interval": 1},
    }
    for section, options in sections.items():
        config.setdefault(section, {}).update(options)
    return config


@pytest.fixture(scope="session")
def transport_url() -> Iterator[str]:
    yield processes.rabbit_url()
    processes.delete_rabbit_vhost()


@pytest.fixture(scope="module")
def mariadb_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A throwaway MariaDB database, migrated with magnum-db-manage."""
    url = processes.database_url("mysql")
    conf = processes.write_config(
        tmp_path_factory.mktemp("db-manage") / "magnum.conf", database={"connection": url}
    )
    processes.db_manage(conf, "upgrade")
    return url


@pytest.fixture(scope="module")
def split_deployment(
    tmp_path_factory: pytest.TempPathFactory, transport_url: str, mariadb_url: str
) -> Iterator[Deployment]:
    state = tmp_path_factory.mktemp("split")
    port = processes.free_port()
    host = f"conductor-{uuid.uuid4().hex[:8]}"
    conf = processes.write_config(
        state / "magnum.conf",
        **service_config(
            state,
            host,
            port,
            DEFAULT={"transport_url": transport_url},
            api={"workers": 2},
            database={"connection": mariadb_url},
        ),
    )
    api = processes.MagnumProcess("magnum-api", conf, name=f"split-api-{port}", port=port)
    conductor = processes.MagnumProcess(
        "magnum-conductor", conf, name=f"split-{host}", host=host, api_url=api.url
    )
    with processes.running(api, conductor):
        yield Deployment("split", api, host, conf, conductor)


@pytest.fixture(scope="module")
def all_in_one_deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    state = tmp_path_factory.mktemp("aio")
    port = processes.free_port()
    host = f"aio-{uuid.uuid4().hex[:8]}"
    conf = processes.write_config(state / "magnum.conf", **service_config(state, host, port))
    api = processes.MagnumProcess("magnum-all", conf, name=f"magnum-all-{port}", port=port)
    with processes.running(api):
        yield Deployment("all-in-one", api, host, conf)


@pytest.fixture(scope="module", params=["split", "all-in-one"])
def deployment(request: pytest.FixtureRequest) -> Deployment:
    return request.getfixturevalue(f"{request.param.replace('-', '_')}_deployment")
