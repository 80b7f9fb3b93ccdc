"""The bay lock: taken by acquire, released on every way out, handed to the pool."""

from __future__ import annotations

import threading
from concurrent import futures

import pytest

from magnum.common import exception
from magnum.conductor import task_manager
from magnum.drivers.fake import driver as fake_driver
from tests.unit.conductor.conftest import HOST, OTHER_HOST, stored


def test_acquire_locks_and_resolves_template_and_driver(ctx, make_cluster):
    cluster = make_cluster()
    with task_manager.acquire(ctx, cluster.uuid, purpose="create") as task:
        assert stored(cluster).reservation == HOST
        assert task.cluster.uuid == cluster.uuid
        assert task.cluster_template.uuid == cluster.cluster_template_id
        assert isinstance(task.driver, fake_driver.FakeDriver)
    assert stored(cluster).reservation is None


def test_a_failure_inside_the_block_releases_the_lock(ctx, make_cluster):
    cluster = make_cluster()
    with pytest.raises(RuntimeError), task_manager.acquire(ctx, cluster.uuid, purpose="x"):
        raise RuntimeError("boom")
    assert stored(cluster).reservation is None


def test_a_second_acquire_is_refused_with_409(ctx, make_cluster):
    cluster = make_cluster()
    with task_manager.acquire(ctx, cluster.uuid, purpose="create"):
        with pytest.raises(exception.ClusterLocked) as info:
            task_manager.acquire(ctx, cluster.uuid, purpose="delete")
        assert info.value.code == 409
        assert HOST in info.value.format_message()
        # The loser must not have dropped the winner's lock.
        assert stored(cluster).reservation == HOST
    assert stored(cluster).reservation is None


def test_another_conductor_cannot_take_a_held_lock(ctx, config, make_cluster):
    cluster = make_cluster()
    task = task_manager.acquire(ctx, cluster.uuid, purpose="create")
    config.config(host=OTHER_HOST)
    with pytest.raises(exception.ClusterLocked):
        task_manager.acquire(ctx, cluster.uuid, purpose="delete")
    task.release()
    with task_manager.acquire(ctx, cluster.uuid, purpose="delete"):
        assert stored(cluster).reservation == OTHER_HOST


def test_a_missing_bay_locks_nothing(ctx):
    with pytest.raises(exception.ResourceNotFound):
        task_manager.acquire(ctx, "7b3e0a8e-54f1-4c55-9d5e-2b0f0cbbd6a1", purpose="create")


def test_a_bay_without_driver_is_released(ctx, make_template, make_cluster):
    cluster = make_cluster(make_template(server_type="no-such-backend"))
    with pytest.raises(exception.ClusterTypeNotSupported):
        task_manager.acquire(ctx, cluster.uuid, purpose="create")
    assert stored(cluster).reservation is None


def test_another_projects_bay_is_found(ctx, make_cluster):
    # The API authorized the caller; the conductor acts whatever the project.
    cluster = make_cluster(project_id="project-b")
    with task_manager.acquire(ctx, cluster.uuid, purpose="create") as task:
        assert task.cluster.project_id == "project-b"


def test_release_twice_is_harmless(ctx, make_cluster):
    cluster = make_cluster()
    task = task_manager.acquire(ctx, cluster.uuid, purpose="x")
    task.release()
    task.release()
    assert stored(cluster).reservation is None


def test_spawn_after_keeps_the_lock_until_the_work_ends(ctx, make_cluster):
    cluster = make_cluster()
    started, finish = threading.Event(), threading.Event()
    seen = []

    def work(task, *args):
        seen.append((task.cluster.uuid, args))
        started.set()
        assert finish.wait(10)

    with futures.ThreadPoolExecutor(max_workers=1) as pool:
        with task_manager.acquire(ctx, cluster.uuid, purpose="resize") as task:
            task.spawn_after(pool, work, "ng-uuid", 3)
            assert not started.is_set()  # nothing runs before the block exits
        assert started.wait(10)
        # The RPC thread has left the block; the worker still holds the lock.
        assert stored(cluster).reservation == HOST
        with pytest.raises(exception.ClusterLocked):
            task_manager.acquire(ctx, cluster.uuid, purpose="delete")
        finish.set()
    assert seen == [(cluster.uuid, ("ng-uuid", 3))]
    assert stored(cluster).reservation is None


def test_spawned_work_that_fails_releases_and_is_logged(ctx, make_cluster, inline_pool, caplog):
    cluster = make_cluster()

    def work(task):
        raise RuntimeError("driver exploded")

    with task_manager.acquire(ctx, cluster.uuid, purpose="create") as task:
        task.spawn_after(inline_pool, work)
    assert stored(cluster).reservation is None
    assert "driver exploded" in caplog.text


def test_spawn_is_dropped_when_the_block_fails(ctx, make_cluster, inline_pool):
    cluster = make_cluster()
    ran = []
    with (
        pytest.raises(ValueError),
        task_manager.acquire(ctx, cluster.uuid, purpose="create") as task,
    ):
        task.spawn_after(inline_pool, lambda t: ran.append(t))
        raise ValueError("validation failed after the spawn was planned")
    assert ran == []
    assert stored(cluster).reservation is None


def test_a_pool_that_refuses_work_releases_the_lock(ctx, make_cluster):
    cluster = make_cluster()
    pool = futures.ThreadPoolExecutor(max_workers=1)
    pool.shutdown()
    with (
        pytest.raises(RuntimeError),
        task_manager.acquire(ctx, cluster.uuid, purpose="create") as task,
    ):
        task.spawn_after(pool, lambda t: None)
    assert stored(cluster).reservation is None


def test_read_only_loads_without_locking_even_a_held_bay(ctx, make_cluster):
    cluster = make_cluster()
    with task_manager.acquire(ctx, cluster.uuid, purpose="resize"):
        task = task_manager.read_only(ctx, cluster.uuid, purpose="list nodes")
        assert task.cluster.uuid == cluster.uuid
        assert isinstance(task.driver, fake_driver.FakeDriver)
        assert stored(cluster).reservation == HOST
    assert stored(cluster).reservation is None
    with task_manager.acquire(ctx, cluster.uuid, purpose="delete"):
        pass  # reading left no reservation behind


def test_read_only_of_a_missing_bay_is_not_found(ctx):
    with pytest.raises(exception.ResourceNotFound):
        task_manager.read_only(ctx, "7b3e0a8e-54f1-4c55-9d5e-2b0f0cbbd6a1", purpose="read")
