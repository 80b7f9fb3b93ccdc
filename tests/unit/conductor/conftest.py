"""Conductor unit tests: a migrated SQLite database, the fake driver, no broker.

``make_cluster`` writes a bay (and its template, ``server_type = fake``) the
way the API leaves it: a row in an ``*_IN_PROGRESS`` state, not locked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import futurist
import pytest
from oslo_config import fixture as config_fixture

from magnum import conf, objects
from magnum.common import context, states
from magnum.conductor import hash_ring
from magnum.drivers import registry
from tests.fixtures.database import database  # noqa: F401  (pytest fixture)

HOST = "conductor-a"
OTHER_HOST = "conductor-b"
PROJECT = "project-a"


@pytest.fixture
def config(tmp_path: Path) -> Iterator[config_fixture.Config]:
    fixture = config_fixture.Config(conf.CONF)
    fixture.setUp()
    fixture.config(host=HOST, state_path=str(tmp_path))
    fixture.config(group="drivers", enabled_drivers=["local", "fake"])  # tests only
    yield fixture
    fixture.cleanUp()


@pytest.fixture
def ctx(database, config) -> context.RequestContext:  # noqa: F811
    objects.register_all()
    return context.RequestContext(project_id=PROJECT, user_id="user-a")


@pytest.fixture
def driver(config) -> Any:
    """The fake driver instance the registry hands out (shared, keyed by bay uuid)."""
    return registry.drivers()["fake"]


@pytest.fixture
def inline_pool() -> Iterator[futurist.SynchronousExecutor]:
    """Runs submitted work at once, so a test sees its effect on return."""
    pool = futurist.SynchronousExecutor()
    yield pool
    pool.shutdown()


@pytest.fixture
def make_template(ctx) -> Callable[..., Any]:
    def make(**values: Any) -> Any:
        fields = {
            "name": "fake-swarm",
            "coe": "swarm",
            "image_id": "fedora",
            "server_type": "fake",
            "project_id": PROJECT,
            "user_id": "user-a",
            "labels": {},
        }
        fields.update(values)
        template = objects.ClusterTemplate(ctx, **fields)
        template.create()
        return template

    return make


@pytest.fixture
def make_cluster(ctx, make_template) -> Callable[..., Any]:
    def make(template: Any = None, **values: Any) -> Any:
        template = template or make_template()
        fields = {
            "name": "bay",
            "cluster_template_id": template.uuid,
            "project_id": PROJECT,
            "user_id": "user-a",
            "node_count": 1,
            "master_count": 1,
            "status": states.CREATE_IN_PROGRESS,
            "create_timeout": 60,
            "labels": {},
        }
        fields.update(values)
        cluster = objects.Cluster(ctx, **fields)
        cluster.create()
        return cluster

    return make


@pytest.fixture
def heartbeat(ctx) -> Callable[[str], None]:
    """Record a live conductor in magnum_service (what the ring is built from)."""

    def beat(host: str = HOST) -> None:
        objects.MagnumService.dbapi().heartbeat_magnum_service(host, hash_ring.CONDUCTOR_BINARY)

    return beat


def stored(cluster: Any) -> Any:
    """The bay as the database has it now (None: the conductor's all-seeing access)."""
    return objects.Cluster.get_by_uuid(None, cluster.uuid)


def nodegroups(cluster: Any) -> dict[str, Any]:
    return {
        ng.name: ng for ng in objects.NodeGroup.list(None, filters={"cluster_id": cluster.uuid})
    }
