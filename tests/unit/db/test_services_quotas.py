"""magnum_service heartbeats and quotas."""

from __future__ import annotations

import pytest
from oslo_utils import timeutils

from magnum.common import context, exception
from tests.unit.db import utils

BINARY = "magnum-conductor"


def test_heartbeat_creates_then_bumps(dbapi):
    assert dbapi.get_magnum_service_by_host_and_binary("h1", BINARY) is None
    before = timeutils.utcnow()
    first = dbapi.heartbeat_magnum_service("h1", BINARY)
    assert first.report_count == 1
    assert first.last_seen_up >= before
    assert not first.disabled and not first.forced_down
    second = dbapi.heartbeat_magnum_service("h1", BINARY)
    assert second.id == first.id
    assert second.report_count == 2
    assert second.last_seen_up >= first.last_seen_up
    assert dbapi.get_magnum_service_by_host_and_binary("h1", BINARY).report_count == 2
    assert dbapi.heartbeat_magnum_service("h1", "magnum-api").report_count == 1


def test_mark_down_until_next_heartbeat(dbapi):
    dbapi.heartbeat_magnum_service("h1", BINARY)
    dbapi.mark_magnum_service_down("h1", BINARY)
    assert dbapi.get_magnum_service_by_host_and_binary("h1", BINARY).forced_down
    assert not dbapi.heartbeat_magnum_service("h1", BINARY).forced_down
    dbapi.mark_magnum_service_down("unknown", BINARY)


def test_service_crud(dbapi):
    row = dbapi.create_magnum_service({"host": "h1", "binary": BINARY, "report_count": 0})
    with pytest.raises(exception.AlreadyExists):
        dbapi.create_magnum_service({"host": "h1", "binary": BINARY})
    other = dbapi.create_magnum_service({"host": "h2", "binary": BINARY})
    assert [s.id for s in dbapi.get_magnum_service_list()] == [row.id, other.id]
    updated = dbapi.update_magnum_service(row.id, {"disabled": True, "disabled_reason": "m"})
    assert updated.disabled and updated.disabled_reason == "m"
    dbapi.destroy_magnum_service(row.id)
    assert [s.id for s in dbapi.get_magnum_service_list()] == [other.id]
    with pytest.raises(exception.ResourceNotFound):
        dbapi.destroy_magnum_service(row.id)
    with pytest.raises(exception.ResourceNotFound):
        dbapi.update_magnum_service(row.id, {"disabled": False})


def _quota(project_id=utils.PROJECT, hard_limit=5):
    return {"project_id": project_id, "resource": "Cluster", "hard_limit": hard_limit}


def test_quota_crud(dbapi):
    row = dbapi.create_quota(_quota())
    with pytest.raises(exception.AlreadyExists) as caught:
        dbapi.create_quota(_quota(hard_limit=9))
    assert caught.value.kwargs["field"] in ("project_id", "resource")
    found = dbapi.get_quota_by_project_id_resource(utils.PROJECT, "Cluster")
    assert (found.id, found.hard_limit) == (row.id, 5)
    assert dbapi.update_quota(utils.PROJECT, "Cluster", {"hard_limit": 7}).hard_limit == 7
    dbapi.delete_quota(utils.PROJECT, "Cluster")
    with pytest.raises(exception.ResourceNotFound):
        dbapi.get_quota_by_project_id_resource(utils.PROJECT, "Cluster")
    with pytest.raises(exception.ResourceNotFound):
        dbapi.update_quota(utils.PROJECT, "Cluster", {"hard_limit": 1})
    with pytest.raises(exception.ResourceNotFound):
        dbapi.delete_quota(utils.PROJECT, "Cluster")


def test_quota_list_scoping_and_pagination(dbapi, ctx):
    rows = [dbapi.create_quota(_quota(project_id=f"p{i}")) for i in range(4)]
    mine = dbapi.create_quota(_quota())
    assert [q.id for q in dbapi.get_quota_list(ctx)] == [mine.id]
    everything = context.RequestContext(project_id="admin", is_admin=True, all_projects=True)
    page = dbapi.get_quota_list(everything, limit=2)
    assert [q.id for q in page] == [rows[0].id, rows[1].id]
    page = dbapi.get_quota_list(everything, limit=2, marker=page[-1].id)
    assert [q.id for q in page] == [rows[2].id, rows[3].id]
    page = dbapi.get_quota_list(everything, sort_key="project_id", sort_dir="desc", limit=1)
    assert [q.project_id for q in page] == ["project-a"]
    filtered = dbapi.get_quota_list(everything, filters={"project_id": "p2"})
    assert [q.id for q in filtered] == [rows[2].id]
    with pytest.raises(exception.ResourceNotFound):
        dbapi.get_quota_list(everything, marker=9999)
