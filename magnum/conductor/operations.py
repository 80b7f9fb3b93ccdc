"""The ``ClusterOperation`` the conductor lends a driver for one bay operation.

It carries what the conductor owns and a driver may only use: the bay's PKI
(filled in by the certificate code when the template is not
``tls_disabled``), progress reports and cancellation checks. A progress
report becomes the bay's ``status_reason`` ("forming swarm: 2 of 3"), written
at most every MIN_REPORT_INTERVAL seconds per operation (reports in between
are only logged, except a step's last count); the final reason is set as
before when the operation ends. Nothing cancels an operation yet.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from magnum.db import api as db_api
from magnum.drivers import base

LOG = logging.getLogger(__name__)
MIN_REPORT_INTERVAL = 0.3  # seconds: a few writes per second per bay at most


def progress_text(step: str, done: int | None, total: int | None) -> str:
    """ "forming swarm: 2 of 3", or the step alone when it has no count."""
    if done is None:
        return step
    return f"{step}: {done} of {total}" if total else f"{step}: {done}"


class TaskOperation:
    """One driver call made under ``task``'s lock."""

    def __init__(self, task: Any, pki: base.BayPKI | None = None) -> None:
        self.task = task
        self.pki = pki

        self._last_write = 0.0

    def report(self, step: str, done: int | None = None, total: int | None = None) -> None:
        text = progress_text(step, done, total)[:255]
        LOG.info("Cluster %s: %s", self.task.cluster.uuid, text)
        now = time.monotonic()
        last_of_step = done is not None and total is not None and done >= total
        if now - self._last_write < MIN_REPORT_INTERVAL and not last_of_step:
            return
        self._last_write = now
        try:
            db_api.get_instance().update_cluster(self.task.cluster.uuid, {"status_reason": text})
        except Exception as err:  # progress is best effort; the operation goes on
            LOG.warning("Cluster %s: could not record progress: %s", self.task.cluster.uuid, err)

    def check_cancelled(self) -> None:
        return None


def for_task(task: Any) -> base.ClusterOperation:
    """The operation to pass into the driver's create/update/delete for ``task``."""
    return TaskOperation(task)
