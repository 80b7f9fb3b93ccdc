"""What a bay becomes when its backend fails: a final state with a reason, never stuck.

Real magnum-all processes on SQLite. Two of them are configured to fail:
one whose Docker engine is a socket nobody listens on, one whose node image
is missing and cannot be built (its ``[local] host_binaries_path`` holds no
programs). The others use the ``fake`` driver's labels (``fake_fail``,
``fake_delay``) or change the database the way a lost RPC message or a
long-running create would leave it: that white-box setup is the only way to
reach those states in seconds rather than an hour.
"""

from __future__ import annotations

import datetime
import os
import re
import tempfile
import time
import uuid as uuid_lib
from collections.abc import Iterator

import docker
import docker.errors
import pytest

from magnum.db import api as db_api
from tests.fixtures import database
from tests.fixtures.bays import BayAPI
from tests.fixtures.docker import remove_labelled
from tests.functional.bays.conftest import Service, start_service

CREATE_TIMEOUT = 60
FAIL_TIMEOUT = 30
GONE_TIMEOUT = 15
SYNC_PASSES = 3  # seconds at [conductor] sync_interval = 1


@pytest.fixture(scope="module")
def rows(service: Service) -> Iterator[db_api.Connection]:
    """magnum's DB API on the service's own SQLite file."""
    with database.Database(service.database_url):
        yield db_api.get_instance()


@pytest.fixture(scope="module")
def local_template(api: BayAPI) -> str:
    return api.create_template(server_type="local")


@pytest.fixture(scope="module")
def fake_template(api: BayAPI) -> str:
    return api.create_template(server_type="fake")


def log_lines_about(service: Service, uuid: str, since: int = 0) -> list[str]:
    return [line for line in service.process.output()[since:].splitlines() if uuid in line]


def assert_user_facing(reason: str | None) -> str:
    assert reason, "a failed bay must say why"
    assert "Traceback" not in reason and 'File "' not in reason
    return reason


def test_driver_failure_is_recorded_with_its_reason(api: BayAPI, fake_template: str) -> None:
    labels = {"fake_fail": "create", "fake_reason": "no capacity left on the backend"}
    uuid = api.create_bay(fake_template, labels=labels)
    bay = api.wait_for(uuid, FAIL_TIMEOUT)
    assert bay["status"] == "CREATE_FAILED"
    assert bay["status_reason"] == "no capacity left on the backend"
    assert bay["faults"] == dict.fromkeys(
        ("default-master", "default-worker"), "no capacity left on the backend"
    )
    api.delete(uuid)
    api.wait_gone(uuid, GONE_TIMEOUT)

    uuid = api.create_bay(fake_template, labels={"fake_fail": "update"})
    assert api.wait_for(uuid, FAIL_TIMEOUT)["status"] == "CREATE_COMPLETE"
    patch = [{"op": "replace", "path": "/node_count", "value": 2}]
    assert api.change("PATCH", f"/v1/clusters/{uuid}", json=patch).status_code == 202
    bay = api.wait_for(uuid, FAIL_TIMEOUT)
    assert (bay["status"], bay["status_reason"]) == ("UPDATE_FAILED", "fake update failure")
    # A resize may retry a failed update.
    response = api.change("POST", f"/v1/clusters/{uuid}/actions/resize", json={"node_count": 3})
    assert response.status_code == 202, response.text
    assert api.wait_for(uuid, FAIL_TIMEOUT)["status"] == "UPDATE_FAILED"
    api.delete(uuid)
    api.wait_gone(uuid, GONE_TIMEOUT)


def test_create_past_its_timeout_fails_and_stays_failed(
    api: BayAPI, fake_template: str, rows: db_api.Connection
) -> None:
    delay = 3.0
    uuid = api.create_bay(fake_template, labels={"fake_delay": str(delay)})
    started = time.monotonic()
    # White-box: the bay has been creating for two hours (its timeout is 60 min).
    two_hours_ago = datetime.datetime.now(datetime.UTC).replace(tzinfo=None) - datetime.timedelta(
        hours=2
    )
    rows.update_cluster(uuid, {"status_updated_at": two_hours_ago})

    bay = api.wait_for(uuid, FAIL_TIMEOUT)
    assert time.monotonic() - started < delay, "failed by the driver, not by the timeout"
    assert bay["status"] == "CREATE_FAILED"
    assert re.fullmatch(r"CREATE_IN_PROGRESS timed out after 60 minutes\.", bay["status_reason"])

    # The driver call still running holds the lock; when it ends, the bay
    # must keep its final state rather than turn CREATE_COMPLETE.
    deadline = time.monotonic() + delay + FAIL_TIMEOUT
    while rows.get_cluster_by_uuid(None, uuid).reservation is not None:
        assert time.monotonic() < deadline, "the lock was never released"
        time.sleep(0.1)
    time.sleep(SYNC_PASSES)
    bay = api.get(uuid)
    assert bay["status"] == "CREATE_FAILED", bay["status_reason"]
    api.delete(uuid)
    api.wait_gone(uuid, GONE_TIMEOUT)


def test_delete_of_a_bay_whose_nodes_were_removed_by_hand(
    api: BayAPI, local_template: str, service: Service, docker_host: docker.DockerClient
) -> None:
    uuid = api.create_bay(local_template, node_count=1)
    assert api.wait_for(uuid, CREATE_TIMEOUT)["status"] == "CREATE_COMPLETE"
    removed = remove_labelled(docker_host, f"magnum.cluster={uuid}")
    assert len([r for r in removed if r.startswith("container")]) == 2, removed

    mark = len(service.process.output())
    api.delete(uuid)
    api.wait_gone(uuid, GONE_TIMEOUT)
    time.sleep(SYNC_PASSES)
    about = log_lines_about(service, uuid, mark)
    assert not [line for line in about if " ERROR " in line or " WARNING " in line], about
    assert "Traceback" not in service.process.output()[mark:]
    assert api.leftovers(uuid) == []
    assert not os.path.exists(os.path.join(service.local_state_dir, uuid))


def test_sync_removes_a_bay_left_deleting_whose_nodes_are_gone(
    api: BayAPI,
    local_template: str,
    rows: db_api.Connection,
    docker_host: docker.DockerClient,
    service: Service,
) -> None:
    uuid = api.create_bay(local_template, node_count=1)
    assert api.wait_for(uuid, CREATE_TIMEOUT)["status"] == "CREATE_COMPLETE"
    remove_labelled(docker_host, f"magnum.cluster={uuid}")
    # White-box: the API recorded a delete whose RPC message was lost, so
    # only the periodic sync can finish it.
    rows.update_cluster(uuid, {"status": "DELETE_IN_PROGRESS"})
    api.wait_gone(uuid, GONE_TIMEOUT)
    assert api.leftovers(uuid) == []
    assert any("resumes it" in line for line in log_lines_about(service, uuid))


@pytest.mark.parametrize(
    ("labels", "left_in", "final", "reason"),
    [
        ({}, "CREATE_IN_PROGRESS", "CREATE_COMPLETE", None),
        ({"fake_fail": "update"}, "UPDATE_IN_PROGRESS", "UPDATE_FAILED", "fake update failure"),
    ],
)
def test_sync_finishes_an_operation_nobody_works_on(
    api: BayAPI,
    fake_template: str,
    rows: db_api.Connection,
    labels: dict,
    left_in: str,
    final: str,
    reason: str | None,
) -> None:
    uuid = api.create_bay(fake_template, labels=labels)
    assert api.wait_for(uuid, FAIL_TIMEOUT)["status"] == "CREATE_COMPLETE"
    # White-box: the API recorded an operation whose RPC message was lost.
    rows.update_cluster(uuid, {"status": left_in})
    bay = api.wait_for(uuid, FAIL_TIMEOUT)
    assert (bay["status"], bay["status_reason"]) == (final, reason)
    api.delete(uuid)
    api.wait_gone(uuid, GONE_TIMEOUT)


def test_unreachable_docker_engine_fails_the_create_with_a_reason(
    tmp_path_factory: pytest.TempPathFactory, docker_host: docker.DockerClient
) -> None:
    dead = tempfile.mkdtemp(prefix="mgb-dead-", dir="/tmp")
    socket = f"unix://{dead}/docker.sock"  # nobody listens there
    try:
        with start_service(tmp_path_factory, "bays-nodocker", local={"docker_url": socket}) as svc:
            api = BayAPI(svc.url, docker_host)
            uuid = api.create_bay(api.create_template(server_type="local"))
            bay = api.wait_for(uuid, FAIL_TIMEOUT)
            assert bay["status"] == "CREATE_FAILED"
            reason = assert_user_facing(bay["status_reason"])
            assert f"The Docker engine of local bays at {socket} does not answer" in reason

            # Deleting it cannot reach the engine either: a clear failure,
            # reported once, not a retry loop.
            api.delete(uuid)
            bay = api.wait_for(uuid, FAIL_TIMEOUT)
            assert bay["status"] == "DELETE_FAILED"
            assert "does not answer" in assert_user_facing(bay["status_reason"])
            settled = len(log_lines_about(svc, uuid))
            time.sleep(SYNC_PASSES)
            assert len(log_lines_about(svc, uuid)) == settled
            assert api.get(uuid)["status"] == "DELETE_FAILED"
    finally:
        os.rmdir(dead)


def test_node_image_that_cannot_be_built_fails_the_create(
    tmp_path_factory: pytest.TempPathFactory, docker_host: docker.DockerClient
) -> None:
    no_programs = tmp_path_factory.mktemp("no-programs")
    tag = f"magnum/local-node-absent:{uuid_lib.uuid4().hex[:8]}"
    local = {"node_image": tag, "host_binaries_path": str(no_programs)}
    with start_service(tmp_path_factory, "bays-noimage", local=local) as svc:
        api = BayAPI(svc.url, docker_host)
        uuid = api.create_bay(api.create_template(server_type="local"), node_count=2)
        try:
            bay = api.wait_for(uuid, FAIL_TIMEOUT)
            assert bay["status"] == "CREATE_FAILED"
            reason = assert_user_facing(bay["status_reason"])
            assert reason.startswith("Cannot build the local bay node image: busybox is not "), (
                reason
            )
            assert "install the packages" in reason
            with pytest.raises(docker.errors.ImageNotFound):
                docker_host.images.get(tag)
            assert api.leftovers(uuid) == []

            api.delete(uuid)
            api.wait_gone(uuid, GONE_TIMEOUT)
        finally:
            api.remove_everything()
