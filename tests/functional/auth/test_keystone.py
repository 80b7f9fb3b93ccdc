"""magnum-api + magnum-conductor behind a real Keystone, driven with real tokens.

Keystone (tests/fixtures/keystone.py) has projects magnum-a and magnum-b
with a member, a reader and an admin each, plus the cloud admin of project
``admin``. Bays use the ``fake`` driver, so no Docker is needed; the API and
conductor are separate processes on RabbitMQ and MariaDB, so the caller's
context (and token) really crosses RPC.
"""

from __future__ import annotations

import time

import pymysql
import pytest
import requests
from keystoneauth1 import session as ks_session
from magnumclient import client as magnum_client
from magnumclient import exceptions as magnum_exc
from openstack import connection
from sqlalchemy.engine import make_url

from tests.fixtures import keystone as keystone_fixture
from tests.functional.auth import matrix
from tests.functional.auth.conftest import AuthDeployment

PERSONAS = ("a-member", "a-reader", "a-admin", "b-member", "b-reader", "b-admin", "admin")


@pytest.fixture(scope="module")
def callers(
    keystone: keystone_fixture.Keystone, keystone_deployment: AuthDeployment
) -> dict[str, matrix.Caller]:
    made = {}
    for name in PERSONAS:
        user = keystone.users[name]
        made[name] = matrix.Caller(
            name=name,
            url=keystone_deployment.url,
            headers={"X-Auth-Token": keystone.token(name)},
            project_id=user.project_id or "",
        )
    return made


@pytest.fixture(scope="module")
def world(callers: dict[str, matrix.Caller]) -> matrix.World:
    return matrix.build_world(callers)


def anonymous(deployment: AuthDeployment, token: str | None = None) -> matrix.Caller:
    headers = {"X-Auth-Token": token} if token else {}
    return matrix.Caller("anonymous", deployment.url, headers, "")


def assert_401(response: requests.Response, keystone: keystone_fixture.Keystone) -> None:
    matrix.assert_error(response, 401)
    assert response.headers["WWW-Authenticate"] == f'Keystone uri="{keystone.url}"'


# --- authentication -----------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/v1", "/v1/", "/healthcheck"])
def test_version_discovery_and_health_are_public(
    keystone_deployment: AuthDeployment, path: str
) -> None:
    assert requests.get(keystone_deployment.url + path, timeout=10).status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/clustertemplates"),
        ("GET", "/v1/clusters/detail"),
        ("POST", "/v1/clusters"),
        ("DELETE", "/v1/bays/00000000-0000-0000-0000-000000000000"),
        ("GET", "/v1/mservices"),
        ("GET", "/v1/no-such-thing"),
    ],
)
def test_missing_token_is_401(
    keystone: keystone_fixture.Keystone, keystone_deployment: AuthDeployment, method, path
) -> None:
    assert_401(anonymous(keystone_deployment).request(method, path), keystone)


def test_garbage_token_is_401(
    keystone: keystone_fixture.Keystone, keystone_deployment: AuthDeployment
) -> None:
    caller = anonymous(keystone_deployment, "gAAAAABnot-a-real-token")
    assert_401(caller.request("GET", "/v1/clustertemplates"), keystone)


def test_token_of_a_disabled_user_is_401(
    keystone: keystone_fixture.Keystone, keystone_deployment: AuthDeployment
) -> None:
    token = keystone.token("disabled-user")
    keystone.set_enabled("disabled-user", False)
    try:
        caller = anonymous(keystone_deployment, token)
        assert_401(caller.request("GET", "/v1/clustertemplates"), keystone)
    finally:
        keystone.set_enabled("disabled-user", True)


def test_expired_token_is_401_not_500(
    keystone: keystone_fixture.Keystone, keystone_deployment: AuthDeployment
) -> None:
    token, expires = keystone.short_lived_token("a-member", "a-reader", seconds=4)
    caller = anonymous(keystone_deployment, token)
    # Valid first, so the middleware caches it: expiry must win over the cache.
    caller.ok("GET", "/v1/clustertemplates")
    time.sleep(max(0.0, expires - time.time()) + 1.5)
    assert_401(caller.request("GET", "/v1/clustertemplates"), keystone)


# --- authorization and isolation -------------------------------------------------------


class TestIsolation(matrix.IsolationMatrix):
    """The shared matrix with real Keystone tokens."""

    def test_a_reader_of_another_project_sees_the_public_template(
        self, callers: dict[str, matrix.Caller], world: matrix.World
    ) -> None:
        public = world.templates["public"]["uuid"]
        callers["a-reader"].ok("GET", f"/v1/clustertemplates/{public}")


def test_mservices_is_for_admins(callers: dict[str, matrix.Caller]) -> None:
    matrix.check_mservices_admin_only(
        callers["admin"], [callers["a-member"], callers["a-reader"], callers["b-member"]]
    )


def test_policy_file_overrides_apply_without_restart(
    callers: dict[str, matrix.Caller], keystone_deployment: AuthDeployment
) -> None:
    matrix.check_policy_override(keystone_deployment.policy_file, callers["a-member"])


# --- the clients users run ----------------------------------------------------------


def magnumclient_for(keystone: keystone_fixture.Keystone, user: str):
    # The endpoint comes from the real catalog (container-infra, public).
    return magnum_client.Client("1", session=keystone.session(user))


def test_magnumclient_with_a_keystone_session(
    keystone: keystone_fixture.Keystone, world: matrix.World
) -> None:
    a_member = magnumclient_for(keystone, "a-member")
    seen = {t.uuid for t in a_member.cluster_templates.list()}
    assert world.templates["a"]["uuid"] in seen
    assert world.templates["public"]["uuid"] in seen
    assert world.templates["b"]["uuid"] not in seen
    assert a_member.clusters.get(world.bays["a"]["uuid"]).status == "CREATE_COMPLETE"
    with pytest.raises(magnum_exc.NotFound):
        a_member.clusters.get(world.bays["b"]["uuid"])
    with pytest.raises(magnum_exc.NotFound):
        a_member.cluster_templates.delete(world.templates["b"]["uuid"])

    b_reader = magnumclient_for(keystone, "b-reader")
    with pytest.raises(magnum_exc.Forbidden):
        b_reader.cluster_templates.create(coe="swarm", image_id="x", server_type="fake")
    with pytest.raises(magnum_exc.Forbidden):
        b_reader.clusters.delete(world.bays["b"]["uuid"])
    assert {c.uuid for c in b_reader.clusters.list()} == {world.bays["b"]["uuid"]}


def test_openstacksdk_with_a_keystone_session(
    keystone: keystone_fixture.Keystone, world: matrix.World
) -> None:
    admin = connection.Connection(session=keystone.session("admin"), region_name="RegionOne")
    clusters = {c.id for c in admin.container_infrastructure_management.clusters()}
    assert {world.bays["a"]["uuid"], world.bays["b"]["uuid"]} <= clusters
    member = connection.Connection(session=keystone.session("b-member"), region_name="RegionOne")
    templates = {t.id for t in member.container_infrastructure_management.cluster_templates()}
    assert world.templates["b"]["uuid"] in templates
    assert world.templates["a"]["uuid"] not in templates


# --- trusts: the conductor acting for the bay's owner ------------------------------------


def _trustee_password(deployment: AuthDeployment, bay: str) -> str | None:
    url = make_url(deployment.database_url)
    db = pymysql.connect(
        host=url.host, port=url.port or 3306, user=url.username, database=url.database
    )
    with db, db.cursor() as cursor:
        cursor.execute("SELECT trustee_password, trust_id FROM cluster WHERE uuid = %s", (bay,))
        row = cursor.fetchone()
    return row[0] if row else None


def test_trust_is_made_for_a_bay_that_needs_one_and_deleted_with_it(
    keystone: keystone_fixture.Keystone,
    keystone_deployment: AuthDeployment,
    callers: dict[str, matrix.Caller],
    world: matrix.World,
) -> None:
    member = callers["a-member"]
    before = {t["id"] for t in keystone.trusts_of("a-member")}
    bay = matrix.create_bay(
        member, world.templates["a"]["uuid"], "bay-trust", labels={"fake_trust": "yes"}
    )
    keystone_fixture.record_secret(_trustee_password(keystone_deployment, bay["uuid"]))

    (trust,) = [t for t in keystone.trusts_of("a-member") if t["id"] not in before]
    assert trust["project_id"] == keystone.users["a-member"].project_id
    assert trust["impersonation"] is True
    trustee = keystone.call("GET", f"/users/{trust['trustee_user_id']}")["user"]
    assert trustee["domain_id"] == keystone.trustee_domain_id
    assert trustee["name"].startswith(bay["uuid"])
    shown = member.ok("GET", f"/v1/clusters/{bay['uuid']}")
    assert not {"trust_id", "trustee_password", "trustee_user_id"} & set(shown)

    # Rotation (1.12): a new trustee and trust replace the old pair in Keystone.
    rotated = member.ok("PATCH", f"/v1/credentials/{bay['uuid']}", status=202, version="1.12")
    assert rotated == {"uuid": bay["uuid"]}
    keystone_fixture.record_secret(_trustee_password(keystone_deployment, bay["uuid"]))
    (new_trust,) = [t for t in keystone.trusts_of("a-member") if t["id"] not in before]
    assert new_trust["id"] != trust["id"]
    assert new_trust["trustee_user_id"] != trust["trustee_user_id"]
    assert not keystone.user_exists(trust["trustee_user_id"])
    assert keystone.user_exists(new_trust["trustee_user_id"])
    member.ok("PATCH", f"/v1/credentials/{bay['uuid']}", status=406, version="1.11")

    member.ok("DELETE", f"/v1/clusters/{bay['uuid']}", status=204)
    matrix.wait_gone(member, bay["uuid"])
    assert new_trust["id"] not in {t["id"] for t in keystone.trusts_of("a-member")}
    assert not keystone.user_exists(new_trust["trustee_user_id"])


def test_a_bay_without_a_trust_need_touches_no_trust(
    keystone: keystone_fixture.Keystone, callers: dict[str, matrix.Caller], world: matrix.World
) -> None:
    assert keystone.trusts_of("b-member") == []
    assert world.bays["b"]["status"] == "CREATE_COMPLETE"
    refused = callers["b-member"].request(
        "PATCH", f"/v1/credentials/{world.bays['b']['uuid']}", version="1.12"
    )
    matrix.assert_error(refused, 400)


def test_keystone_session_reaches_the_api_through_the_catalog(
    keystone: keystone_fixture.Keystone,
) -> None:
    sess: ks_session.Session = keystone.session("a-reader")
    response = sess.get(
        "/clustertemplates",
        endpoint_filter={"service_type": "container-infra", "interface": "public"},
    )
    assert response.status_code == 200
