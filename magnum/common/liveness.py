"""Whether a magnum service is alive, from the age of its last heartbeat."""

from __future__ import annotations

from typing import Any

from oslo_config import cfg
from oslo_utils import timeutils


def is_up(service: Any) -> bool:
    last = service.last_seen_up or service.updated_at or service.created_at
    if last is None or service.forced_down:
        return False
    age = timeutils.utcnow() - last.replace(tzinfo=None)
    return age.total_seconds() <= cfg.CONF.service_down_time
