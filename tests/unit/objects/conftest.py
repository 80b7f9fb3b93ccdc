from __future__ import annotations

import pytest

from magnum import objects
from magnum.common import context
from tests.fixtures.database import database  # noqa: F401  (pytest fixture)

PROJECT = "project-a"


@pytest.fixture
def ctx(database):  # noqa: F811
    objects.register_all()
    return context.RequestContext(project_id=PROJECT, user_id="user-a")
