"""A fresh, empty database per test on each backend magnum supports.

MariaDB and PostgreSQL are required: make_database raises when a server is
down, so these tests fail (they never skip) where CI forgot to start one.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from magnum.db.sqlalchemy import query
from tests.fixtures import database as db_fixtures

BACKENDS = ("sqlite", "mysql", "postgresql")


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'magnum.sqlite'}"
        return
    url = db_fixtures.make_database(request.param, drop_at_exit=False)
    try:
        yield url
    finally:
        db_fixtures.drop_database(url)


@pytest.fixture
def engine(empty_database_url: str) -> Iterator[object]:
    """magnum's sessions routed to the empty database."""
    engine = db_fixtures.create_engine(empty_database_url)
    undo = query.use_engine(engine)
    try:
        yield engine
    finally:
        undo()
        engine.dispose()
