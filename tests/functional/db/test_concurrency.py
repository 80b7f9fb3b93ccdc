"""The race-safe operations hold under real concurrency on every backend.

Threads are lined up on a barrier and fire at once; each uses its own pooled
connection, as API workers and conductors do.
"""

from __future__ import annotations

import collections
import threading
from collections.abc import Callable
from typing import Any

import pytest

from magnum.common import states
from magnum.db import api as db_api
from magnum.db import migration
from tests.unit.db import utils

THREADS = 8


@pytest.fixture
def dbapi(engine):
    migration.upgrade("head")
    return db_api.get_instance()


def race(func: Callable[[int], Any], threads: int = THREADS) -> collections.Counter:
    """Run ``func(i)`` in ``threads`` threads at once; count outcomes by type name."""
    barrier = threading.Barrier(threads)
    outcomes: collections.Counter = collections.Counter()
    lock = threading.Lock()

    def run(i: int) -> None:
        barrier.wait()
        try:
            func(i)
            outcome = "ok"
        except Exception as err:  # noqa: BLE001  (counted and asserted on)
            outcome = type(err).__name__
        with lock:
            outcomes[outcome] += 1

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    return outcomes


def test_quota_holds_under_concurrent_creates(dbapi):
    outcomes = race(
        lambda i: dbapi.create_cluster_within_quota(
            utils.cluster_values(name=f"bay-{i}"), default_limit=3
        )
    )
    assert outcomes == {"ok": 3, "ResourceLimitExceeded": THREADS - 3}
    assert dbapi.count_clusters(utils.PROJECT) == 3

    # Again once the project already has rows (and a quota of its own).
    dbapi.create_quota({"project_id": utils.PROJECT, "resource": "Cluster", "hard_limit": 5})
    outcomes = race(
        lambda i: dbapi.create_cluster_within_quota(
            utils.cluster_values(name=f"more-{i}"), default_limit=3
        )
    )
    assert outcomes == {"ok": 2, "ResourceLimitExceeded": THREADS - 2}
    assert dbapi.count_clusters(utils.PROJECT) == 5


def test_one_conductor_wins_a_reservation(dbapi):
    cluster = utils.create_cluster()
    outcomes = race(lambda i: dbapi.reserve_cluster(cluster.uuid, f"conductor-{i}"))
    assert outcomes == {"ok": 1, "ClusterLocked": THREADS - 1}
    assert dbapi.get_cluster_by_uuid(None, cluster.uuid).reservation.startswith("conductor-")


def test_one_request_wins_a_status_move(dbapi):
    cluster = utils.create_cluster(status=states.CREATE_COMPLETE)
    outcomes = race(
        lambda i: dbapi.set_cluster_status_if(
            cluster.uuid,
            states.UPDATE_IN_PROGRESS,
            states.UPDATE.allowed_from,
            values={"node_count": i + 1},
        )
    )
    assert outcomes == {"ok": 1, "InvalidState": THREADS - 1}


def test_concurrent_first_heartbeats_make_one_row(dbapi):
    outcomes = race(lambda i: dbapi.heartbeat_magnum_service("new-host", "magnum-conductor"))
    assert outcomes == {"ok": THREADS}
    rows = dbapi.get_magnum_service_list()
    assert [(r.host, r.report_count) for r in rows] == [("new-host", THREADS)]


def test_template_delete_and_duplicate_create_races(dbapi):
    template = utils.create_cluster_template()
    outcomes = race(lambda i: dbapi.destroy_cluster_template(template.uuid))
    assert outcomes == {"ok": 1, "ResourceNotFound": THREADS - 1}

    values = utils.cluster_values()
    outcomes = race(lambda i: dbapi.create_cluster(values))
    assert outcomes == {"ok": 1, "AlreadyExists": THREADS - 1}
