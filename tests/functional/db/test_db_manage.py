"""magnum-db-manage as an operator runs it."""

from __future__ import annotations

import subprocess
import time

import pytest

from magnum.db import migration
from tests.fixtures import database as db_fixtures
from tests.fixtures import processes


def _run(config, *args: str) -> subprocess.CompletedProcess:
    argv = [str(processes.magnum_bin("magnum-db-manage")), "--config-file", str(config), *args]
    return subprocess.run(
        argv, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL
    )


def _version(config) -> str:
    result = _run(config, "version")
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip()


def test_upgrade_version_stamp_on_fresh_sqlite(tmp_path):
    # state_path does not exist yet: the embedded default must still work.
    state = tmp_path / "state" / "magnum"
    config = processes.write_config(tmp_path / "magnum.conf", DEFAULT={"state_path": state})

    assert _version(config).startswith("None")
    processes.db_manage(config, "upgrade")
    assert (state / "magnum.sqlite").exists()
    assert _version(config) == migration.head()
    processes.db_manage(config, "upgrade", "head")  # again: a no-op
    assert _version(config) == migration.head()
    processes.db_manage(config, "stamp", "base")
    assert _version(config).startswith("None")


@pytest.mark.parametrize("kind", ["mysql", "postgresql"])
def test_upgrade_on_server_databases(tmp_path, kind):
    url = db_fixtures.make_database(kind, drop_at_exit=False)
    try:
        config = processes.write_config(
            tmp_path / "magnum.conf",
            DEFAULT={"state_path": tmp_path},
            database={"connection": url},
        )
        processes.db_manage(config, "upgrade")
        assert _version(config) == migration.head()
    finally:
        db_fixtures.drop_database(url)


@pytest.mark.parametrize(
    "url",
    [
        "mysql+pymysql://magnum:hunter2@127.0.0.1:1/magnum",
        "postgresql+psycopg2://magnum:hunter2@127.0.0.1:1/magnum",
        # Reachable server, refused credentials: just as unusable.
        "mysql+pymysql://magnum:hunter2@127.0.0.1:3306/magnum",
    ],
)
def test_unreachable_database_is_one_clear_line(tmp_path, url):
    config = processes.write_config(
        tmp_path / "magnum.conf", DEFAULT={"state_path": tmp_path}, database={"connection": url}
    )
    started = time.monotonic()
    result = _run(config, "upgrade")
    output = result.stdout + result.stderr

    assert result.returncode == 1, output
    assert time.monotonic() - started < 30
    safe_url = url.replace("hunter2", "***")
    errors = [line for line in output.splitlines() if " ERROR " in line]
    assert len(errors) == 1, output
    assert f"Cannot connect to the database at {safe_url}: " in errors[0]
    assert "hunter2" not in output
    assert "Traceback" not in output


def test_unknown_command_is_a_usage_error(tmp_path):
    config = processes.write_config(tmp_path / "magnum.conf", DEFAULT={"state_path": tmp_path})
    result = _run(config, "downgrade")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr
