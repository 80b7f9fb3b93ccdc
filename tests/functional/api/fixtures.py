"""Gabbi fixtures: the whole API road in this process, without Docker or a broker.

``APIFixture`` (named in every YAML file's ``fixtures:``) gives each file its
own service: a temporary ``state_path``, a SQLite database brought to the
newest schema by the migrations, oslo.messaging's in-process transport and a
real ``ConductorService`` (RPC server, worker pool, heartbeat and status sync
every second). Requests reach ``magnum.api.app.setup_app`` through gabbi's
WSGI transport, so a test exercises middleware, hooks, policy, controllers,
RPC, conductor and the ``fake`` driver exactly as ``magnum-all`` does.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from typing import Any

from cryptography.fernet import Fernet
from gabbi import fixture
from oslo_config import fixture as config_fixture

from magnum import conf, objects
from magnum.api import app
from magnum.common import policy, rpc
from magnum.conductor import rpcapi
from magnum.conductor import service as conductor_service
from tests.fixtures import database

CONDUCTOR_HOST = "gabbi-conductor"
# The project and user of requests without X-Project-Id / X-User-Id headers.
DEFAULT_PROJECT = "gabbi-project"
DEFAULT_USER = "gabbi-user"

_APP: Any = None


def _current_app(environ: dict, start_response: Any) -> Any:
    if _APP is None:
        raise RuntimeError("APIFixture is not started")
    return _APP(environ, start_response)


def setup_app() -> Any:
    """The app gabbi talks to: whichever file's fixture is running.

    Gabbi asks for it while collecting (before any fixture starts), so it
    gets a stand-in that forwards each request to the current app.
    """
    return _current_app


class APIFixture(fixture.GabbiFixture):
    def start_fixture(self) -> None:
        # Undone in reverse by stop_fixture, or at once if a step fails.
        self.cleanups = contextlib.ExitStack()
        try:
            self._start()
        except BaseException:
            self.stop_fixture()
            raise

    def _start(self) -> None:
        global _APP
        state_path = tempfile.mkdtemp(prefix="magnum-gabbi-")
        self.cleanups.callback(shutil.rmtree, state_path, ignore_errors=True)
        config = config_fixture.Config(conf.CONF)
        config.setUp()
        self.cleanups.callback(config.cleanUp)
        # Parsed with no files, so nothing on this machine changes the defaults.
        conf.CONF([], project="magnum", default_config_files=[])
        config.config(
            state_path=state_path,
            host=CONDUCTOR_HOST,
            auth_strategy="noauth",
            noauth_project_id=DEFAULT_PROJECT,
            noauth_user_id=DEFAULT_USER,
        )
        config.config(group="conductor", sync_interval=1, heartbeat_interval=1)
        # A split deployment's shared key for the private keys of bay CAs.
        config.config(group="certificates", encryption_key=Fernet.generate_key().decode())
        config.config(group="drivers", enabled_drivers=["local", "fake"])  # tests only
        url = f"sqlite:///{os.path.join(state_path, 'magnum.sqlite')}"
        config.config(group="database", connection=url)
        objects.register_all()
        # Runs magnum.db.migration.upgrade("head") on this file's database
        # and routes every session of the process to it.
        db = database.Database(url)
        db.setUp()
        self.cleanups.callback(db.cleanUp)
        policy.reset()
        self.cleanups.callback(policy.reset)
        rpcapi.reset_client()
        rpc.init(conf.CONF, url=rpc.IN_PROCESS_TRANSPORT_URL)
        self.cleanups.callback(rpc.cleanup)
        self.cleanups.callback(rpcapi.reset_client)
        conductor = conductor_service.ConductorService(conf.CONF)
        conductor.start()
        self.cleanups.callback(conductor.stop)
        _APP = app.setup_app(conf.CONF)

    def stop_fixture(self) -> None:
        global _APP
        _APP = None
        self.cleanups.close()
