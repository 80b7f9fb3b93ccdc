"""Which conductor owns which bay: a consistent hash ring of live conductors.

Live conductors are the ``magnum-conductor`` rows of ``magnum_service`` whose
heartbeat is younger than ``[conductor] heartbeat_timeout`` (see
common/liveness.py). Each gets
2**``hash_ring_partitions_exponent`` points on the ring; a bay belongs to the
first point at or after the hash of its uuid. When a conductor joins or
leaves, only the bays next to its points move.
"""

from __future__ import annotations

import bisect
import hashlib
import threading
import time
from collections.abc import Iterable

from oslo_config import cfg

from magnum.common import exception, liveness

CONDUCTOR_BINARY = liveness.CONDUCTOR_BINARY
# The ring is rebuilt from the database at most this often (seconds).
REFRESH_INTERVAL = 5.0


def _hash(key: str) -> int:
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")


class HashRing:
    def __init__(self, hosts: Iterable[str], partitions_exponent: int) -> None:
        self.hosts = sorted(set(hosts))
        points = []
        for host in self.hosts:
            for replica in range(2**partitions_exponent):
                points.append((_hash(f"{host}-{replica}"), host))
        points.sort()
        self._keys = [p[0] for p in points]
        self._hosts = [p[1] for p in points]

    def get_host(self, key: str) -> str:
        if not self._keys:
            raise exception.NoConductorAvailable()
        index = bisect.bisect(self._keys, _hash(key)) % len(self._keys)
        return self._hosts[index]


class HashRingManager:
    """A ring rebuilt from the heartbeats every REFRESH_INTERVAL seconds."""

    def __init__(self, conf: cfg.ConfigOpts | None = None) -> None:
        self.conf = conf or cfg.CONF
        self._lock = threading.Lock()
        self._ring: HashRing | None = None
        self._built_at = 0.0

    def live_hosts(self) -> list[str]:
        from magnum import objects

        return [
            s.host
            for s in objects.MagnumService.list(None)
            if s.binary == CONDUCTOR_BINARY and liveness.is_up(s) and not s.disabled
        ]

    @property
    def ring(self) -> HashRing:
        with self._lock:
            now = time.monotonic()
            if self._ring is None or now - self._built_at > REFRESH_INTERVAL:
                self._ring = HashRing(
                    self.live_hosts(), self.conf.conductor.hash_ring_partitions_exponent
                )
                self._built_at = now
            return self._ring

    def reset(self) -> None:
        with self._lock:
            self._ring = None

    def get_host(self, cluster_uuid: str) -> str:
        return self.ring.get_host(cluster_uuid)

    def owns(self, host: str, cluster_uuid: str) -> bool:
        try:
            return self.get_host(cluster_uuid) == host
        except exception.NoConductorAvailable:
            return False
