"""The local driver against the real Docker engine: real DinD nodes, a real swarm.

Nothing is mocked. The node image is built once per session under a tag of
its own (so the build itself is tested) and removed at the end. Every bay is
created through ``make_bay``, whose finalizer removes whatever still carries
the bay's label, so a failing test leaves nothing behind either. Bays stay
small (at most five nodes); the whole module runs in well under a minute.
"""

from __future__ import annotations

import dataclasses
import io
import ipaddress
import os
import shutil
import tarfile
import tempfile
import time
import types
import uuid
from collections.abc import Callable, Iterator

import docker
import pytest
from oslo_config import fixture as config_fixture

from magnum import conf
from magnum.coe import docker_clients
from magnum.common import exception, states
from magnum.drivers.local import driver, image, image_copy, layout, network, nodes
from tests.fixtures.docker import API_VERSION, remove_labelled

CONF = conf.CONF
NS = types.SimpleNamespace
TEST_LABEL = "magnum.test"
# Generous bounds: they catch a driver gone wrong, not a busy machine.
CREATE_BOUND = 30.0


@dataclasses.dataclass
class Session:
    state_path: str
    node_image: str
    build_seconds: float


@pytest.fixture(scope="session")
def session(docker_host: docker.DockerClient) -> Iterator[Session]:
    # Short on purpose: node socket paths must fit in 107 bytes.
    state_path = tempfile.mkdtemp(prefix="mgl-", dir="/tmp")
    tag = f"magnum/local-node-test:{uuid.uuid4().hex[:8]}"
    with _overrides(state_path, tag):
        started = time.monotonic()
        image.ensure_node_image(docker_host, tag)
        built = time.monotonic() - started
    yield Session(state_path, tag, built)
    docker_host.api.remove_image(tag, force=True)
    shutil.rmtree(state_path, ignore_errors=True)


class _overrides:
    """Point [local] at the test session; undone on exit."""

    def __init__(self, state_path: str, tag: str, **local: object) -> None:
        self.fixture = config_fixture.Config(CONF)
        self.values = (state_path, tag, local)

    def __enter__(self) -> config_fixture.Config:
        state_path, tag, local = self.values
        self.fixture.setUp()
        self.fixture.config(state_path=state_path)
        self.fixture.config(node_image=tag, node_ready_timeout=60, group="local", **local)
        return self.fixture

    def __exit__(self, *exc: object) -> None:
        self.fixture.cleanUp()


@pytest.fixture
def local_conf(session: Session) -> Iterator[config_fixture.Config]:
    with _overrides(session.state_path, session.node_image) as fixture:
        yield fixture


@pytest.fixture
def local(local_conf: config_fixture.Config) -> driver.LocalDriver:
    return driver.LocalDriver()


def ng(name: str, role: str, count: int, labels: dict | None = None) -> NS:
    return NS(name=name, role=role, node_count=count, node_labels=labels)


@pytest.fixture
def make_bay(docker_host: docker.DockerClient, local_conf) -> Iterator[Callable[..., NS]]:
    made = []

    def make(*nodegroups: NS) -> NS:
        bay = NS(uuid=str(uuid.uuid4()), name="bay", labels=None, nodegroups=list(nodegroups))
        made.append(bay)
        return bay

    yield make
    for bay in made:
        remove_labelled(docker_host, f"{layout.LABEL_CLUSTER}={bay.uuid}")
        shutil.rmtree(layout.bay_dir(CONF.local.state_dir, bay.uuid), ignore_errors=True)


TEMPLATE = NS(coe="swarm-mode", server_type="local", labels=None)


def client_at(address: str) -> docker.DockerClient:
    return docker.DockerClient(base_url=address, version=API_VERSION, timeout=30)


def swarm_nodes(local: driver.LocalDriver, bay: NS) -> dict[str, dict]:
    manager = docker_clients.node_client(local, None, bay, None)
    try:
        return {n["Description"]["Hostname"]: n for n in manager.api.nodes()}
    finally:
        manager.close()


def leftovers(host: docker.DockerClient, bay: NS) -> list[str]:
    found = {"label": f"{layout.LABEL_CLUSTER}={bay.uuid}"}
    return (
        [c["Names"][0] for c in host.api.containers(all=True, filters=found)]
        + [v["Name"] for v in host.api.volumes(filters=found).get("Volumes") or []]
        + [n["Name"] for n in host.api.networks(filters=found)]
    )


def names(bay: NS, nodegroup: str, *indices: int) -> set[str]:
    return {layout.NodeSpec(bay.uuid, nodegroup, "worker", i).name for i in indices}


def workers_of(local: driver.LocalDriver, bay: NS) -> set[str]:
    return {n.name for n in local.list_nodes(None, bay) if n.role == "worker"}


def test_node_image_is_built_from_the_host_binaries(session, docker_host):
    config = docker_host.api.inspect_image(session.node_image)["Config"]
    assert config["Entrypoint"][0] == "/usr/bin/docker-init"
    assert "/var/lib/docker" in config["Volumes"]
    assert config["Labels"][image.IMAGE_LABEL] == "slim"
    assert session.build_seconds < 120


def test_single_node_bay_lifecycle(local, make_bay, docker_host, session):
    bay = make_bay(ng("default-master", "master", 1))
    started = time.monotonic()
    result = local.create(None, bay, TEMPLATE, bay.nodegroups)
    assert time.monotonic() - started < CREATE_BOUND

    assert result.status == states.CREATE_COMPLETE
    assert result.node_counts == {"default-master": 1}
    assert len(result.master_addresses) == 1 and result.node_addresses == []
    assert result.coe_version and result.coe_version == result.container_version
    manager = client_at(result.api_address)
    try:
        assert manager.ping()
        info = manager.info()["Swarm"]
        assert (info["LocalNodeState"], info["ControlAvailable"], info["Nodes"]) == (
            "active",
            True,
            1,
        )
        dispatcher = manager.api.inspect_swarm()["Spec"]["Dispatcher"]
        assert dispatcher["HeartbeatPeriod"] == int(CONF.local.swarm_heartbeat * 1e9)
    finally:
        manager.close()

    [view] = local.list_nodes(None, bay)
    assert (view.role, view.nodegroup, view.status) == ("master", "default-master", "ready")
    assert view.address == result.master_addresses[0]
    assert local.sync_status(None, [bay])[bay.uuid].status == states.CREATE_COMPLETE

    # A conductor restart: a new driver instance finds everything by labels.
    gone = driver.LocalDriver().delete(None, bay)
    assert gone.gone and gone.status == states.DELETE_COMPLETE
    assert leftovers(docker_host, bay) == []
    assert not os.path.exists(layout.bay_dir(CONF.local.state_dir, bay.uuid))
    assert local.delete(None, bay).gone  # deleting again is fine
    assert local.sync_status(None, [bay])[bay.uuid].gone


@pytest.fixture
def busybox_image(docker_host: docker.DockerClient) -> Iterator[str]:
    """A tiny image on the host engine (busybox-static), removed afterwards."""
    tag = f"magnum-test/busybox:{uuid.uuid4().hex[:8]}"
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w") as tar:
        tar.add(os.path.realpath(shutil.which("busybox")), "bin/busybox")
        for applet in ("sh", "echo", "hostname"):
            link = tarfile.TarInfo(f"bin/{applet}")
            link.type, link.linkname = tarfile.SYMTYPE, "busybox"
            tar.addfile(link)
    data.seek(0)
    repository, version = tag.split(":")
    docker_host.api.import_image(
        src=data, repository=repository, tag=version, changes=[f"LABEL {TEST_LABEL}=1"]
    )
    yield tag
    docker_host.api.remove_image(tag, force=True)


def test_three_worker_bay_images_and_resize(local, make_bay, docker_host, busybox_image):
    bay = make_bay(
        ng("default-master", "master", 1), ng("default-worker", "worker", 3, {"disk": "ssd"})
    )
    worker_ng = bay.nodegroups[1]
    started = time.monotonic()
    result = local.create(None, bay, TEMPLATE, bay.nodegroups)
    assert time.monotonic() - started < CREATE_BOUND
    assert result.node_counts == {"default-master": 1, "default-worker": 3}
    assert len(result.node_addresses) == 3

    members = swarm_nodes(local, bay)
    assert set(members) == {v.name for v in local.list_nodes(None, bay)}
    roles = sorted(m["Spec"]["Role"] for m in members.values())
    assert roles == ["manager", "worker", "worker", "worker"]
    assert all(m["Status"]["State"] == "ready" for m in members.values())
    for hostname in names(bay, "default-worker", 0, 1, 2):
        assert members[hostname]["Spec"]["Labels"]["disk"] == "ssd"
        assert members[hostname]["Spec"]["Labels"]["magnum.nodegroup"] == "default-worker"

    # No registry: images reach the nodes from the host engine.
    local.ensure_image(None, bay, busybox_image)
    [worker] = names(bay, "default-worker", 1)
    node = docker_clients.node_client(local, None, bay, worker)
    try:
        out = node.containers.run(busybox_image, ["hostname"], remove=True)
        assert out.strip()  # the container ran on the worker's own engine
    finally:
        node.close()
    targets = [layout.NodeSpec(bay.uuid, "default-worker", "worker", 0)]
    again = image_copy.copy_image(docker_host, busybox_image, targets, CONF.local.state_dir, 4)
    assert again == []  # nodes holding the image are skipped
    with pytest.raises(exception.ResourceNotFound):
        local.ensure_image(None, bay, "magnum-test/absent:none")
    with pytest.raises(exception.ResourceNotFound):
        docker_clients.node_client(local, None, bay, "no-such-node")
    endpoints = local.endpoints(None, bay, "docker")
    assert [e.node for e in endpoints][:1] == [None]  # the bay's API first
    assert all(e.url.startswith("unix://") and e.tls is None for e in endpoints)

    # 3 -> 2: exactly the named node goes, from the swarm and from the host.
    [removed] = names(bay, "default-worker", 1)
    result = local.update(None, bay, TEMPLATE, worker_ng, 2, nodes_to_remove=[removed])
    assert result.status == states.UPDATE_COMPLETE
    assert workers_of(local, bay) == names(bay, "default-worker", 0, 2)
    assert removed not in swarm_nodes(local, bay) and len(swarm_nodes(local, bay)) == 3
    assert not [x for x in leftovers(docker_host, bay) if x.startswith(removed)]

    # 2 -> 4: the free indices are filled and the new nodes join.
    result = local.update(None, bay, TEMPLATE, worker_ng, 4)
    assert result.node_counts == {"default-master": 1, "default-worker": 4}
    assert workers_of(local, bay) == names(bay, "default-worker", 0, 1, 2, 3)
    members = swarm_nodes(local, bay)
    assert len(members) == 5 and all(m["Status"]["State"] == "ready" for m in members.values())

    # 4 -> 3 with no names: the highest index goes.
    local.update(None, bay, TEMPLATE, worker_ng, 3)
    assert workers_of(local, bay) == names(bay, "default-worker", 0, 1, 2)
    with pytest.raises(exception.Invalid):
        local.update(None, bay, TEMPLATE, bay.nodegroups[0], 0)

    assert local.delete(None, bay).gone
    assert leftovers(docker_host, bay) == []


def test_create_completes_a_partial_bay_and_delete_survives_hand_removal(
    local, make_bay, docker_host
):
    bay = make_bay(
        ng("default-master", "master", 1),
        ng("default-worker", "worker", 1),
        ng("small", "worker", 1, {"size": "s"}),
    )
    local.create(None, bay, TEMPLATE, bay.nodegroups)
    [lost] = names(bay, "default-worker", 0)
    docker_host.api.remove_container(lost, force=True)  # a partial create, or a crash

    report = local.sync_status(None, [bay])[bay.uuid]
    assert report.status == states.CREATE_IN_PROGRESS
    assert "default-worker has 0 of 1" in report.reason

    result = local.create(None, bay, TEMPLATE, bay.nodegroups)
    assert result.status == states.CREATE_COMPLETE
    assert result.node_counts == {"default-master": 1, "default-worker": 1, "small": 1}
    members = swarm_nodes(local, bay)
    assert len(members) == 3  # the lost node's stale entry was removed
    assert all(m["Status"]["State"] == "ready" for m in members.values())
    [small] = names(bay, "small", 0)
    assert members[small]["Spec"]["Labels"]["size"] == "s"

    for summary in docker_host.api.containers(
        all=True, filters={"label": f"magnum.cluster={bay.uuid}"}
    ):
        docker_host.api.remove_container(summary["Id"], force=True)
    assert local.delete(None, bay).gone
    assert leftovers(docker_host, bay) == []


def test_unreachable_engine_is_a_clear_driver_error(local, local_conf, make_bay, session):
    local_conf.config(docker_url=f"unix://{session.state_path}/dead.sock", group="local")
    bay = make_bay(ng("default-master", "master", 1))
    with pytest.raises(
        exception.DriverError,
        match=r"does not answer: the Docker API cannot be reached \(No such file",
    ):
        local.create(None, bay, TEMPLATE, bay.nodegroups)
    with pytest.raises(exception.DriverError, match="does not answer"):
        local.delete(None, bay)
    with pytest.raises(exception.DriverError, match="cannot be reached"):
        local.sync_status(None, [bay])


def test_privileged_start_falls_back_to_caps_where_the_host_refuses(
    local_conf, make_bay, docker_host
):
    bay = make_bay()
    bay_network = network.ensure_network(docker_host, bay.uuid, CONF.local.subnet_pool)
    spec = layout.NodeSpec(bay.uuid, "default-master", "master", 0)
    address, used = nodes.start_node(
        docker_host, spec, CONF.local.node_image, bay_network, CONF.local.state_dir, "privileged"
    )
    # This project's VMs lack CAP_SYS_RESOURCE: there the engine refuses and
    # the node runs in caps mode; on a host granting everything it stays privileged.
    assert used == nodes.predict_security("auto", nodes.missing_capabilities())
    assert ipaddress.ip_address(address) in ipaddress.ip_network(CONF.local.subnet_pool)
    nodes.wait_for_api(docker_host, spec, CONF.local.state_dir, 60).close()


def test_explicit_privileged_is_kept_or_refused_with_what_to_set(local, local_conf, make_bay):
    local_conf.config(node_security="privileged", group="local")
    bay = make_bay(ng("default-master", "master", 1))
    if nodes.missing_capabilities():  # this project's VMs
        with pytest.raises(exception.DriverError, match=r"node_security to auto or caps"):
            local.create(None, bay, TEMPLATE, bay.nodegroups)
    else:
        assert local.create(None, bay, TEMPLATE, bay.nodegroups).status == states.CREATE_COMPLETE
    assert local.delete(None, bay).gone
