"""One operation at a time per container, inside the conductor that owns its bay.

Every call about a container goes to the conductor owning its bay on the
hash ring, so an in-process lock per container serializes its operations;
the bay's DB reservation (``task_manager``) is left to bay operations, so
containers of a bay being resized still answer.
"""

from __future__ import annotations

import collections
import contextlib
import threading
from collections.abc import Iterator
from typing import Any


class KeyedLocks:
    """A lock per key, existing only while someone holds or waits for it.

    ``generation`` counts the changes made to a container by operations in
    this process; the periodic sync compares it before and after reading
    Docker so it never overwrites a newer result with an older listing.
    """

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, list[Any]] = {}
        self._generations: dict[str, int] = collections.defaultdict(int)

    @contextlib.contextmanager
    def hold(self, key: str, timeout: float | None = None) -> Iterator[bool]:
        """Yield True once the lock is held; False if ``timeout`` (0: no wait) ran out."""
        with self._guard:
            entry = self._locks.setdefault(key, [threading.Lock(), 0])
            entry[1] += 1
        acquired = entry[0].acquire(timeout=-1 if timeout is None else timeout)
        try:
            yield acquired
        finally:
            if acquired:
                entry[0].release()
            with self._guard:
                entry[1] -= 1
                if entry[1] == 0:
                    del self._locks[key]

    def generation(self, key: str) -> int:
        with self._guard:
            return self._generations.get(key, 0)

    def bump(self, key: str) -> None:
        with self._guard:
            self._generations[key] += 1

    def forget(self, key: str) -> None:
        with self._guard:
            self._generations.pop(key, None)
