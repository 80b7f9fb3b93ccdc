"""Atomic status moves of containers (Connection.set_container_status_if)."""

from __future__ import annotations

import pytest

from magnum.common import exception
from tests.unit.db import utils


def _container(dbapi, status: str):
    return dbapi.create_container(
        {
            "project_id": utils.PROJECT,
            "user_id": utils.USER,
            "image": "busybox",
            "cluster_id": "5d12f6fd-a196-4bf0-ae4c-1f639a523a52",
            "status": status,
        }
    )


def test_moves_only_from_an_allowed_status(dbapi) -> None:
    row = _container(dbapi, "Running")
    moved = dbapi.set_container_status_if(
        row.uuid, "Deleting", {"Running", "Stopped"}, values={"status_reason": None}
    )
    assert moved.status == "Deleting"
    with pytest.raises(exception.InvalidState) as caught:
        dbapi.set_container_status_if(row.uuid, "Deleting", {"Running", "Stopped"})
    assert caught.value.kwargs["state"] == "Deleting"
    assert caught.value.code == 400


def test_sets_values_in_the_same_update(dbapi) -> None:
    row = _container(dbapi, "Creating")
    moved = dbapi.set_container_status_if(
        row.uuid, "Stopped", {"Creating"}, values={"container_id": "abc", "host": "node-0"}
    )
    assert (moved.status, moved.container_id, moved.host) == ("Stopped", "abc", "node-0")
    assert moved.updated_at is not None


def test_refuses_identity_columns_and_missing_rows(dbapi) -> None:
    row = _container(dbapi, "Creating")
    with pytest.raises(exception.InvalidParameterValue):
        dbapi.set_container_status_if(row.uuid, "Stopped", {"Creating"}, values={"uuid": "x"})
    with pytest.raises(exception.ResourceNotFound):
        dbapi.set_container_status_if(
            "00000000-0000-0000-0000-000000000000", "Stopped", {"Creating"}
        )
