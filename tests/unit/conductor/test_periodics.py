"""The status sync: timeouts, stale locks, takeovers, asynchronous drivers."""

from __future__ import annotations

import datetime
import uuid

import pytest
from oslo_utils import timeutils

from magnum import objects
from magnum.common import exception, states
from magnum.conductor import clusters, hash_ring, periodics, task_manager
from tests.unit.conductor.conftest import HOST, OTHER_HOST, nodegroups, stored


@pytest.fixture
def sync(ctx, heartbeat, inline_pool):
    heartbeat(HOST)
    return periodics.ClusterSync(HOST, hash_ring.HashRingManager(), inline_pool)


def age(cluster, minutes):
    """Pretend the bay entered its status ``minutes`` ago."""
    then = timeutils.utcnow() - datetime.timedelta(minutes=minutes)
    objects.Cluster.dbapi().update_cluster(cluster.uuid, {"status_updated_at": then})


def owned_uuid(ring, host):
    while True:
        candidate = str(uuid.uuid4())
        if ring.get_host(candidate) == host:
            return candidate


def test_a_bay_past_its_timeout_fails(sync, make_cluster):
    cluster = make_cluster(create_timeout=30)
    age(cluster, 31)
    sync()
    done = stored(cluster)
    assert done.status == states.CREATE_FAILED
    assert done.status_reason == "CREATE_IN_PROGRESS timed out after 30 minutes."


def test_create_timeout_zero_uses_the_configured_default(sync, config, make_cluster):
    config.config(group="cluster", create_timeout=5)
    cluster = make_cluster(create_timeout=0)
    age(cluster, 6)
    sync()
    assert stored(cluster).status_reason == "CREATE_IN_PROGRESS timed out after 5 minutes."


def test_stuck_updates_and_deletes_time_out(sync, config, make_cluster):
    config.config(group="cluster", update_timeout=10, delete_timeout=10)
    updating = make_cluster(status=states.UPDATE_IN_PROGRESS)
    deleting = make_cluster(status=states.DELETE_IN_PROGRESS)
    # Held by a live conductor that never finishes: the timeout still ends it.
    objects.Cluster.dbapi().reserve_cluster(updating.uuid, HOST)
    for cluster in (updating, deleting):
        age(cluster, 11)
    sync()
    assert stored(updating).status == states.UPDATE_FAILED
    assert "timed out after 10 minutes" in stored(updating).status_reason
    assert stored(deleting).status == states.DELETE_FAILED


def test_a_bay_within_its_timeout_is_synced_not_failed(sync, make_cluster, driver, monkeypatch):
    """The fake driver made asynchronous stands in for Heat, which cannot run here."""
    monkeypatch.setattr(driver, "synchronous", False)
    cluster = make_cluster(labels={"fake_async": "1"})
    with task_manager.acquire(None, cluster.uuid, purpose="create") as task:
        clusters.create(task)
    age(cluster, 59)
    sync()
    assert stored(cluster).status == states.CREATE_COMPLETE


def test_a_dead_conductors_lock_is_cleared_and_the_work_resumed(sync, make_cluster):
    cluster = make_cluster()
    # A conductor that stopped heartbeating left the bay locked, half-created.
    objects.Cluster.dbapi().reserve_cluster(cluster.uuid, "dead-conductor")
    sync()
    done = stored(cluster)
    assert done.reservation is None
    assert done.status == states.CREATE_COMPLETE
    assert done.api_address == f"fake://{cluster.uuid}"


def test_a_live_conductors_lock_is_respected(sync, heartbeat, make_cluster):
    heartbeat(OTHER_HOST)
    cluster = make_cluster()
    objects.Cluster.dbapi().reserve_cluster(cluster.uuid, OTHER_HOST)
    sync()
    done = stored(cluster)
    assert (done.reservation, done.status) == (OTHER_HOST, states.CREATE_IN_PROGRESS)


def test_takeover_reruns_a_create_of_a_synchronous_driver(sync, make_cluster):
    cluster = make_cluster(node_count=2)
    sync()
    done = stored(cluster)
    assert done.status == states.CREATE_COMPLETE
    assert done.node_addresses == ["10.0.1.1", "10.0.1.2"]


def test_takeover_converges_an_update(sync, ctx, make_cluster, driver):
    cluster = make_cluster()
    with task_manager.acquire(ctx, cluster.uuid, purpose="create") as task:
        clusters.create(task)
    # The resize recorded the wanted size, then its conductor died.
    worker = nodegroups(cluster)["default-worker"]
    worker.node_count = 3
    worker.save()
    objects.Cluster.set_status_if(ctx, cluster.uuid, states.UPDATE_IN_PROGRESS, None)
    sync()
    done = stored(cluster)
    assert (done.status, done.node_count) == (states.UPDATE_COMPLETE, 3)
    assert driver.clusters[cluster.uuid]["default-worker"] == 3


def test_takeover_finishes_an_update_left_in_progress(sync, ctx, make_cluster):
    cluster = make_cluster(labels={"fake_async": "1"})
    for _ in range(2):  # the second run finishes the create
        with task_manager.acquire(ctx, cluster.uuid, purpose="create") as task:
            clusters.create(task)
    worker = nodegroups(cluster)["default-worker"]
    objects.Cluster.set_status_if(ctx, cluster.uuid, states.UPDATE_IN_PROGRESS, None)
    with task_manager.acquire(ctx, cluster.uuid, purpose="resize") as task:
        clusters.resize(task, worker.uuid, 2, [])
    assert stored(cluster).status == states.UPDATE_IN_PROGRESS
    sync()
    assert (stored(cluster).status, stored(cluster).node_count) == (states.UPDATE_COMPLETE, 2)


def test_takeover_of_a_delete_removes_the_bay(sync, make_cluster):
    cluster = make_cluster(status=states.DELETE_IN_PROGRESS)
    sync()
    with pytest.raises(exception.ResourceNotFound):
        stored(cluster)


def test_asynchronous_driver_is_asked_once_per_pass(sync, make_cluster, driver, monkeypatch):
    """The fake driver, made asynchronous (as Heat is) and counting its listings."""
    monkeypatch.setattr(driver, "synchronous", False)
    asked = []
    original = driver.sync_status

    def counting_sync_status(context, bays):
        bays = list(bays)
        asked.append(sorted(b.uuid for b in bays))
        return original(context, bays)

    monkeypatch.setattr(driver, "sync_status", counting_sync_status)
    bays = [make_cluster(name=f"bay{i}", labels={"fake_async": "1"}) for i in range(3)]
    for cluster in bays:
        with task_manager.acquire(None, cluster.uuid, purpose="create") as task:
            clusters.create(task)
        assert stored(cluster).status == states.CREATE_IN_PROGRESS
    sync()
    assert asked == [sorted(b.uuid for b in bays)]
    assert {stored(b).status for b in bays} == {states.CREATE_COMPLETE}


def test_asynchronous_delete_finishes_on_the_sync(sync, make_cluster, driver, monkeypatch):
    """The fake driver made asynchronous stands in for Heat."""
    monkeypatch.setattr(driver, "synchronous", False)
    cluster = make_cluster(labels={"fake_async": "1"}, status=states.DELETE_IN_PROGRESS)
    with task_manager.acquire(None, cluster.uuid, purpose="delete") as task:
        clusters.delete(task)
    assert stored(cluster).status == states.DELETE_IN_PROGRESS
    sync()
    with pytest.raises(exception.ResourceNotFound):
        stored(cluster)


def test_a_bay_the_backend_lost_fails(sync, make_cluster, driver, monkeypatch):
    """The fake driver made asynchronous stands in for Heat."""
    monkeypatch.setattr(driver, "synchronous", False)
    cluster = make_cluster()  # never reached the driver: sync_status does not know it
    sync()
    done = stored(cluster)
    assert done.status == states.CREATE_FAILED
    assert "not found on the backend" in done.status_reason


def test_bays_of_another_conductor_are_left_alone(sync, heartbeat, make_cluster):
    heartbeat(OTHER_HOST)
    ring = hash_ring.HashRingManager()
    theirs = make_cluster(uuid=owned_uuid(ring, OTHER_HOST))
    mine = make_cluster(uuid=owned_uuid(ring, HOST))
    sync()
    assert stored(theirs).status == states.CREATE_IN_PROGRESS
    assert stored(mine).status == states.CREATE_COMPLETE


def test_a_bay_without_a_driver_fails_with_the_reason(sync, make_template, make_cluster):
    cluster = make_cluster(make_template(server_type="retired-backend"))
    sync()
    done = stored(cluster)
    assert done.status == states.CREATE_FAILED
    assert "retired-backend" in done.status_reason


def test_nothing_happens_before_the_first_heartbeat(ctx, inline_pool, make_cluster):
    cluster = make_cluster()
    periodics.ClusterSync(HOST, hash_ring.HashRingManager(), inline_pool)()
    assert stored(cluster).status == states.CREATE_IN_PROGRESS


def test_the_loop_survives_a_failing_pass(sync, make_cluster, monkeypatch, caplog):
    """A database that fails one pass (patched: SQLite cannot be made to fail on cue)."""
    cluster = make_cluster()

    def database_away(*args, **kwargs):
        raise exception.DatabaseUnavailable(url="sqlite://", reason="disk full")

    with monkeypatch.context() as patch:
        patch.setattr(objects.Cluster, "list_in_states", database_away)
        sync()  # must not raise
    assert "Cluster status sync failed" in caplog.text
    sync()
    assert stored(cluster).status == states.CREATE_COMPLETE


def test_heartbeat_makes_the_host_live(ctx):
    periodics.heartbeat(HOST)
    assert hash_ring.HashRingManager().live_hosts() == [HOST]
