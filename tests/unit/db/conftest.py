from __future__ import annotations

import pytest

from magnum.common import context
from magnum.db import api as db_api
from tests.fixtures.database import database  # noqa: F401  (pytest fixture)
from tests.unit.db import utils


@pytest.fixture
def dbapi(database):  # noqa: F811
    return db_api.get_instance()


@pytest.fixture
def ctx() -> context.RequestContext:
    return context.RequestContext(project_id=utils.PROJECT, user_id=utils.USER)


@pytest.fixture
def other_ctx() -> context.RequestContext:
    return context.RequestContext(project_id="project-b", user_id="user-b")


@pytest.fixture
def admin_ctx() -> context.RequestContext:
    return context.RequestContext(project_id="admin-project", user_id="admin", is_admin=True)
