"""The per-container locks and the state table of magnum.conductor.containers."""

from __future__ import annotations

import datetime
import threading
import time
import types
from typing import Any

import pytest
from oslo_utils import timeutils

from magnum import objects
from magnum.common import exception, states
from magnum.conductor import (
    container_locks,
    container_placement,
    container_sync,
    containers,
    hash_ring,
    task_manager,
)
from tests.unit.conductor.conftest import PROJECT

STATUS = containers.STATUS


def test_a_lock_per_key_that_goes_away_when_free() -> None:
    locks = container_locks.KeyedLocks()
    with locks.hold("a") as held:
        assert held
        with locks.hold("a", timeout=0) as again:
            assert not again  # one operation at a time per container
        with locks.hold("b", timeout=0) as other:
            assert other  # other containers are not blocked
        seen = []
        thread = threading.Thread(target=lambda: seen.append(locks.hold("a", 0.05).__enter__()))
        thread.start()
        thread.join()
        assert seen == [False]
    assert locks._locks == {}


def test_generations_count_changes() -> None:
    locks = container_locks.KeyedLocks()
    assert locks.generation("a") == 0
    locks.bump("a")
    locks.bump("a")
    assert locks.generation("a") == 2
    locks.forget("a")
    assert locks.generation("a") == 0


def test_state_guards() -> None:
    assert containers.ALLOWED["pause"] == {STATUS.RUNNING}
    assert containers.ALLOWED["unpause"] == {STATUS.PAUSED}
    assert STATUS.PAUSED not in containers.ALLOWED["start"]
    for allowed in containers.ALLOWED.values():
        assert not allowed & containers.BUSY
    assert set(containers.ACTIONS) == set(containers.ALLOWED)


# --- flows on the fake driver (no Docker API: placement, failures, bookkeeping) ---


@pytest.fixture
def bay(ctx, make_cluster, driver) -> Any:
    cluster = make_cluster(status=states.CREATE_COMPLETE)
    groups = [
        types.SimpleNamespace(name="default-master", node_count=1),
        types.SimpleNamespace(name="default-worker", node_count=2),
    ]
    driver.create(ctx, cluster, None, groups)
    yield cluster
    driver.delete(ctx, cluster)


@pytest.fixture
def operations(inline_pool) -> containers.ContainerOperations:
    return containers.ContainerOperations(inline_pool)


def make_container(ctx, bay, **values: Any) -> Any:
    fields = {
        "project_id": PROJECT,
        "user_id": "user-a",
        "image": "busybox",
        "cluster_id": bay.uuid,
        "status": STATUS.CREATING,
    }
    fields.update(values)
    container = objects.Container(ctx, **fields)
    container.create()
    return container


def test_placement_takes_the_node_with_fewest_containers(ctx, bay, operations) -> None:
    task = task_manager.Task(ctx, bay.uuid, purpose="test")
    task.load()
    make_container(ctx, bay, host="default-master-0")
    make_container(ctx, bay, host="default-worker-0")
    new = make_container(ctx, bay)
    assert container_placement.place(ctx, task, new) == "default-worker-1"
    make_container(ctx, bay, host="default-worker-1")
    assert container_placement.place(ctx, task, new) == "default-master-0"  # a tie: first by name


def test_placement_follows_a_host_hint(ctx, bay, operations) -> None:
    task = task_manager.Task(ctx, bay.uuid, purpose="test")
    task.load()
    hinted = make_container(ctx, bay, host="default-worker-1")
    assert container_placement.place(ctx, task, hinted) == "default-worker-1"
    wrong = make_container(ctx, bay, host="elsewhere")
    with pytest.raises(exception.InvalidParameterValue, match="not a node of bay"):
        container_placement.place(ctx, task, wrong)


def test_create_on_a_bay_without_docker_api_ends_in_error(ctx, bay, operations) -> None:
    container = make_container(ctx, bay)
    operations.create(ctx, container.uuid)
    container.refresh()
    assert container.status == STATUS.ERROR
    assert "not supported" in container.status_reason
    assert container.host  # placed before the client was asked for


def test_create_refuses_a_bay_that_is_not_complete(ctx, make_cluster, operations) -> None:
    failed = make_cluster(status=states.CREATE_FAILED)
    container = make_container(ctx, failed)
    operations.create(ctx, container.uuid)
    container.refresh()
    assert container.status == STATUS.ERROR
    assert "CREATE_FAILED" in container.status_reason


def test_delete_removes_the_row_when_docker_holds_nothing(ctx, bay, operations) -> None:
    never_placed = make_container(ctx, bay, status=STATUS.DELETING)
    no_docker_api = make_container(ctx, bay, status=STATUS.DELETING, host="default-worker-0")
    for container in (never_placed, no_docker_api):
        operations.delete(ctx, container.uuid)
        with pytest.raises(exception.ResourceNotFound):
            objects.Container.get_by_uuid(None, container.uuid)
    running = make_container(ctx, bay, status=STATUS.RUNNING)
    operations.delete(ctx, running.uuid)  # a stray cast: only Deleting rows go
    assert objects.Container.get_by_uuid(None, running.uuid).status == STATUS.RUNNING


def test_actions_are_guarded_by_status(ctx, bay, operations) -> None:
    stopped = make_container(ctx, bay, status=STATUS.STOPPED, host="default-master-0")
    with pytest.raises(exception.ContainerStateConflict) as caught:
        operations.action(ctx, stopped.uuid, "pause")
    assert caught.value.code == 409
    assert "Running" in caught.value.format_message()
    with pytest.raises(exception.ContainerStateConflict, match="without a Docker container"):
        operations.action(ctx, stopped.uuid, "start")
    with pytest.raises(exception.ContainerStateConflict):
        operations.execute(ctx, stopped.uuid, "true")


def test_sync_fails_a_create_left_behind(ctx, bay, operations) -> None:
    container = make_container(ctx, bay)
    sync = container_sync.ContainerSync("conductor-a", hash_ring.HashRingManager(), operations)
    later = timeutils.utcnow().replace(tzinfo=None) + datetime.timedelta(hours=1)
    sync.finish_stale(ctx, container, later)
    container.refresh()
    assert container.status == STATUS.ERROR
    assert "did not finish" in container.status_reason
    fresh = make_container(ctx, bay)
    sync.finish_stale(ctx, fresh, timeutils.utcnow().replace(tzinfo=None))
    fresh.refresh()
    assert fresh.status == STATUS.CREATING


def test_calls_past_their_deadline_are_dropped() -> None:
    containers.check_deadline(None, "start")
    containers.check_deadline(time.time() + 5, "start")
    with pytest.raises(exception.ConductorTimeout):
        containers.check_deadline(time.time() - 1, "container start")


def test_an_outcome_never_overwrites_a_forced_delete(ctx, bay, operations) -> None:
    container = make_container(ctx, bay, status=STATUS.RUNNING, host="default-master-0")
    stale = objects.Container.get_by_uuid(None, container.uuid)
    objects.Container.dbapi().set_container_status_if(
        container.uuid, STATUS.DELETING, {STATUS.RUNNING}
    )
    assert not operations.record(stale, STATUS.STOPPED)
    assert stale.status == STATUS.DELETING
    assert operations.record(stale, STATUS.ERROR, "failed", allowed=containers.DELETING)
    assert objects.Container.get_by_uuid(None, container.uuid).status_reason == "failed"
