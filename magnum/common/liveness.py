"""Whether a magnum service is alive, from the age of its last heartbeat.

Conductors count as down after ``[conductor] heartbeat_timeout`` (capped by
``[DEFAULT] service_down_time``); the hash ring and the clearing of stale bay
locks both read this, so a dead conductor's bays move within seconds. Other
services use ``service_down_time``.
"""

from __future__ import annotations

from typing import Any

from oslo_config import cfg
from oslo_utils import timeutils

CONDUCTOR_BINARY = "magnum-conductor"


def down_after(binary: str | None) -> int:
    """Seconds without a heartbeat after which a service of ``binary`` is down."""
    conf = cfg.CONF
    if binary == CONDUCTOR_BINARY:
        return min(conf.service_down_time, conf.conductor.heartbeat_timeout)
    return conf.service_down_time


def is_up(service: Any) -> bool:
    last = service.last_seen_up or service.updated_at or service.created_at
    if last is None or service.forced_down:
        return False
    age = timeutils.utcnow() - last.replace(tzinfo=None)
    return age.total_seconds() <= down_after(getattr(service, "binary", None))
