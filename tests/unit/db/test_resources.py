"""The CRUD contract every resource table shares (magnum.db.api module docstring)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from oslo_db import exception as db_exc
from oslo_utils import uuidutils

from magnum.common import context, exception
from tests.unit.db import utils

CLUSTER_UUID = "5d12f6fd-a196-4bf0-ae4c-1f639a523a52"


def _node(**kw: Any) -> dict[str, Any]:
    return {
        "project_id": utils.PROJECT,
        "user_id": utils.USER,
        "type": "virt",
        "image_id": "fedora",
        "ironic_node_id": uuidutils.generate_uuid(),
        **kw,
    }


def _container(**kw: Any) -> dict[str, Any]:
    return {
        "project_id": utils.PROJECT,
        "user_id": utils.USER,
        "name": "web",
        "image": "nginx:latest",
        "command": "nginx -g 'daemon off;'",
        "cluster_id": CLUSTER_UUID,
        "status": "Stopped",
        "memory": "512m",
        "environment": {"MODE": "test"},
        **kw,
    }


def _kube_object(**kw: Any) -> dict[str, Any]:
    return {
        "project_id": utils.PROJECT,
        "user_id": utils.USER,
        "kind": "service",
        "name": "frontend",
        "cluster_id": CLUSTER_UUID,
        "labels": {"app": "web"},
        "selector": {"app": "web"},
        "ports": [{"port": 80, "targetPort": 8080, "protocol": "TCP"}],
        **kw,
    }


def _x509keypair(**kw: Any) -> dict[str, Any]:
    return {
        "project_id": utils.PROJECT,
        "user_id": utils.USER,
        "name": "kp",
        "cluster_id": CLUSTER_UUID,
        "certificate": "CERT",
        "private_key": "KEY",
        **kw,
    }


def _federation(**kw: Any) -> dict[str, Any]:
    return {
        "project_id": utils.PROJECT,
        "name": "fed",
        "hostcluster_id": CLUSTER_UUID,
        "member_ids": [uuidutils.generate_uuid()],
        "status": "CREATE_IN_PROGRESS",
        "properties": {"dns-zone": "example.com.", "ttl": 30},
        **kw,
    }


def _nodegroup(**kw: Any) -> dict[str, Any]:
    # Names are unique per cluster: give each nodegroup a cluster of its own
    # unless the test picks one.
    kw.setdefault("cluster_id", uuidutils.generate_uuid())
    return utils.nodegroup_values(**kw)


# resource name -> (values factory, has a name column)
RESOURCES: dict[str, tuple[Callable[..., dict[str, Any]], bool]] = {
    "cluster": (utils.cluster_values, True),
    "cluster_template": (utils.cluster_template_values, True),
    "nodegroup": (_nodegroup, True),
    "node": (_node, False),
    "container": (_container, True),
    "kube_object": (_kube_object, True),
    "x509keypair": (_x509keypair, True),
    "federation": (_federation, True),
}
NAMED = [name for name, (_, named) in RESOURCES.items() if named]


def call(dbapi: Any, template: str, resource: str, *args: Any, **kwargs: Any) -> Any:
    return getattr(dbapi, template.format(resource))(*args, **kwargs)


def values_for(resource: str, **kw: Any) -> dict[str, Any]:
    values = RESOURCES[resource][0](**kw)
    values.pop("uuid", None)
    return values


@pytest.fixture(params=sorted(RESOURCES))
def resource(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(params=sorted(NAMED))
def named_resource(request: pytest.FixtureRequest) -> str:
    return request.param


def test_create_generates_uuid_and_timestamps(dbapi, ctx, resource):
    values = values_for(resource)
    row = call(dbapi, "create_{}", resource, values)
    assert uuidutils.is_uuid_like(row.uuid)
    assert row.id is not None
    assert row.created_at is not None and row.created_at.tzinfo is None
    assert row.updated_at is None
    stored = call(dbapi, "get_{}_by_uuid", resource, ctx, row.uuid)
    for key, value in values.items():
        assert getattr(stored, key) == value, key


def test_get_by_id_and_uuid(dbapi, ctx, resource):
    row = call(dbapi, "create_{}", resource, values_for(resource))
    assert call(dbapi, "get_{}_by_id", resource, ctx, row.id).uuid == row.uuid
    assert call(dbapi, "get_{}_by_uuid", resource, ctx, row.uuid).id == row.id


def test_get_missing_raises_not_found(dbapi, ctx, resource):
    with pytest.raises(exception.ResourceNotFound):
        call(dbapi, "get_{}_by_uuid", resource, ctx, uuidutils.generate_uuid())
    with pytest.raises(exception.ResourceNotFound):
        call(dbapi, "get_{}_by_id", resource, ctx, 4242)


def test_create_duplicate_uuid_raises_already_exists(dbapi, resource):
    row = call(dbapi, "create_{}", resource, values_for(resource))
    with pytest.raises(exception.AlreadyExists) as caught:
        call(dbapi, "create_{}", resource, {**values_for(resource), "uuid": row.uuid})
    assert caught.value.kwargs["field"] == "uuid"


def test_get_by_name(dbapi, ctx, named_resource):
    row = call(dbapi, "create_{}", named_resource, values_for(named_resource, name="alpha"))
    call(dbapi, "create_{}", named_resource, values_for(named_resource, name="beta"))
    assert call(dbapi, "get_{}_by_name", named_resource, ctx, "alpha").uuid == row.uuid
    with pytest.raises(exception.ResourceNotFound):
        call(dbapi, "get_{}_by_name", named_resource, ctx, "gamma")


def test_get_by_ambiguous_name(dbapi, ctx, named_resource):
    call(dbapi, "create_{}", named_resource, values_for(named_resource, name="twin"))
    call(dbapi, "create_{}", named_resource, values_for(named_resource, name="twin"))
    with pytest.raises(exception.AmbiguousName):
        call(dbapi, "get_{}_by_name", named_resource, ctx, "twin")


def test_get_by_name_with_filters(dbapi, ctx):
    first = utils.create_nodegroup("c-1", name="default-worker")
    utils.create_nodegroup("c-2", name="default-worker")
    found = dbapi.get_nodegroup_by_name(ctx, "default-worker", filters={"cluster_id": "c-1"})
    assert found.uuid == first.uuid
    with pytest.raises(exception.ResourceNotFound):
        dbapi.get_nodegroup_by_uuid(ctx, first.uuid, filters={"cluster_id": "c-2"})


def test_update_by_uuid_and_id(dbapi, ctx, resource):
    row = call(dbapi, "create_{}", resource, values_for(resource))
    updated = call(dbapi, "update_{}", resource, row.uuid, {"project_id": "moved"})
    assert updated.project_id == "moved"
    assert updated.updated_at is not None
    updated = call(dbapi, "update_{}", resource, row.id, {"project_id": utils.PROJECT})
    assert call(dbapi, "get_{}_by_id", resource, ctx, row.id).project_id == utils.PROJECT


def test_update_refuses_id_uuid_and_unknown_fields(dbapi, resource):
    row = call(dbapi, "create_{}", resource, values_for(resource))
    for values in ({"id": 99}, {"uuid": uuidutils.generate_uuid()}, {"no_such": 1}):
        with pytest.raises(exception.InvalidParameterValue):
            call(dbapi, "update_{}", resource, row.uuid, values)
    # Restating the same uuid is harmless.
    call(dbapi, "update_{}", resource, row.uuid, {"uuid": row.uuid})


def test_update_missing_raises_not_found(dbapi, resource):
    with pytest.raises(exception.ResourceNotFound):
        call(dbapi, "update_{}", resource, uuidutils.generate_uuid(), {"project_id": "x"})


def test_destroy(dbapi, ctx, resource):
    row = call(dbapi, "create_{}", resource, values_for(resource))
    call(dbapi, "destroy_{}", resource, row.uuid)
    with pytest.raises(exception.ResourceNotFound):
        call(dbapi, "get_{}_by_uuid", resource, ctx, row.uuid)
    with pytest.raises(exception.ResourceNotFound):
        call(dbapi, "destroy_{}", resource, row.uuid)


def test_destroy_by_id(dbapi, ctx, resource):
    row = call(dbapi, "create_{}", resource, values_for(resource))
    call(dbapi, "destroy_{}", resource, row.id)
    assert call(dbapi, "get_{}_list", resource, ctx) == []


def test_scoping_by_project(dbapi, ctx, other_ctx, resource):
    mine = call(dbapi, "create_{}", resource, values_for(resource))
    theirs = call(dbapi, "create_{}", resource, values_for(resource, project_id="project-b"))

    assert [r.uuid for r in call(dbapi, "get_{}_list", resource, ctx)] == [mine.uuid]
    assert [r.uuid for r in call(dbapi, "get_{}_list", resource, other_ctx)] == [theirs.uuid]
    with pytest.raises(exception.ResourceNotFound):
        call(dbapi, "get_{}_by_uuid", resource, ctx, theirs.uuid)
    with pytest.raises(exception.ResourceNotFound):
        call(dbapi, "get_{}_by_id", resource, other_ctx, mine.id)

    everything = context.RequestContext(project_id="admin", is_admin=True, all_projects=True)
    assert len(call(dbapi, "get_{}_list", resource, everything)) == 2
    assert len(call(dbapi, "get_{}_list", resource, None)) == 2


def test_scoping_without_project_uses_user(dbapi):
    mine = utils.create_cluster(user_id="solo", project_id=None)
    utils.create_cluster(user_id="someone-else", project_id=None)
    solo = context.RequestContext(user_id="solo")
    assert [r.uuid for r in dbapi.get_cluster_list(solo)] == [mine.uuid]


def test_list_pagination_with_marker(dbapi, ctx, resource):
    rows = [call(dbapi, "create_{}", resource, values_for(resource)) for _ in range(5)]
    first = call(dbapi, "get_{}_list", resource, ctx, limit=2)
    second = call(dbapi, "get_{}_list", resource, ctx, limit=2, marker=first[-1].uuid)
    third = call(dbapi, "get_{}_list", resource, ctx, limit=2, marker=second[-1].uuid)
    assert [r.uuid for r in first + second + third] == [r.uuid for r in rows]
    assert len(third) == 1


def test_list_unknown_marker(dbapi, ctx, resource):
    with pytest.raises(exception.ResourceNotFound):
        call(dbapi, "get_{}_list", resource, ctx, marker=uuidutils.generate_uuid())


def test_list_marker_of_another_project_is_not_found(dbapi, ctx, other_ctx):
    theirs = utils.create_cluster(project_id="project-b")
    with pytest.raises(exception.ResourceNotFound):
        dbapi.get_cluster_list(ctx, marker=theirs.uuid)


def test_list_invalid_sort_key(dbapi, ctx, resource):
    with pytest.raises(exception.InvalidParameterValue) as caught:
        call(dbapi, "get_{}_list", resource, ctx, sort_key="nope")
    assert str(caught.value) == 'The sort_key value "nope" is an invalid field for sorting'


def test_list_invalid_sort_dir(dbapi, ctx):
    with pytest.raises(exception.InvalidParameterValue):
        dbapi.get_cluster_list(ctx, sort_dir="sideways")


def test_list_invalid_filter(dbapi, ctx):
    with pytest.raises(exception.InvalidParameterValue):
        dbapi.get_cluster_list(ctx, filters={"nope": 1})


def test_list_sorted_by_name_desc_with_id_tiebreaker(dbapi, ctx):
    b1 = utils.create_cluster(name="b")
    a = utils.create_cluster(name="a")
    b2 = utils.create_cluster(name="b")
    c = utils.create_cluster(name="c")
    rows = dbapi.get_cluster_list(ctx, sort_key="name", sort_dir="desc")
    assert [r.uuid for r in rows] == [c.uuid, b2.uuid, b1.uuid, a.uuid]
    page = dbapi.get_cluster_list(ctx, sort_key="name", sort_dir="desc", marker=b2.uuid)
    assert [r.uuid for r in page] == [b1.uuid, a.uuid]
    page = dbapi.get_cluster_list(ctx, sort_key="name", sort_dir="asc", marker=b1.uuid)
    assert [r.uuid for r in page] == [b2.uuid, c.uuid]


@pytest.mark.parametrize("sort_dir", ["asc", "desc"])
def test_list_pages_through_nulls(dbapi, ctx, sort_dir):
    rows = [utils.create_cluster(name=name) for name in ("m", None, "a", None, "z", "m")]
    expected = dbapi.get_cluster_list(ctx, sort_key="name", sort_dir=sort_dir)
    assert len(expected) == len(rows)
    names = [r.name for r in expected]
    # NULL sorts as the smallest value on every backend.
    assert names == (
        [None, None, "a", "m", "m", "z"] if sort_dir == "asc" else ["z", "m", "m", "a", None, None]
    )
    seen, marker = [], None
    while True:
        page = dbapi.get_cluster_list(
            ctx, sort_key="name", sort_dir=sort_dir, limit=1, marker=marker
        )
        if not page:
            break
        seen.extend(page)
        marker = page[-1].uuid
    assert [r.uuid for r in seen] == [r.uuid for r in expected]


def test_list_filters(dbapi, ctx):
    pod = dbapi.create_kube_object(_kube_object(kind="pod", name="p"))
    dbapi.create_kube_object(_kube_object(kind="service", name="s"))
    dbapi.create_kube_object(_kube_object(kind="pod", cluster_id="other", name="q"))
    found = dbapi.get_kube_object_list(ctx, filters={"kind": "pod", "cluster_id": CLUSTER_UUID})
    assert [r.uuid for r in found] == [pod.uuid]
    both = dbapi.get_kube_object_list(ctx, filters={"name": ["p", "q"]})
    assert len(both) == 2
    unnamed = dbapi.create_kube_object(_kube_object(kind="pod", name=None))
    assert [r.uuid for r in dbapi.get_kube_object_list(ctx, filters={"name": None})] == [
        unnamed.uuid
    ]


def test_json_columns_round_trip_and_default_empty(dbapi, ctx):
    bare = dbapi.create_cluster({"project_id": utils.PROJECT})
    assert bare.labels == {} and bare.node_addresses == []
    stored = dbapi.get_cluster_by_uuid(ctx, bare.uuid)
    assert stored.labels == {} and stored.health_status_reason == {}
    row = dbapi.update_cluster(bare.uuid, {"labels": {"n": 1, "b": True}})
    assert dbapi.get_cluster_by_uuid(ctx, row.uuid).labels == {"n": 1, "b": True}
    row = dbapi.update_cluster(bare.uuid, {"labels": None})
    assert dbapi.get_cluster_by_uuid(ctx, row.uuid).labels == {}
    # Objects and the API check types first; reaching the column is a bug.
    with pytest.raises(db_exc.DBError):
        dbapi.update_cluster(bare.uuid, {"labels": ["not", "a", "dict"]})


def test_aware_datetimes_are_stored_as_naive_utc(dbapi, ctx):
    plus_two = datetime.timezone(datetime.timedelta(hours=2))
    aware = datetime.datetime(2024, 5, 1, 14, 0, tzinfo=plus_two)
    row = utils.create_cluster(status_updated_at=aware)
    stored = dbapi.get_cluster_by_uuid(ctx, row.uuid).status_updated_at
    assert stored == datetime.datetime(2024, 5, 1, 12, 0)
