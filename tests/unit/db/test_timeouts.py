"""A database that accepts TCP but never answers fails a connect in bounded time.

The "server" is a real listening socket that never speaks (what a frozen
mariadbd looks like to a client: the kernel completes the handshake, nothing
more); without ``[database] connect_timeout`` PyMySQL would wait forever and
this test would hang instead of failing.
"""

from __future__ import annotations

import socket

import pytest
import sqlalchemy
from oslo_db import exception as db_exc

import magnum.conf
from magnum.db.sqlalchemy import query  # noqa: F401 - installs the connect listeners


@pytest.fixture
def silent_server():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield server.getsockname()[1]
    server.close()


def test_a_silent_mysql_server_is_a_connection_error(silent_server):
    conf = magnum.conf.CONF
    conf.set_override("connect_timeout", 1, "database")
    conf.set_override("statement_timeout", 1, "database")
    engine = sqlalchemy.create_engine(f"mysql+pymysql://root@127.0.0.1:{silent_server}/magnum")
    try:
        with pytest.raises(db_exc.DBConnectionError, match="2013"), engine.connect():
            pass
    finally:
        conf.clear_override("connect_timeout", "database")
        conf.clear_override("statement_timeout", "database")


def test_postgresql_connections_get_a_statement_timeout():
    conf = magnum.conf.CONF
    engine = sqlalchemy.create_engine("postgresql+psycopg2://u@127.0.0.1:1/x")
    cparams: dict = {}
    engine.dialect.dispatch.do_connect(engine.dialect, None, [], cparams)
    assert cparams["connect_timeout"] == conf.database.connect_timeout
    assert f"statement_timeout={conf.database.statement_timeout * 1000}" in cparams["options"]
