"""Configuration for the driver unit tests: every override is undone after each test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from oslo_config import fixture as config_fixture

from magnum import conf


@pytest.fixture
def config(tmp_path: Path) -> Iterator[config_fixture.Config]:
    fixture = config_fixture.Config(conf.CONF)
    fixture.setUp()
    fixture.config(state_path=str(tmp_path))
    yield fixture
    fixture.cleanUp()
