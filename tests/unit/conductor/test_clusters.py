"""Create, resize and delete flows: every end is a recorded COMPLETE or FAILED."""

from __future__ import annotations

import pytest

from magnum import objects
from magnum.common import exception, states
from magnum.conductor import clusters, task_manager
from tests.unit.conductor.conftest import nodegroups, stored


def run_flow(ctx, cluster, flow, *args):
    with task_manager.acquire(ctx, cluster.uuid, purpose=flow.__name__) as task:
        flow(task, *args)
    return stored(cluster)


def test_create_records_complete_with_addresses(ctx, make_cluster):
    cluster = make_cluster(node_count=2, master_count=1)
    done = run_flow(ctx, cluster, clusters.create)
    assert done.status == states.CREATE_COMPLETE
    assert done.status_reason is None
    assert done.api_address == f"fake://{cluster.uuid}"
    assert done.master_addresses == ["10.0.0.1"]
    assert done.node_addresses == ["10.0.1.1", "10.0.1.2"]
    assert done.reservation is None
    groups = nodegroups(cluster)
    assert {name: (ng.role, ng.node_count) for name, ng in groups.items()} == {
        "default-master": ("master", 1),
        "default-worker": ("worker", 2),
    }
    assert all(ng.status == states.CREATE_COMPLETE for ng in groups.values())
    assert groups["default-master"].node_addresses == ["10.0.0.1"]


def test_default_nodegroups_are_created_once(ctx, make_cluster):
    cluster = make_cluster(master_count=3, node_count=1)
    run_flow(ctx, cluster, clusters.create)
    before = {name: ng.uuid for name, ng in nodegroups(cluster).items()}
    # A takeover runs the create again: the nodegroups are reused, not doubled.
    run_flow(ctx, cluster, clusters.create)
    assert {name: ng.uuid for name, ng in nodegroups(cluster).items()} == before
    assert nodegroups(cluster)["default-master"].node_count == 3


def test_create_failure_records_the_reason(ctx, make_cluster):
    cluster = make_cluster(labels={"fake_fail": "create", "fake_reason": "no capacity left"})
    done = run_flow(ctx, cluster, clusters.create)
    assert done.status == states.CREATE_FAILED
    assert done.status_reason == "no capacity left"
    assert done.reservation is None
    for ng in nodegroups(cluster).values():
        assert (ng.status, ng.status_reason) == (states.CREATE_FAILED, "no capacity left")


def test_unexpected_errors_do_not_leak_their_text(ctx, make_cluster, driver, monkeypatch):
    """A driver bug (stood in for by a patched create) must not reach the user."""

    def broken_create(*args, **kwargs):
        raise RuntimeError("connect to mysql://magnum:s3cret@db failed")

    monkeypatch.setattr(driver, "create", broken_create)
    cluster = make_cluster()
    done = run_flow(ctx, cluster, clusters.create)
    assert done.status == states.CREATE_FAILED
    assert "s3cret" not in done.status_reason
    assert done.status_reason == "Unexpected error in the conductor (RuntimeError); see its log."


@pytest.mark.parametrize(
    ("err", "reason"),
    [
        (exception.DriverError(reason="image not found"), "image not found"),
        (exception.InvalidParameterValue(err="bad flavor"), "bad flavor"),
        (
            exception.DatabaseUnavailable(url="mysql://u:pw@h/db", reason="down"),
            "Unexpected error in the conductor (DatabaseUnavailable); see its log.",
        ),
        (KeyError("x"), "Unexpected error in the conductor (KeyError); see its log."),
    ],
)
def test_failure_reason_shows_only_safe_messages(err, reason):
    assert clusters.failure_reason(err) == reason


def test_resize_records_the_new_size(ctx, make_cluster):
    cluster = make_cluster()
    run_flow(ctx, cluster, clusters.create)
    worker = nodegroups(cluster)["default-worker"]
    objects.Cluster.set_status_if(ctx, cluster.uuid, states.UPDATE_IN_PROGRESS, None)
    done = run_flow(ctx, cluster, clusters.resize, worker.uuid, 3, [])
    assert done.status == states.UPDATE_COMPLETE
    assert done.node_count == 3
    assert len(done.node_addresses) == 3
    assert nodegroups(cluster)["default-worker"].node_count == 3


def test_resize_of_the_masters_changes_master_count(ctx, make_cluster):
    cluster = make_cluster()
    run_flow(ctx, cluster, clusters.create)
    master = nodegroups(cluster)["default-master"]
    objects.Cluster.set_status_if(ctx, cluster.uuid, states.UPDATE_IN_PROGRESS, None)
    done = run_flow(ctx, cluster, clusters.resize, master.uuid, 3, [])
    assert (done.status, done.master_count, done.node_count) == (states.UPDATE_COMPLETE, 3, 1)


def test_resize_failure_records_update_failed(ctx, make_cluster):
    cluster = make_cluster(labels={"fake_fail": "update"})
    run_flow(ctx, cluster, clusters.create)
    worker = nodegroups(cluster)["default-worker"]
    objects.Cluster.set_status_if(ctx, cluster.uuid, states.UPDATE_IN_PROGRESS, None)
    done = run_flow(ctx, cluster, clusters.resize, worker.uuid, 2, [])
    assert done.status == states.UPDATE_FAILED
    assert done.status_reason == "fake update failure"
    assert done.reservation is None


def test_converge_brings_every_nodegroup_to_its_count(ctx, make_cluster, driver):
    cluster = make_cluster()
    run_flow(ctx, cluster, clusters.create)
    worker = nodegroups(cluster)["default-worker"]
    worker.node_count = 4  # what a resize recorded before its conductor died
    worker.save()
    objects.Cluster.set_status_if(ctx, cluster.uuid, states.UPDATE_IN_PROGRESS, None)
    done = run_flow(ctx, cluster, clusters.converge)
    assert done.status == states.UPDATE_COMPLETE
    assert driver.clusters[cluster.uuid] == {"default-master": 1, "default-worker": 4}
    assert done.node_count == 4


def test_delete_removes_the_rows(ctx, make_cluster):
    cluster = make_cluster()
    run_flow(ctx, cluster, clusters.create)
    objects.Cluster.set_status_if(ctx, cluster.uuid, states.DELETE_IN_PROGRESS, None)
    with task_manager.acquire(ctx, cluster.uuid, purpose="delete") as task:
        clusters.delete(task)
    with pytest.raises(exception.ResourceNotFound):
        stored(cluster)
    assert nodegroups(cluster) == {}


def test_delete_failure_keeps_the_bay_with_a_reason(ctx, make_cluster):
    cluster = make_cluster(labels={"fake_fail": "delete", "fake_reason": "volume attached"})
    run_flow(ctx, cluster, clusters.create)
    objects.Cluster.set_status_if(ctx, cluster.uuid, states.DELETE_IN_PROGRESS, None)
    done = run_flow(ctx, cluster, clusters.delete)
    assert (done.status, done.status_reason) == (states.DELETE_FAILED, "volume attached")
    assert done.reservation is None


def test_an_asynchronous_answer_stays_in_progress(ctx, make_cluster):
    cluster = make_cluster(labels={"fake_async": "1"})
    done = run_flow(ctx, cluster, clusters.create)
    assert done.status == states.CREATE_IN_PROGRESS
    assert done.reservation is None  # the sync, not this task, finishes it
    # Run again (the sync's takeover of a synchronous driver): now complete.
    done = run_flow(ctx, cluster, clusters.create)
    assert done.status == states.CREATE_COMPLETE


def test_record_of_an_unchanged_report_keeps_the_status(ctx, make_cluster):
    cluster = make_cluster()
    run_flow(ctx, cluster, clusters.create)
    current = stored(cluster)
    clusters.record(ctx, current, None, clusters.base.ClusterStatus(status=current.status))
    assert stored(cluster).status == states.CREATE_COMPLETE
    assert stored(cluster).api_address == f"fake://{cluster.uuid}"


def test_the_final_status_and_the_lock_release_are_one_update(ctx, make_cluster):
    """A client that sees COMPLETE can act at once: the row is already unlocked."""
    cluster = make_cluster(node_count=1, master_count=1)
    seen = {}
    with task_manager.acquire(ctx, cluster.uuid, purpose="create") as task:
        clusters.create(task)
        # Still inside the task: the flow itself left the row final and free.
        seen["row"] = stored(cluster)
        seen["released"] = task._released
    assert seen["row"].status == states.CREATE_COMPLETE
    assert seen["row"].reservation is None
    assert seen["released"] is True


def test_create_validates_the_template_first_and_records_why(ctx, make_cluster, make_template):
    from magnum.drivers import registry

    template = make_template(labels={"fake_invalid": "no such image"})
    cluster = make_cluster(template=template)
    done = run_flow(ctx, cluster, clusters.create)
    assert done.status == states.CREATE_FAILED
    assert "no such image" in done.status_reason
    fake = registry.drivers()["fake"]
    assert cluster.uuid not in fake.clusters  # create never ran


def test_record_copies_every_declared_status_field_including_stack_id(ctx, make_cluster):
    import dataclasses

    from magnum.drivers import base

    cluster = make_cluster()
    done = run_flow(ctx, cluster, clusters.create)
    assert done.stack_id == f"fake-stack-{cluster.uuid}"
    copied = {f.name for f in dataclasses.fields(base.ClusterStatus)} - base.STATUS_CONTROL_FIELDS
    assert copied <= set(objects.Cluster.fields)  # every reported field has a column
