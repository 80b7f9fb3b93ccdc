"""The authorization matrix both auth tiers run: Keystone tokens and noauth headers.

A :class:`Caller` is one identity talking HTTP to a deployment; under
Keystone it carries a real token, under noauth the X-Project-Id / X-User-Id /
X-Roles headers. :func:`build_world` makes, through the API, a private
template, a bay and a container in each of two projects and a public template of the
admin, and the ``check_*`` functions assert what each caller may see and do
on every route of templates, bays and containers, modern and legacy.
"""

from __future__ import annotations

import dataclasses
import os
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
import requests

LEGACY = "1.10"  # the last version with /v1/bays and /v1/baymodels
HTTP_TIMEOUT = 30
BAY_TIMEOUT = 60.0


@dataclasses.dataclass
class Caller:
    name: str
    url: str
    headers: dict[str, str]
    project_id: str
    roles: tuple[str, ...] = ()

    def request(
        self,
        method: str,
        path: str,
        version: str | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
    ) -> requests.Response:
        sent = {**self.headers, **(headers or {})}
        if version:
            sent["OpenStack-API-Version"] = f"container-infra {version}"
        return requests.request(
            method, self.url + path, headers=sent, json=json, timeout=HTTP_TIMEOUT
        )

    def ok(self, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        response = self.request(method, path, **kwargs)
        assert response.status_code == status, (
            f"{self.name}: {method} {path} -> {response.status_code} {response.text}"
        )
        return response.json() if response.content else None


@dataclasses.dataclass
class World:
    """What build_world made: uuids and names by owner ("a", "b", "public")."""

    templates: dict[str, dict[str, Any]]
    bays: dict[str, dict[str, Any]]
    containers: dict[str, dict[str, Any]]


def assert_error(response: requests.Response, status: int, code: str | None = None) -> dict:
    """An OpenStack error body with ``status`` (and symbolic ``code``)."""
    assert response.status_code == status, response.text
    error = response.json()["errors"][0]
    assert error["status"] == status
    assert error["request_id"] == response.headers["X-OpenStack-Request-Id"]
    assert error["title"] and error["detail"]
    if code is not None:
        assert error["code"] == code, error
    return error


# --- making things ---------------------------------------------------------------


def create_template(caller: Caller, prefix: str, **fields: Any) -> dict[str, Any]:
    body = {
        "name": f"{prefix}-{uuid.uuid4().hex[:6]}",
        "coe": "swarm",
        "server_type": "fake",
        "image_id": "fake-image",
        **fields,
    }
    return caller.ok("POST", "/v1/clustertemplates", status=201, json=body)


def create_bay(caller: Caller, template: str, prefix: str, **fields: Any) -> dict[str, Any]:
    body = {
        "name": f"{prefix}-{uuid.uuid4().hex[:6]}",
        "cluster_template_id": template,
        "node_count": 1,
        "master_count": 1,
        **fields,
    }
    created = caller.ok("POST", "/v1/clusters", status=202, json=body)
    return wait_for_bay(caller, created["uuid"], "CREATE_COMPLETE")


def create_container(caller: Caller, bay: str, prefix: str) -> dict[str, Any]:
    # On a fake bay the conductor cannot reach Docker: the row (what the
    # isolation checks need) exists whatever state the creation ends in.
    body = {"name": f"{prefix}-{uuid.uuid4().hex[:6]}", "bay_uuid": bay, "image": "busybox"}
    return caller.ok("POST", "/v1/containers", status=201, json=body, version=LEGACY)


def wait_for_bay(caller: Caller, ident: str, status: str) -> dict[str, Any]:
    deadline = time.monotonic() + BAY_TIMEOUT
    while True:
        bay = caller.ok("GET", f"/v1/clusters/{ident}")
        if bay["status"] == status:
            return bay
        assert "IN_PROGRESS" in bay["status"], bay
        assert time.monotonic() < deadline, f"bay {ident} still {bay['status']}"
        time.sleep(0.2)


def wait_gone(caller: Caller, ident: str) -> None:
    deadline = time.monotonic() + BAY_TIMEOUT
    while caller.request("GET", f"/v1/clusters/{ident}").status_code != 404:
        assert time.monotonic() < deadline, f"bay {ident} not deleted"
        time.sleep(0.2)


def build_world(callers: dict[str, Caller]) -> World:
    """Private template + bay per project (a, b), and the admin's public template."""
    templates = {
        "a": create_template(callers["a-member"], "tmpl-a"),
        "b": create_template(callers["b-member"], "tmpl-b"),
        "public": create_template(callers["admin"], "tmpl-public", public=True),
    }
    bays = {
        "a": create_bay(callers["a-member"], templates["a"]["uuid"], "bay-a"),
        "b": create_bay(callers["b-member"], templates["b"]["uuid"], "bay-b"),
    }
    containers = {
        owner: create_container(callers[f"{owner}-member"], bays[owner]["uuid"], f"ctr-{owner}")
        for owner in ("a", "b")
    }
    return World(templates, bays, containers)


# --- routes ----------------------------------------------------------------------

# (method, path, microversion, body) on one object; {id} is a uuid or a name.
TEMPLATE_ROUTES = [
    ("GET", "/v1/clustertemplates/{id}", None, None),
    (
        "PATCH",
        "/v1/clustertemplates/{id}",
        None,
        [{"op": "replace", "path": "/name", "value": "x"}],
    ),
    ("DELETE", "/v1/clustertemplates/{id}", None, None),
    ("GET", "/v1/baymodels/{id}", LEGACY, None),
    ("PATCH", "/v1/baymodels/{id}", LEGACY, [{"op": "replace", "path": "/name", "value": "x"}]),
    ("DELETE", "/v1/baymodels/{id}", LEGACY, None),
]
BAY_ROUTES = [
    ("GET", "/v1/clusters/{id}", None, None),
    ("PATCH", "/v1/clusters/{id}", None, [{"op": "replace", "path": "/node_count", "value": 2}]),
    ("DELETE", "/v1/clusters/{id}", None, None),
    ("GET", "/v1/clusters/{id}/nodes", None, None),
    ("POST", "/v1/clusters/{id}/actions/resize", "1.7", {"node_count": 2}),
    ("POST", "/v1/clusters/{id}/actions/upgrade", "1.8", "new-template"),
    ("GET", "/v1/bays/{id}", LEGACY, None),
    ("PATCH", "/v1/bays/{id}", LEGACY, [{"op": "replace", "path": "/node_count", "value": 2}]),
    ("DELETE", "/v1/bays/{id}", LEGACY, None),
]
CONTAINER_ROUTES = [
    ("GET", "/v1/containers/{id}", LEGACY, None),
    ("PATCH", "/v1/containers/{id}", LEGACY, [{"op": "replace", "path": "/name", "value": "x"}]),
    ("DELETE", "/v1/containers/{id}", LEGACY, None),
    *(
        ("PUT", f"/v1/containers/{{id}}/{action}", LEGACY, None)
        for action in ("start", "stop", "reboot", "pause", "unpause")
    ),
    ("GET", "/v1/containers/{id}/logs", LEGACY, None),
    ("PUT", "/v1/containers/{id}/execute?command=ls", LEGACY, None),
]
CONTAINER_LISTS = [
    ("/v1/containers", LEGACY, "containers"),
    ("/v1/containers/detail", LEGACY, "containers"),
]
TEMPLATE_LISTS = [
    ("/v1/clustertemplates", None, "clustertemplates"),
    ("/v1/clustertemplates/detail", None, "clustertemplates"),
    ("/v1/baymodels", LEGACY, "baymodels"),
    ("/v1/baymodels/detail", LEGACY, "baymodels"),
]
BAY_LISTS = [
    ("/v1/clusters", None, "clusters"),
    ("/v1/clusters/detail", None, "clusters"),
    ("/v1/bays", LEGACY, "bays"),
    ("/v1/bays/detail", LEGACY, "bays"),
]
MODERN_LISTS = [TEMPLATE_LISTS[0], TEMPLATE_LISTS[1], BAY_LISTS[0], BAY_LISTS[1]]


def listed(caller: Caller, path: str, version: str | None, key: str) -> set[str]:
    return {item["uuid"] for item in caller.ok("GET", path, version=version)[key]}


def _each_route(obj: dict[str, Any], routes: Iterable[tuple]) -> Iterable[tuple]:
    for method, path, version, body in routes:
        for ident in (obj["uuid"], obj["name"]):
            if method == "GET" or ident == obj["uuid"]:
                yield method, path.format(id=ident), version, body


# --- checks ----------------------------------------------------------------------


def check_isolation(
    intruder: Caller, templates: list[dict], bays: list[dict], containers: list[dict]
) -> int:
    """Another project's objects are 404 on every route and absent from every list.

    Returns the number of requests checked.
    """
    checked = 0
    objects = (
        [(t, TEMPLATE_ROUTES) for t in templates]
        + [(b, BAY_ROUTES) for b in bays]
        + [(c, CONTAINER_ROUTES) for c in containers]
    )
    for obj, routes in objects:
        for method, path, version, body in _each_route(obj, routes):
            response = intruder.request(method, path, version=version, json=body)
            assert response.status_code == 404, (
                f"{intruder.name}: {method} {path} -> {response.status_code} {response.text}"
            )
            assert_error(response, 404)
            checked += 1
    hidden = {o["uuid"] for o in templates + bays + containers}
    for path, version, key in TEMPLATE_LISTS + BAY_LISTS + CONTAINER_LISTS:
        assert not listed(intruder, path, version, key) & hidden, f"{intruder.name}: {path}"
        checked += 1
    return checked


def check_cannot_build_on(intruder: Caller, template: dict, bay: dict) -> None:
    """Another project's template or bay named in a body is "not found" (400)."""
    for path, version, body in (
        ("/v1/clusters", None, {"cluster_template_id": template["uuid"]}),
        ("/v1/bays", LEGACY, {"baymodel_id": template["uuid"], "name": "b"}),
        ("/v1/containers", LEGACY, {"bay_uuid": bay["uuid"], "image": "busybox"}),
    ):
        assert_error(intruder.request("POST", path, version=version, json=body), 400)


def check_reader_cannot_write(reader: Caller, template: dict, bay: dict, container: dict) -> None:
    """A reader of the owning project reads everything and changes nothing (403)."""
    forbidden = [
        ("POST", "/v1/clustertemplates", None, {"coe": "swarm", "image_id": "x"}),
        ("POST", "/v1/clusters", None, {"cluster_template_id": template["uuid"]}),
        ("POST", "/v1/baymodels", LEGACY, {"coe": "swarm", "image_id": "x", "keypair_id": "k"}),
        ("POST", "/v1/bays", LEGACY, {"baymodel_id": template["uuid"], "name": "b"}),
        ("POST", "/v1/containers", LEGACY, {"bay_uuid": bay["uuid"], "image": "busybox"}),
    ]
    for method, path, version, body in _each_route(template, TEMPLATE_ROUTES):
        if method != "GET":
            forbidden.append((method, path, version, body))
    for method, path, version, body in _each_route(bay, BAY_ROUTES):
        if method != "GET" and "upgrade" not in path:
            forbidden.append((method, path, version, body))
    for method, path, version, body in _each_route(container, CONTAINER_ROUTES):
        # Reading a container's output is a member's right too (it may hold secrets).
        if method != "GET" or path.endswith("/logs"):
            forbidden.append((method, path, version, body))
    for method, path, version, body in forbidden:
        response = reader.request(method, path, version=version, json=body)
        assert response.status_code == 403, (
            f"{reader.name}: {method} {path} -> {response.status_code} {response.text}"
        )
        assert_error(response, 403, "magnum.policy.forbidden")
    for method, path, version, _body in _each_route(template, TEMPLATE_ROUTES):
        if method == "GET":
            reader.ok(method, path, version=version)
    for method, path, version, _body in _each_route(bay, BAY_ROUTES):
        if method == "GET":
            reader.ok(method, path, version=version)
    reader.ok("GET", f"/v1/containers/{container['uuid']}", version=LEGACY)
    for path, version, _key in TEMPLATE_LISTS + BAY_LISTS + CONTAINER_LISTS:
        reader.ok("GET", path, version=version)


def check_admin_sees_every_project(admin: Caller, world: World, own: str | None = None) -> None:
    """``own``: the key ("a", "b") of the admin's own project in ``world``, if any."""
    every_template = {t["uuid"] for t in world.templates.values()}
    every_bay = {b["uuid"] for b in world.bays.values()}
    for path, version, key in MODERN_LISTS:
        wanted = every_template if "template" in key else every_bay
        assert wanted <= listed(admin, path, version, key), path
    for owner in ("a", "b"):
        admin.ok("GET", f"/v1/clustertemplates/{world.templates[owner]['uuid']}")
        admin.ok("GET", f"/v1/clusters/{world.bays[owner]['uuid']}")
    # The legacy routes keep the legacy rule: an admin sees its own project only.
    foreign = [key for key in world.bays if key != own]
    foreign_bays = {world.bays[key]["uuid"] for key in foreign}
    assert not listed(admin, "/v1/bays", LEGACY, "bays") & foreign_bays
    for key in foreign:
        response = admin.request("GET", f"/v1/bays/{world.bays[key]['uuid']}", version=LEGACY)
        assert_error(response, 404)


def check_public_template(
    owner_admin: Caller, members: list[Caller], public: dict[str, Any]
) -> None:
    """Visible to every project, changeable by none but an admin."""
    for member in members:
        for path, version, key in TEMPLATE_LISTS:
            assert public["uuid"] in listed(member, path, version, key), (member.name, path)
        member.ok("GET", f"/v1/clustertemplates/{public['uuid']}")
        member.ok("GET", f"/v1/baymodels/{public['uuid']}", version=LEGACY)
        for method, body in (
            ("PATCH", [{"op": "replace", "path": "/name", "value": "x"}]),
            ("DELETE", None),
        ):
            response = member.request(method, f"/v1/clustertemplates/{public['uuid']}", json=body)
            assert_error(response, 403, "magnum.policy.forbidden")
        # Publishing or hiding is the admin's alone.
        response = member.request(
            "POST",
            "/v1/clustertemplates",
            json={"coe": "swarm", "image_id": "x", "server_type": "fake", "public": True},
        )
        assert_error(response, 403, "magnum.clustertemplate.publish_denied")
    own = create_template(members[0], "tmpl-own")
    for field in ("public", "hidden"):
        response = members[0].request(
            "PATCH",
            f"/v1/clustertemplates/{own['uuid']}",
            json=[{"op": "replace", "path": f"/{field}", "value": True}],
        )
        assert_error(response, 403, "magnum.clustertemplate.publish_denied")
    members[0].ok("DELETE", f"/v1/clustertemplates/{own['uuid']}", status=204)

    hide = [{"op": "replace", "path": "/hidden", "value": True}]
    owner_admin.ok("PATCH", f"/v1/clustertemplates/{public['uuid']}", json=hide)
    try:
        for member in members:
            assert public["uuid"] not in listed(
                member, "/v1/clustertemplates", None, "clustertemplates"
            )
            assert_error(member.request("GET", f"/v1/clustertemplates/{public['uuid']}"), 404)
        assert public["uuid"] in listed(
            owner_admin, "/v1/clustertemplates", None, "clustertemplates"
        )
    finally:
        unhide = [{"op": "replace", "path": "/hidden", "value": False}]
        owner_admin.ok("PATCH", f"/v1/clustertemplates/{public['uuid']}", json=unhide)


def check_mservices_admin_only(admin: Caller, others: list[Caller]) -> None:
    admin.ok("GET", "/v1/mservices")
    for caller in others:
        assert_error(caller.request("GET", "/v1/mservices"), 403, "magnum.policy.forbidden")


def rewrite(path: Path, text: str) -> None:
    """Write ``text`` with a newer mtime: oslo.policy reloads on a changed mtime,
    and two writes within one kernel clock tick would share one."""
    old = path.stat().st_mtime if path.exists() else 0.0
    path.write_text(text)
    newer = max(time.time(), old + 1)
    os.utime(path, (newer, newer))


def check_policy_override(policy_file: Path, member: Caller) -> None:
    """An operator's policy.yaml takes effect without a restart, and goes away."""

    def write(text: str) -> None:
        rewrite(policy_file, text)

    path = "/v1/clustertemplates"
    member.ok("GET", path)
    write('"clustertemplate:get_all": "rule:context_is_admin"\n')
    try:
        _eventually(lambda: member.request("GET", path).status_code == 403, "override applied")
        assert_error(member.request("GET", path), 403, "magnum.policy.forbidden")
    finally:
        write("{}\n")
    _eventually(lambda: member.request("GET", path).status_code == 200, "override removed")


def _eventually(condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    # Each API worker re-reads the file on its next check; a few requests
    # reach every worker.
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not {what} after {timeout} s"
        time.sleep(0.1)


class IsolationMatrix:
    """The isolation tests both auth strategies must pass.

    Test modules subclass it as ``Test...``; the ``callers`` and ``world``
    fixtures of each module decide whether the callers hold Keystone tokens
    or noauth headers.
    """

    def test_reader_reads_but_cannot_create_change_or_delete(
        self, callers: dict[str, Caller], world: World
    ) -> None:
        for owner in ("a", "b"):
            check_reader_cannot_write(
                callers[f"{owner}-reader"],
                world.templates[owner],
                world.bays[owner],
                world.containers[owner],
            )

    @pytest.mark.parametrize(("intruder", "owner"), [("a", "b"), ("b", "a")])
    @pytest.mark.parametrize("persona", ["member", "reader"])
    def test_a_project_never_sees_another_projects_objects(
        self, callers: dict[str, Caller], world: World, intruder, owner, persona
    ) -> None:
        checked = check_isolation(
            callers[f"{intruder}-{persona}"],
            [world.templates[owner]],
            [world.bays[owner]],
            [world.containers[owner]],
        )
        assert checked >= 41  # 31 object routes + 10 lists

    def test_a_project_cannot_build_on_another_projects_objects(
        self, callers: dict[str, Caller], world: World
    ) -> None:
        check_cannot_build_on(callers["a-member"], world.templates["b"], world.bays["b"])

    @pytest.mark.parametrize("admin", ["admin", "a-admin"])
    def test_admin_lists_every_project(
        self, callers: dict[str, Caller], world: World, admin: str
    ) -> None:
        own = admin[0] if admin != "admin" else None
        check_admin_sees_every_project(callers[admin], world, own)

    def test_public_template_is_shared_and_only_admins_publish(
        self, callers: dict[str, Caller], world: World
    ) -> None:
        check_public_template(
            callers["admin"], [callers["a-member"], callers["b-member"]], world.templates["public"]
        )
