"""A split deployment with the messagingv2 driver: cluster notifications arrive on RabbitMQ.

magnum-api and magnum-conductor run as processes on this session's RabbitMQ
vhost; an oslo.messaging notification listener consumes what the conductor
sends while a bay (fake driver) is created and deleted.
"""

from __future__ import annotations

import threading
import time

import oslo_messaging as messaging
from oslo_config import cfg

from tests.fixtures import processes
from tests.fixtures.bays import BayAPI

TIMEOUT = 60


class Collector:
    def __init__(self) -> None:
        self.received: list[tuple[str, str, dict]] = []
        self.lock = threading.Lock()

    def _keep(self, priority: str, event_type: str, payload: dict) -> None:
        with self.lock:
            self.received.append((priority, event_type, payload))

    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        self._keep("info", event_type, payload)

    def error(self, ctxt, publisher_id, event_type, payload, metadata):
        self._keep("error", event_type, payload)

    def of(self, uuid: str) -> list[tuple[str, str, str]]:
        with self.lock:
            return [
                (priority, event_type, payload["outcome"])
                for priority, event_type, payload in self.received
                if payload.get("target", {}).get("id") == uuid
            ]

    def wait_for(self, uuid: str, count: int) -> list[tuple[str, str, str]]:
        deadline = time.monotonic() + TIMEOUT
        while len(self.of(uuid)) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.of(uuid)


def test_create_and_delete_are_notified_on_rabbitmq(tmp_path) -> None:
    url = processes.rabbit_url()
    conf = cfg.ConfigOpts()
    conf([], project="magnum-notification-test")
    transport = messaging.get_notification_transport(conf, url=url)
    collector = Collector()
    listener = messaging.get_notification_listener(
        transport,
        [messaging.Target(topic="notifications")],
        [collector],
        executor="threading",
    )
    listener.start()
    try:
        with processes.deployment(
            processes.SPLIT,
            tmp_path,
            oslo_messaging_notifications={"driver": "messagingv2"},
        ) as api_url:
            api = BayAPI(api_url)
            template = api.create_template(server_type="fake")
            uuid = api.create_bay(template, name="notified")
            assert api.wait_for(uuid, TIMEOUT)["status"] == "CREATE_COMPLETE"
            api.delete(uuid)
            api.wait_gone(uuid, TIMEOUT)
            got = collector.wait_for(uuid, 4)
    finally:
        listener.stop()
        listener.wait()
        transport.cleanup()
    assert got == [
        ("info", "magnum.cluster.create", "pending"),
        ("info", "magnum.cluster.create", "success"),
        ("info", "magnum.cluster.delete", "pending"),
        ("info", "magnum.cluster.delete", "success"),
    ]
    payloads = [p for _pr, _et, p in collector.received if p["target"]["id"] == uuid]
    for payload in payloads:
        assert payload["typeURI"] == "http://schemas.dmtf.org/cloud/audit/1.0/event"
        assert payload["target"] == {
            "typeURI": "service/magnum/cluster",
            "id": uuid,
            "name": "notified",
            "project_id": payload["initiator"]["project_id"],
        }
        assert payload["initiator"]["typeURI"] == "service/security/account/user"
        assert payload["initiator"]["id"] and payload["initiator"]["project_id"]
    assert [p["action"] for p in payloads] == ["create", "create", "delete", "delete"]
