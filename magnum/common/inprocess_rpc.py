"""The RPC transport of ``magnum-all``: in memory, woken at once, never polled.

oslo.messaging's ``fake`` driver carries messages in memory, as magnum-all
needs, but its listener looks for new messages every 50 ms: every RPC call
of the embedded service waited 25 ms on average before the conductor saw it,
which is half of a container ``execute``. This driver is that one with the
wait replaced by a wake-up: delivering a message signals the listeners, so
a call is handled as soon as it is sent. Registered as the
``magnum-inprocess`` oslo.messaging driver (setup.cfg); ``magnum.common.rpc``
uses it for ``IN_PROCESS_TRANSPORT_URL``.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import oslo_messaging as messaging
from oslo_messaging._drivers import base, impl_fake

# Longest sleep between two looks at the queues; only a stopping listener
# needs it, every message wakes the listeners at once.
_MAX_WAIT = 1.0


class _Arrivals:
    """A counter of delivered messages that listeners can wait on."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self.count = 0

    def notify(self) -> None:
        with self._cond:
            self.count += 1
            self._cond.notify_all()

    def wait_for_more_than(self, seen: int, timeout: float) -> None:
        with self._cond:
            self._cond.wait_for(lambda: self.count != seen, timeout)


_ARRIVALS = _Arrivals()


class InProcessExchange(impl_fake.FakeExchange):
    def deliver_message(self, *args: Any, **kwargs: Any) -> None:
        super().deliver_message(*args, **kwargs)
        _ARRIVALS.notify()


class InProcessExchangeManager(impl_fake.FakeExchangeManager):
    # Not shared with the fake driver's exchanges.
    _exchanges_lock = threading.Lock()
    _exchanges: dict[str, InProcessExchange] = {}

    def get_exchange(self, name: str | None) -> InProcessExchange:
        name = name or self._default_exchange
        with self._exchanges_lock:
            return self._exchanges.setdefault(name, InProcessExchange(name))


class InProcessListener(impl_fake.FakeListener):
    @base.batch_poll_helper
    def poll(self, timeout: float | None = None) -> Any:
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._stopped.is_set():
            seen = _ARRIVALS.count
            for target in self._targets:
                exchange = self._exchange_manager.get_exchange(target.exchange)
                ctxt, message, reply_q, requeue = exchange.poll(target, self._pool)
                if message is not None:
                    return impl_fake.FakeIncomingMessage(ctxt, message, reply_q, requeue)
            wait = _MAX_WAIT
            if deadline is not None:
                wait = min(wait, deadline - time.monotonic())
                if wait <= 0:
                    return None
            _ARRIVALS.wait_for_more_than(seen, wait)
        return None

    def stop(self) -> None:
        super().stop()
        _ARRIVALS.notify()  # wake the poll so it sees the stop at once


class InProcessDriver(impl_fake.FakeDriver):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._exchange_manager = InProcessExchangeManager(self._default_exchange)

    def listen(self, target: messaging.Target, batch_size: int, batch_timeout: Any) -> Any:
        exchange = target.exchange or self._default_exchange
        listener = InProcessListener(
            self._exchange_manager,
            [
                messaging.Target(topic=target.topic, server=target.server, exchange=exchange),
                messaging.Target(topic=target.topic, exchange=exchange),
            ],
        )
        return base.PollStyleListenerAdapter(listener, batch_size, batch_timeout)
