"""Row factories for tests that need data in the database."""

from __future__ import annotations

from typing import Any

from oslo_utils import uuidutils

from magnum.common import states
from magnum.db import api as db_api

PROJECT = "project-a"
USER = "user-a"


def cluster_template_values(**overrides: Any) -> dict[str, Any]:
    values = {
        "uuid": uuidutils.generate_uuid(),
        "project_id": PROJECT,
        "user_id": USER,
        "name": "template",
        "coe": "swarm",
        "image_id": "fedora-atomic",
        "keypair_id": "default",
        "server_type": "vm",
        "labels": {"flannel_backend": "vxlan"},
    }
    values.update(overrides)
    return values


def cluster_values(**overrides: Any) -> dict[str, Any]:
    values = {
        "uuid": uuidutils.generate_uuid(),
        "project_id": PROJECT,
        "user_id": USER,
        "name": "bay",
        "cluster_template_id": uuidutils.generate_uuid(),
        "node_count": 1,
        "master_count": 1,
        "status": states.CREATE_COMPLETE,
        "create_timeout": 60,
    }
    values.update(overrides)
    return values


def nodegroup_values(cluster_id: str, **overrides: Any) -> dict[str, Any]:
    values = {
        "uuid": uuidutils.generate_uuid(),
        "name": "default-worker",
        "cluster_id": cluster_id,
        "project_id": PROJECT,
        "node_count": 1,
        "role": "worker",
        "is_default": True,
    }
    values.update(overrides)
    return values


def create_cluster_template(**overrides: Any) -> Any:
    return db_api.get_instance().create_cluster_template(cluster_template_values(**overrides))


def create_cluster(**overrides: Any) -> Any:
    return db_api.get_instance().create_cluster(cluster_values(**overrides))


def create_nodegroup(cluster_id: str, **overrides: Any) -> Any:
    return db_api.get_instance().create_nodegroup(nodegroup_values(cluster_id, **overrides))
