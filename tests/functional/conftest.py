"""Session-wide checks of the functional tier.

When the whole session ends (on the xdist controller, after every worker
finished), the logs of the run are scanned for tokens and passwords once
more, so a leak written after ``test_no_secrets_in_logs.py`` ran on one
worker still fails the run.
"""

from __future__ import annotations

import time

import pytest

from tests.fixtures import keystone, log_secrets

# Logs older than this belong to an earlier run. The margin covers xdist
# workers, which start a moment after the controller.
SESSION_STARTED = time.time() - 60


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def pytest_sessionstart(session: pytest.Session) -> None:
    if not _is_worker(session.config):
        # A fresh list of secrets per run; workers append to it.
        keystone.SECRETS_FILE.unlink(missing_ok=True)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _is_worker(session.config):
        return
    leaks = log_secrets.find_leaks(
        log_secrets.logs_since(SESSION_STARTED), log_secrets.recorded_hashes()
    )
    if leaks:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        message = "secrets in the logs of this run:\n  " + "\n  ".join(leaks)
        if reporter is not None:
            reporter.write_line(message, red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
