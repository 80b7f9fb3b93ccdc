"""The driver contract: endpoints, capabilities and the operation handed to drivers."""

from __future__ import annotations

import pytest

from magnum.common import exception
from magnum.conductor import operations
from magnum.drivers import base
from magnum.drivers.fake import driver as fake_driver
from magnum.drivers.local import driver as local_driver


def test_pick_endpoint_finds_the_node_or_the_bay_api() -> None:
    bay = base.Endpoint("docker", "unix:///m.sock")
    node = base.Endpoint("docker", "unix:///n.sock", node="n0")
    assert base.pick_endpoint([bay, node], None) is bay
    assert base.pick_endpoint([bay, node], "n0") is node
    with pytest.raises(exception.ResourceNotFound):
        base.pick_endpoint([bay, node], "n1")


def test_capabilities_are_declared_not_discovered() -> None:
    assert base.IMAGE_COPY in local_driver.LocalDriver.capabilities
    assert base.IMAGE_COPY not in fake_driver.FakeDriver.capabilities
    fake = fake_driver.FakeDriver()
    with pytest.raises(exception.NotSupported):
        fake.ensure_image(None, None, "busybox")
    with pytest.raises(exception.NotSupported):
        fake.endpoints(None, None, "docker")
    with pytest.raises(exception.NotSupported):
        fake.rotate_ca(None, None, None)
    with pytest.raises(exception.NotSupported):
        fake.upgrade(None, None, None, None, 1)


def test_local_endpoints_are_docker_only() -> None:
    with pytest.raises(exception.NotSupported):
        local_driver.LocalDriver().endpoints(None, None, "kubernetes")


def test_the_no_op_and_the_conductor_operation_satisfy_the_protocol() -> None:
    class Task:
        class cluster:  # noqa: N801
            uuid = "u"

    for operation in (base.NO_OPERATION, operations.for_task(Task())):
        assert operation.pki is None
        operation.report("forming swarm", 2, 3)
        operation.check_cancelled()


def test_tls_material_repr_hides_the_key() -> None:
    material = base.TLSMaterial("CA", "CERT", "PRIVATE")
    assert "PRIVATE" not in repr(material)


def test_only_enabled_drivers_are_loaded(config) -> None:
    from magnum.drivers import registry

    assert set(registry.drivers()) == {"local"}  # the default: the fake driver is off
    with pytest.raises(exception.ClusterTypeNotSupported):
        registry.get_driver("fake", None, "swarm")
    config.config(group="drivers", enabled_drivers=["local", "fake", "no-such-driver"])
    assert set(registry.drivers()) == {"local", "fake"}  # an unknown name is logged, skipped
    assert registry.get_driver("fake", None, "swarm") is registry.drivers()["fake"]


def test_declarations_are_plain_data_of_the_enabled_drivers(config) -> None:
    import json

    from magnum.drivers import registry

    declared = registry.declarations()
    assert json.loads(json.dumps(declared)) == declared  # what the database column holds
    assert {(d["driver"], d["server_type"], d["coe"]) for d in declared} == {
        ("local", "local", "swarm"),
        ("local", "local", "swarm-mode"),
    }
    swarm = next(d for d in declared if d["coe"] == "swarm")
    assert swarm["network_drivers"] == ["docker", "flannel"]
    assert swarm["volume_drivers"] == ["rexray"]
    assert swarm["upgrade"] is False
    config.config(group="drivers", enabled_drivers=["fake"])
    assert {d["coe"] for d in registry.declarations()} == set(fake_driver.COES)
