"""Cluster specifics: cascade, locks, atomic status moves, stats, quota-checked create."""

from __future__ import annotations

import pytest
from oslo_utils import timeutils, uuidutils

from magnum.common import context, exception, states
from tests.unit.db import utils


def test_destroy_cluster_cascades_to_its_children_only(dbapi):
    cluster = utils.create_cluster()
    other = utils.create_cluster()
    utils.create_nodegroup(cluster.uuid, name="default-master", role="master")
    utils.create_nodegroup(cluster.uuid, name="default-worker")
    kept_ng = utils.create_nodegroup(other.uuid)
    dbapi.create_container({"cluster_id": cluster.uuid, "name": "web"})
    dbapi.create_kube_object({"cluster_id": cluster.uuid, "kind": "pod", "name": "p"})
    kept_pod = dbapi.create_kube_object({"cluster_id": other.uuid, "kind": "pod", "name": "p"})

    dbapi.destroy_cluster(cluster.uuid)

    with pytest.raises(exception.ResourceNotFound):
        dbapi.get_cluster_by_uuid(None, cluster.uuid)
    assert [ng.uuid for ng in dbapi.get_nodegroup_list(None)] == [kept_ng.uuid]
    assert dbapi.get_container_list(None) == []
    assert [k.uuid for k in dbapi.get_kube_object_list(None)] == [kept_pod.uuid]
    with pytest.raises(exception.ResourceNotFound):
        dbapi.destroy_cluster(cluster.uuid)


def test_reserve_and_release(dbapi):
    cluster = utils.create_cluster()
    locked = dbapi.reserve_cluster(cluster.uuid, "conductor-1")
    assert locked.reservation == "conductor-1"
    # A lock is not a change of the bay.
    assert locked.updated_at is None

    with pytest.raises(exception.ClusterLocked) as caught:
        dbapi.reserve_cluster(cluster.uuid, "conductor-2")
    assert caught.value.kwargs == {"cluster": cluster.uuid, "host": "conductor-1"}
    with pytest.raises(exception.ClusterLocked):
        dbapi.reserve_cluster(cluster.uuid, "conductor-1")

    dbapi.release_cluster(cluster.uuid, "conductor-2")  # not the holder: no-op
    assert dbapi.get_cluster_by_uuid(None, cluster.uuid).reservation == "conductor-1"
    dbapi.release_cluster(cluster.uuid, "conductor-1")
    assert dbapi.get_cluster_by_uuid(None, cluster.uuid).reservation is None
    dbapi.release_cluster(cluster.uuid, "conductor-1")  # already free: no-op
    assert dbapi.reserve_cluster(cluster.uuid, "conductor-2").reservation == "conductor-2"


def test_reserve_missing_cluster(dbapi):
    with pytest.raises(exception.ResourceNotFound):
        dbapi.reserve_cluster(uuidutils.generate_uuid(), "conductor-1")
    dbapi.release_cluster(uuidutils.generate_uuid(), "conductor-1")


def test_clear_reservations_of_dead_conductors(dbapi):
    alive = utils.create_cluster(reservation="alive")
    dead1 = utils.create_cluster(reservation="dead")
    dead2 = utils.create_cluster(reservation="gone")
    free = utils.create_cluster()

    cleared = dbapi.clear_cluster_reservations(["alive", "other"])

    assert sorted(cleared) == sorted([dead1.uuid, dead2.uuid])
    assert dbapi.get_cluster_by_uuid(None, alive.uuid).reservation == "alive"
    for row in (dead1, dead2, free):
        assert dbapi.get_cluster_by_uuid(None, row.uuid).reservation is None
    assert dbapi.clear_cluster_reservations([]) == [alive.uuid]


def test_clear_reservations_for_host(dbapi):
    mine = utils.create_cluster(reservation="me")
    theirs = utils.create_cluster(reservation="them")
    assert dbapi.clear_cluster_reservations_for_host("me") == [mine.uuid]
    assert dbapi.get_cluster_by_uuid(None, theirs.uuid).reservation == "them"
    assert dbapi.clear_cluster_reservations_for_host("me") == []


def test_set_status_if_moves_and_stamps(dbapi):
    cluster = utils.create_cluster(status=states.CREATE_COMPLETE)
    before = timeutils.utcnow()
    moved = dbapi.set_cluster_status_if(
        cluster.uuid,
        states.UPDATE_IN_PROGRESS,
        states.UPDATE.allowed_from,
        values={"node_count": 3, "status_reason": None},
    )
    assert moved.status == states.UPDATE_IN_PROGRESS
    assert moved.node_count == 3
    assert moved.status_updated_at >= before
    assert moved.updated_at is not None


def test_set_status_if_wrong_state(dbapi):
    cluster = utils.create_cluster(status=states.UPDATE_IN_PROGRESS)
    with pytest.raises(exception.InvalidState) as caught:
        dbapi.set_cluster_status_if(
            cluster.uuid, states.UPDATE_IN_PROGRESS, [states.CREATE_COMPLETE], action="update"
        )
    assert caught.value.kwargs["state"] == states.UPDATE_IN_PROGRESS
    assert caught.value.kwargs["action"] == "update"
    with pytest.raises(exception.InvalidState):
        dbapi.set_cluster_status_if(cluster.uuid, states.CREATE_IN_PROGRESS, [])
    assert dbapi.get_cluster_by_uuid(None, cluster.uuid).status == states.UPDATE_IN_PROGRESS


def test_set_status_if_any_state(dbapi):
    cluster = utils.create_cluster(status=states.CREATE_FAILED)
    moved = dbapi.set_cluster_status_if(cluster.uuid, states.DELETE_IN_PROGRESS, None)
    assert moved.status == states.DELETE_IN_PROGRESS


def test_set_status_if_locked(dbapi):
    cluster = utils.create_cluster(status=states.CREATE_COMPLETE)
    dbapi.reserve_cluster(cluster.uuid, "conductor-1")
    with pytest.raises(exception.ClusterLocked):
        dbapi.set_cluster_status_if(cluster.uuid, states.DELETE_IN_PROGRESS, None)
    assert dbapi.get_cluster_by_uuid(None, cluster.uuid).status == states.CREATE_COMPLETE


def test_set_status_if_missing(dbapi):
    with pytest.raises(exception.ResourceNotFound):
        dbapi.set_cluster_status_if(uuidutils.generate_uuid(), states.DELETE_IN_PROGRESS, None)


@pytest.mark.parametrize("key", ["id", "uuid", "status", "reservation"])
def test_set_status_if_refuses_bookkeeping_values(dbapi, key):
    cluster = utils.create_cluster()
    with pytest.raises(exception.InvalidParameterValue):
        dbapi.set_cluster_status_if(cluster.uuid, states.DELETE_IN_PROGRESS, None, {key: "x"})


def test_get_clusters_in_states_ignores_projects(dbapi):
    a = utils.create_cluster(status=states.CREATE_IN_PROGRESS)
    b = utils.create_cluster(status=states.DELETE_IN_PROGRESS, project_id="project-b")
    utils.create_cluster(status=states.CREATE_COMPLETE)
    found = dbapi.get_clusters_in_states(sorted(states.IN_PROGRESS))
    assert [c.uuid for c in found] == [a.uuid, b.uuid]


def test_count_and_stats(dbapi):
    a = utils.create_cluster()
    b = utils.create_cluster()
    c = utils.create_cluster(project_id="project-b")
    utils.create_nodegroup(a.uuid, name="default-master", role="master", node_count=3)
    utils.create_nodegroup(a.uuid, name="default-worker", node_count=5)
    utils.create_nodegroup(b.uuid, node_count=2)
    utils.create_nodegroup(c.uuid, node_count=7, project_id="project-b")
    utils.create_nodegroup("orphan", node_count=100)

    assert dbapi.count_clusters() == 3
    assert dbapi.count_clusters(utils.PROJECT) == 2
    assert dbapi.count_clusters("nobody") == 0
    assert dbapi.get_cluster_stats() == (3, 17)
    assert dbapi.get_cluster_stats(utils.PROJECT) == (2, 10)
    assert dbapi.get_cluster_stats("nobody") == (0, 0)


def test_create_within_quota_default_limit(dbapi):
    dbapi.create_cluster_within_quota(utils.cluster_values(), default_limit=2)
    dbapi.create_cluster_within_quota(utils.cluster_values(), default_limit=2)
    with pytest.raises(exception.ResourceLimitExceeded) as caught:
        dbapi.create_cluster_within_quota(utils.cluster_values(), default_limit=2)
    assert "You have reached the maximum clusters per project, 2." in str(caught.value)
    # Other projects have their own count.
    dbapi.create_cluster_within_quota(utils.cluster_values(project_id="b"), default_limit=2)
    assert dbapi.count_clusters(utils.PROJECT) == 2


def test_create_within_quota_uses_quota_row(dbapi):
    dbapi.create_quota({"project_id": utils.PROJECT, "resource": "Cluster", "hard_limit": 1})
    row = dbapi.create_cluster_within_quota(utils.cluster_values(), default_limit=20)
    assert dbapi.get_cluster_by_uuid(None, row.uuid).name == "bay"
    with pytest.raises(exception.ResourceLimitExceeded):
        dbapi.create_cluster_within_quota(utils.cluster_values(), default_limit=20)
    dbapi.update_quota(utils.PROJECT, "Cluster", {"hard_limit": 0})
    with pytest.raises(exception.ResourceLimitExceeded):
        dbapi.create_cluster_within_quota(utils.cluster_values(), default_limit=20)


def test_create_within_quota_duplicate(dbapi):
    row = dbapi.create_cluster_within_quota(utils.cluster_values(), default_limit=5)
    with pytest.raises(exception.AlreadyExists):
        dbapi.create_cluster_within_quota(utils.cluster_values(uuid=row.uuid), default_limit=5)
    assert dbapi.count_clusters() == 1


def test_cluster_list_filter_by_template(dbapi):
    template = utils.create_cluster_template()
    mine = utils.create_cluster(cluster_template_id=template.uuid)
    utils.create_cluster()
    ctx = context.RequestContext(project_id=utils.PROJECT)
    found = dbapi.get_cluster_list(ctx, filters={"cluster_template_id": template.uuid})
    assert [c.uuid for c in found] == [mine.uuid]
