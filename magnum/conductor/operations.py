"""The ``ClusterOperation`` the conductor lends a driver for one bay operation.

It carries what the conductor owns and a driver may only use: the bay's PKI
(filled in by the certificate code when the template is not
``tls_disabled``), progress reports and cancellation checks. Today progress
goes to the log and nothing cancels an operation; the conductor's status and
cancellation code plugs in here without changing any driver.
"""

from __future__ import annotations

import logging
from typing import Any

from magnum.drivers import base

LOG = logging.getLogger(__name__)


class TaskOperation:
    """One driver call made under ``task``'s lock."""

    def __init__(self, task: Any, pki: base.BayPKI | None = None) -> None:
        self.task = task
        self.pki = pki

    def report(self, step: str, done: int | None = None, total: int | None = None) -> None:
        progress = f" ({done}/{total})" if done is not None and total else ""
        LOG.info("Cluster %s: %s%s", self.task.cluster.uuid, step, progress)

    def check_cancelled(self) -> None:
        return None


def for_task(task: Any) -> base.ClusterOperation:
    """The operation to pass into the driver's create/update/delete for ``task``."""
    return TaskOperation(task)
