"""Run the YAML files of ``gabbits/`` as pytest tests, one per request.

Each file is a gabbi suite whose fixtures (``fixtures.APIFixture``: database,
conductor, app) start before its first test and stop after its last; a test
run alone (``-k``) first runs the tests before it in its file, as gabbi does.

NOTE: gabbi's own pytest hook-up (``driver.py_test_generator``) installs a
collection plugin that takes every test id containing ``:`` for a gabbi test
and breaks the collection of unrelated parametrized tests in the same run;
the few lines below do the same job without a plugin.
"""

from __future__ import annotations

import os
import unittest

import pytest
from gabbi import driver, suite

from tests.functional.api import fixtures

TESTS_DIR = os.path.join(os.path.dirname(__file__), "gabbits")

SUITES: list[suite.GabbiSuite] = list(
    driver.build_tests(
        TESTS_DIR,
        unittest.TestLoader(),
        intercept=fixtures.setup_app,
        fixture_module=fixtures,
        test_loader_name="magnum",
    )
)
CASES = [(file_suite, case) for file_suite in SUITES for case in file_suite]


@pytest.fixture(scope="module")
def running() -> dict:
    """The suite whose fixtures are up; it is stopped when the next one starts."""
    current: dict = {"suite": None}
    yield current
    if current["suite"] is not None:
        current["suite"].stop()


def _enter(running: dict, file_suite: suite.GabbiSuite) -> None:
    if running["suite"] is file_suite:
        return
    if running["suite"] is not None:
        previous, running["suite"] = running["suite"], None
        previous.stop()
    file_suite.start(unittest.TestResult())
    running["suite"] = file_suite


@pytest.mark.parametrize(
    ("file_suite", "case"), CASES, ids=[type(case).__name__ for _, case in CASES]
)
def test_gabbi(running: dict, file_suite: suite.GabbiSuite, case: unittest.TestCase) -> None:
    _enter(running, file_suite)
    result = unittest.TestResult()
    case.run(result)
    problems = result.errors + result.failures
    if problems:
        pytest.fail("\n".join(text for _, text in problems), pytrace=False)
    if result.skipped:
        pytest.skip(result.skipped[0][1])
