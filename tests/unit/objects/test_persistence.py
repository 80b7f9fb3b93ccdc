"""Objects read and write through magnum.db.api (on a migrated SQLite database)."""

from __future__ import annotations

from unittest import mock

import pytest
from oslo_utils import uuidutils

from magnum import objects
from magnum.common import context, exception, states
from magnum.db import api as db_api

PROJECT = "project-a"


def _cluster(ctx, **kw):
    values = {"project_id": PROJECT, "name": "bay", "status": states.CREATE_COMPLETE}
    values.update(kw)
    cluster = objects.Cluster(ctx, **values)
    cluster.create()
    return cluster


@pytest.mark.parametrize(
    ("cls", "values"),
    [
        ("Cluster", {"labels": {"n": 1}, "node_addresses": ["10.0.0.4"]}),
        ("ClusterTemplate", {"coe": "swarm", "hidden": True, "server_type": "vm"}),
        ("NodeGroup", {"cluster_id": "c", "role": "worker", "node_taints": [{"key": "k"}]}),
        ("Node", {"type": "virt", "ironic_node_id": "ironic-1"}),
        ("Container", {"image": "nginx", "status": "Stopped", "environment": {"A": "1"}}),
        ("KubeObject", {"kind": "service", "ports": [{"port": 80, "protocol": "TCP"}]}),
        ("X509KeyPair", {"certificate": "C", "private_key": "K"}),
        ("Federation", {"member_ids": ["m"], "properties": {"dns-zone": "z.", "ttl": 5}}),
    ],
)
def test_create_get_save_destroy(ctx, cls, values):
    object_class = getattr(objects, cls)
    values = {"project_id": PROJECT, **values}
    if "name" in object_class.fields:
        values["name"] = f"my-{cls.lower()}"
    obj = object_class(ctx, **values)
    obj.create()
    assert uuidutils.is_uuid_like(obj.uuid) and obj.id and obj.created_at
    assert obj.obj_what_changed() == set()

    loaded = object_class.get(ctx, obj.uuid)
    assert {k: getattr(loaded, k) for k in values} == values
    assert object_class.get_by_id(ctx, obj.id).uuid == obj.uuid
    if "name" in object_class.fields:
        assert object_class.get(ctx, values["name"]).uuid == obj.uuid
    assert [o.uuid for o in object_class.list(ctx)] == [obj.uuid]

    loaded.project_id = "project-b"
    loaded.save()
    assert loaded.updated_at is not None
    assert object_class.list(ctx) == []
    loaded.destroy()
    with pytest.raises(exception.ResourceNotFound):
        object_class.get_by_uuid(None, obj.uuid)


def test_get_accepts_any_uuid_form(ctx):
    cluster = _cluster(ctx)
    assert objects.Cluster.get(ctx, cluster.uuid.upper()).id == cluster.id
    assert objects.Cluster.get(ctx, cluster.uuid.replace("-", "")).id == cluster.id


def test_get_by_name_ambiguous_and_missing(ctx):
    _cluster(ctx, name="twin")
    _cluster(ctx, name="twin")
    with pytest.raises(exception.AmbiguousName):
        objects.Cluster.get(ctx, "twin")
    with pytest.raises(exception.ResourceNotFound):
        objects.Cluster.get(ctx, "nobody")


def test_node_is_found_by_uuid_only(ctx):
    with pytest.raises(exception.InvalidUUID):
        objects.Node.get(ctx, "not-a-uuid")


def test_nodegroup_lookup_within_a_cluster(ctx):
    for cluster_id in ("c-1", "c-2"):
        objects.NodeGroup(
            ctx, name="default-worker", cluster_id=cluster_id, project_id=PROJECT
        ).create()
    ng = objects.NodeGroup.get(ctx, "default-worker", filters={"cluster_id": "c-2"})
    assert ng.cluster_id == "c-2"
    found = objects.NodeGroup.list(None, filters={"cluster_id": "c-1"})
    assert [n.cluster_id for n in found] == ["c-1"]


def test_save_writes_only_changed_fields(ctx):
    cluster = _cluster(ctx)
    dbapi = db_api.get_instance()
    with mock.patch.object(dbapi, "update_cluster", wraps=dbapi.update_cluster) as update:
        cluster.save()
        update.assert_not_called()
        cluster.node_count = 4
        cluster.save()
    update.assert_called_once_with(cluster.uuid, {"node_count": 4})
    assert cluster.obj_what_changed() == set()


def test_refresh_reloads_changes_made_elsewhere(ctx):
    cluster = _cluster(ctx)
    other = objects.Cluster.get_by_uuid(ctx, cluster.uuid)
    other.status_reason = "changed elsewhere"
    other.save()
    cluster.refresh()
    assert cluster.status_reason == "changed elsewhere"
    assert cluster.obj_what_changed() == set()


def test_cluster_specials(ctx):
    cluster = objects.Cluster(ctx, project_id=PROJECT, name="a", status=states.CREATE_COMPLETE)
    cluster.create_within_quota(default_limit=1)
    with pytest.raises(exception.ResourceLimitExceeded):
        objects.Cluster(ctx, project_id=PROJECT, name="b").create_within_quota(default_limit=1)

    moved = objects.Cluster.set_status_if(
        ctx, cluster.uuid, states.DELETE_IN_PROGRESS, states.DELETE.allowed_from
    )
    assert moved.status == states.DELETE_IN_PROGRESS and moved.status_updated_at
    in_progress = objects.Cluster.list_in_states(None, states.IN_PROGRESS)
    assert [c.uuid for c in in_progress] == [cluster.uuid]
    assert objects.Cluster.count(ctx, PROJECT) == 1
    objects.NodeGroup(ctx, name="w", cluster_id=cluster.uuid, node_count=3).create()
    assert objects.Cluster.get_stats(ctx) == (1, 3)


def test_template_visibility_through_objects(ctx):
    objects.ClusterTemplate(None, project_id="ops", name="shared", public=True).create()
    objects.ClusterTemplate(None, project_id="ops", name="secret").create()
    assert [t.name for t in objects.ClusterTemplate.list(ctx)] == ["shared"]


def test_quota_object(ctx):
    quota = objects.Quota(ctx, project_id=PROJECT, resource="Cluster", hard_limit=3)
    quota.create()
    loaded = objects.Quota.get_by_project_id_resource(ctx, PROJECT, "Cluster")
    assert (loaded.id, loaded.hard_limit) == (quota.id, 3)
    loaded.hard_limit = 10
    loaded.save()
    admin = context.RequestContext(project_id="x", is_admin=True, all_projects=True)
    assert [q.hard_limit for q in objects.Quota.list(admin)] == [10]
    loaded.destroy()
    with pytest.raises(exception.ResourceNotFound):
        objects.Quota.get_by_project_id_resource(ctx, PROJECT, "Cluster")
    with pytest.raises(ValueError):
        objects.Quota(ctx, resource="Volume")


def test_magnum_service_object(ctx):
    assert objects.MagnumService.get_by_host_and_binary(None, "h", "magnum-conductor") is None
    beat = objects.MagnumService.heartbeat(None, "h", "magnum-conductor")
    assert beat.report_count == 1 and beat.last_seen_up.tzinfo is not None
    service = objects.MagnumService.get_by_host_and_binary(None, "h", "magnum-conductor")
    service.disabled = True
    service.save()
    assert [s.disabled for s in objects.MagnumService.list(None)] == [True]
    service.destroy()
    assert objects.MagnumService.list(None) == []
    created = objects.MagnumService(None, host="h2", binary="magnum-api", report_count=0)
    created.create()
    assert created.id


SWARM_LOCAL = {
    "driver": "local",
    "server_type": "local",
    "os": "*",
    "coe": "swarm",
    "network_drivers": ["docker"],
    "volume_drivers": [],
    "upgrade": False,
}


def test_declared_cluster_types_come_from_the_conductors_beats(ctx):
    with pytest.raises(exception.ClusterTypeNotSupported):  # no conductor ever reported
        objects.MagnumService.declared_cluster_type(ctx, "local", None, "swarm")
    objects.MagnumService.heartbeat(ctx, "c1", "magnum-conductor", [SWARM_LOCAL])
    objects.MagnumService.heartbeat(ctx, "c1", "magnum-conductor")  # a plain beat keeps them
    assert objects.MagnumService.declared_cluster_type(ctx, "local", "Fedora", "swarm") == (
        SWARM_LOCAL
    )
    with pytest.raises(exception.ClusterTypeNotSupported):
        objects.MagnumService.declared_cluster_type(ctx, "vm", "fedora-coreos", "kubernetes")
    # An API row declares nothing; a restart with other drivers replaces the list.
    objects.MagnumService.heartbeat(ctx, "a1", "magnum-api")
    objects.MagnumService.heartbeat(ctx, "c1", "magnum-conductor", [])
    with pytest.raises(exception.ClusterTypeNotSupported):
        objects.MagnumService.declared_cluster_type(ctx, "local", None, "swarm")


def test_live_conductors_declarations_win_over_dead_ones(ctx):
    objects.MagnumService.heartbeat(ctx, "old", "magnum-conductor", [SWARM_LOCAL])
    old = objects.MagnumService.get_by_host_and_binary(ctx, "old", "magnum-conductor")
    old.forced_down = True  # stopped cleanly: down at once
    old.save()
    # With no live conductor the last known declarations still answer.
    assert objects.MagnumService.declared_cluster_type(ctx, "local", None, "swarm")["driver"] == (
        "local"
    )
    objects.MagnumService.heartbeat(ctx, "new", "magnum-conductor", [])
    with pytest.raises(exception.ClusterTypeNotSupported):
        objects.MagnumService.declared_cluster_type(ctx, "local", None, "swarm")
