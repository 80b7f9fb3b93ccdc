"""Cluster flows emit start/end/error notifications through oslo.messaging's test driver."""

from __future__ import annotations

import oslo_messaging as messaging
import pytest
from oslo_config import cfg
from oslo_messaging.notify import _impl_test

from magnum.common import notifications
from magnum.conductor import clusters, task_manager
from tests.unit.conductor.test_clusters import run_flow


@pytest.fixture
def sent(config, monkeypatch):
    """The notifier on oslo.messaging's in-memory ``test`` driver; yields what it sent."""
    transport = messaging.get_notification_transport(cfg.CONF, url="fake:/")
    notifier = messaging.Notifier(transport, publisher_id="magnum", driver="test")
    monkeypatch.setattr(notifications, "_NOTIFIER", notifier)
    _impl_test.reset()
    yield _impl_test.NOTIFICATIONS
    _impl_test.reset()


def events(sent):
    return [(m["event_type"], priority, m["payload"]["outcome"]) for _ctx, m, priority, _r in sent]


def test_create_and_delete_send_start_and_end(ctx, make_cluster, sent):
    cluster = make_cluster()
    run_flow(ctx, cluster, clusters.create)
    with task_manager.acquire(ctx, cluster.uuid, purpose="delete") as task:
        clusters.delete(task)  # the row is gone afterwards
    assert events(sent) == [
        ("magnum.cluster.create", "INFO", "pending"),
        ("magnum.cluster.create", "INFO", "success"),
        ("magnum.cluster.delete", "INFO", "pending"),
        ("magnum.cluster.delete", "INFO", "success"),
    ]
    payload = sent[1][1]["payload"]
    assert payload["action"] == "create"
    assert payload["target"]["id"] == cluster.uuid
    assert payload["target"]["typeURI"] == "service/magnum/cluster"
    assert payload["initiator"]["id"] == ctx.user_id
    assert payload["initiator"]["project_id"] == ctx.project_id
    assert "reason" not in payload
    assert sent[1][1]["publisher_id"] == "magnum"


def test_a_failure_sends_an_error_with_the_reason(ctx, make_cluster, sent):
    cluster = make_cluster(labels={"fake_fail": "create", "fake_reason": "no capacity left"})
    run_flow(ctx, cluster, clusters.create)
    assert events(sent) == [
        ("magnum.cluster.create", "INFO", "pending"),
        ("magnum.cluster.create", "ERROR", "failure"),
    ]
    assert sent[1][1]["payload"]["reason"]["reasonCode"] == "no capacity left"


def test_resize_is_an_update(ctx, make_cluster, sent):
    cluster = make_cluster(node_count=1)
    run_flow(ctx, cluster, clusters.create)
    sent.clear()
    worker = next(ng for ng in clusters.nodegroups_of(ctx, cluster) if ng.role == "worker")
    with task_manager.acquire(ctx, cluster.uuid, purpose="resize") as task:
        task.cluster.status = "UPDATE_IN_PROGRESS"
        task.cluster.save()
        clusters.resize(task, worker.uuid, 2, [])
    assert [e[0] for e in events(sent)] == ["magnum.cluster.update"] * 2
    assert events(sent)[1][2] == "success"


def test_a_broken_notifier_never_fails_the_operation(ctx, make_cluster, monkeypatch, caplog):
    class Broken:
        def is_enabled(self):
            return True

        def info(self, *args):
            raise ConnectionError("broker down")

        error = info

    monkeypatch.setattr(notifications, "_NOTIFIER", Broken())
    cluster = make_cluster()
    done = run_flow(ctx, cluster, clusters.create)
    assert done.status == "CREATE_COMPLETE"
    assert "notification (pending) not sent: broker down" in caplog.text


def test_noop_by_default_sends_nothing(config, monkeypatch):
    monkeypatch.setattr(notifications, "_NOTIFIER", None)
    assert not notifications.get_notifier().is_enabled()
    notifications.reset()
