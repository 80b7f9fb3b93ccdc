"""The in-process transport of magnum-all: calls are handled at once, stops are prompt."""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from typing import Any

import oslo_messaging as messaging
import pytest

from magnum import conf
from magnum.common import inprocess_rpc, rpc


class Echo:
    target = messaging.Target(version="1.0")

    def echo(self, context: Any, value: Any) -> Any:
        return value


@pytest.fixture
def transport() -> Iterator[messaging.Transport]:
    transport = messaging.get_rpc_transport(conf.CONF, url=rpc.IN_PROCESS_TRANSPORT_URL)
    yield transport
    transport.cleanup()


def test_the_transport_is_magnums(transport) -> None:
    assert isinstance(transport._driver, inprocess_rpc.InProcessDriver)


def test_calls_are_answered_without_polling_delay(transport) -> None:
    server = messaging.get_rpc_server(
        transport, messaging.Target(topic="t", server="s"), [Echo()], executor="threading"
    )
    server.start()
    try:
        client = messaging.get_rpc_client(transport, messaging.Target(topic="t", server="s"))
        assert client.call({}, "echo", value=1) == 1
        took = []
        for i in range(20):
            began = time.perf_counter()
            assert client.call({}, "echo", value=i) == i
            took.append(time.perf_counter() - began)
        # The fake driver it replaces polled every 50 ms (25 ms on average).
        assert statistics.median(took) < 0.005
        client.cast({}, "echo", value="cast")
    finally:
        began = time.monotonic()
        server.stop()
        server.wait()
        assert time.monotonic() - began < 2
