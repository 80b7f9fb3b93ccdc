"""The same authorization matrix on magnum-all with ``auth_strategy = noauth``.

Under noauth the caller names itself with X-Project-Id, X-User-Id and
X-Roles (embedded mode only); policy and project isolation apply exactly as
under Keystone. Roles are sent as Keystone would expand them (member implies
reader, admin implies both). What needs a token (401s, trusts) does not apply.
"""

from __future__ import annotations

import pytest
import requests

from tests.functional.auth import matrix
from tests.functional.auth.conftest import AuthDeployment

ROLES = {"member": "member,reader", "reader": "reader", "admin": "admin,member,reader"}


def caller(url: str, project: str, persona: str) -> matrix.Caller:
    headers = {
        "X-Project-Id": project,
        "X-User-Id": f"{project}-{persona}",
        "X-Roles": ROLES[persona],
    }
    return matrix.Caller(f"{project}-{persona}", url, headers, project)


@pytest.fixture(scope="module")
def callers(noauth_deployment: AuthDeployment) -> dict[str, matrix.Caller]:
    made = {
        f"{project}-{persona}": caller(noauth_deployment.url, project, persona)
        for project in ("a", "b")
        for persona in ROLES
    }
    made["admin"] = caller(noauth_deployment.url, "admin", "admin")
    return made


@pytest.fixture(scope="module")
def world(callers: dict[str, matrix.Caller]) -> matrix.World:
    return matrix.build_world(callers)


def test_no_headers_means_the_configured_noauth_project_as_admin(
    noauth_deployment: AuthDeployment, world: matrix.World
) -> None:
    # [DEFAULT] noauth_project_id / noauth_user_id default to "admin", with
    # the admin role: the single-project embedded mode.
    plain = matrix.Caller("no-headers", noauth_deployment.url, {}, "admin")
    assert world.templates["public"]["uuid"] in matrix.listed(
        plain, "/v1/clustertemplates", None, "clustertemplates"
    )
    plain.ok("GET", "/v1/mservices")


def test_a_token_is_neither_needed_nor_checked(noauth_deployment: AuthDeployment) -> None:
    response = requests.get(
        noauth_deployment.url + "/v1/clustertemplates",
        headers={"X-Auth-Token": "garbage"},
        timeout=10,
    )
    assert response.status_code == 200


class TestIsolation(matrix.IsolationMatrix):
    """The shared matrix with noauth identity headers."""


def test_mservices_is_for_admins(callers: dict[str, matrix.Caller]) -> None:
    matrix.check_mservices_admin_only(
        callers["admin"], [callers["a-member"], callers["a-reader"], callers["b-member"]]
    )


def test_policy_file_overrides_apply_without_restart(
    callers: dict[str, matrix.Caller], noauth_deployment: AuthDeployment
) -> None:
    matrix.check_policy_override(noauth_deployment.policy_file, callers["a-member"])
