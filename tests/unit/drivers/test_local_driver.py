"""The local driver's checks and plans that need no Docker engine.

Everything that talks to Docker is covered by
``tests/functional/drivers/test_local.py`` against the real engine.
"""

from __future__ import annotations

import types

import docker.errors
import pytest
import requests.exceptions

from magnum.common import exception
from magnum.drivers import base
from magnum.drivers.local import driver, engine, image, layout, reconcile

UUID = "1b27faa2-5d19-45d5-a115-d30fb0ca82b8"
NS = types.SimpleNamespace


def ng(name, role, count, labels=None):
    return NS(name=name, role=role, node_count=count, node_labels=labels)


def node(nodegroup, role, index, state="running"):
    return layout.NodeContainer(layout.NodeSpec(UUID, nodegroup, role, index), "id", state, "ip")


@pytest.fixture
def dead_engine(config, tmp_path):
    # Validation must fail before any engine call: a dead engine proves it.
    config.config(docker_url=f"unix://{tmp_path}/none.sock", group="local")
    return driver.LocalDriver()


def test_provides_swarm_and_swarm_mode():
    assert set(driver.LocalDriver().provides) == {
        base.ClusterType("local", "*", "swarm"),
        base.ClusterType("local", "*", "swarm-mode"),
    }


def test_driver_is_synchronous():
    assert driver.LocalDriver.synchronous is True


class TestValidation:
    def test_create_without_a_master_is_invalid(self, dead_engine):
        with pytest.raises(exception.Invalid, match="master"):
            dead_engine.create(None, NS(uuid=UUID), None, [ng("w", "worker", 2)])

    @pytest.mark.parametrize("count", [0, -1])
    def test_master_nodegroup_never_shrinks_below_one(self, dead_engine, count):
        with pytest.raises(exception.Invalid, match="at least one"):
            dead_engine.update(None, NS(uuid=UUID), None, ng("m", "master", 1), count)

    def test_negative_worker_count_is_invalid(self, dead_engine):
        with pytest.raises(exception.Invalid):
            dead_engine.update(None, NS(uuid=UUID), None, ng("w", "worker", 1), -1)

    def test_dead_engine_is_a_clear_driver_error(self, dead_engine):
        unreachable = "does not answer: the Docker API cannot be reached"
        with pytest.raises(exception.DriverError, match=unreachable):
            dead_engine.create(None, NS(uuid=UUID), None, [ng("m", "master", 1)])


class TestGroupsAndPlans:
    def test_group_target_roles_and_swarm_labels(self):
        group = reconcile.GroupTarget.of(ng("gpu", "custom", 2, {"disk": "ssd", "n": 1}))
        assert (group.role, group.count) == ("worker", 2)
        assert group.labels == {
            "disk": "ssd",
            "n": "1",
            "magnum.nodegroup": "gpu",
            "magnum.role": "worker",
        }
        assert reconcile.GroupTarget.of(ng("m", "master", 1), count=3).count == 3

    def test_plan_replaces_a_dead_node_under_its_name(self):
        group = reconcile.GroupTarget.of(ng("w", "worker", 3))
        mine = [node("w", "worker", 0, "exited"), node("w", "worker", 1), node("w", "worker", 2)]
        plan = reconcile.Plan(UUID)
        plan.resize(group, mine)
        assert [n.spec.index for n in plan.keep] == [1, 2]
        assert [n.spec.index for n in plan.victims] == [0]
        assert [s.name for s in plan.add] == [f"magnum-{UUID[:8]}-w-0"]
        assert plan.labels["w"]["magnum.nodegroup"] == "w"

    def test_other_nodegroups_are_kept_only_when_running(self):
        plan = reconcile.Plan(UUID)
        plan.leave_alone([node("m", "master", 0), node("x", "worker", 0, "exited")])
        assert [s.name for s in plan.specs()] == [f"magnum-{UUID[:8]}-m-0"]

    def test_named_nodes_must_belong_to_the_nodegroup(self):
        group = reconcile.GroupTarget.of(ng("w", "worker", 1))
        current = [node("w", "worker", 0), node("w", "worker", 3), node("m", "master", 0)]
        prefix = f"magnum-{UUID[:8]}"
        assert driver._named_indices(current, group, [f"{prefix}-w-3", "gone"]) == [3]
        with pytest.raises(exception.Invalid, match="not in nodegroup w"):
            driver._named_indices(current, group, [f"{prefix}-m-0"])


class TestEngineErrors:
    def test_api_errors_keep_the_engine_explanation(self):
        with (
            pytest.raises(exception.DriverError, match="^Starting node x: no space left$"),
            engine.backend_errors("Starting node x"),
        ):
            raise docker.errors.APIError("500 Server Error", explanation="no space left")

    def test_connection_errors_say_why(self):
        error = requests.exceptions.ConnectionError(OSError(2, "No such file or directory"))
        expected = "the Docker API cannot be reached (No such file or directory)"
        assert engine.describe(error) == expected

    def test_magnum_errors_pass_through(self):
        with pytest.raises(exception.Invalid), engine.backend_errors("x"):
            raise exception.Invalid("bad")

    def test_wait_until_returns_the_first_truthy_value(self):
        answers = iter([None, 0, "ready"])
        assert engine.wait_until("it", lambda: next(answers), 5, 0) == "ready"

    def test_wait_until_times_out_with_the_last_error(self):
        def check():
            raise ValueError("still booting")

        with pytest.raises(exception.DriverError, match="waiting for the node.*still booting"):
            engine.wait_until("the node", check, 0.05, 0.01)

    def test_credentials_in_the_engine_url_are_not_shown(self, config):
        config.config(docker_url="tcp://user:secret@engine:2376", group="local")
        assert engine.host_url() == "tcp://engine:2376"


class TestImageRecipe:
    def test_missing_host_binary_is_named(self, tmp_path):
        with pytest.raises(exception.DriverError, match="busybox is not installed"):
            image.find_programs(search_path=str(tmp_path))

    def test_tini_static_or_docker_init_may_provide_docker_init(self, tmp_path):
        for name in ("busybox", "dockerd", "containerd", "containerd-shim-runc-v2", "runc",
                     "docker-proxy", "docker-init", "xtables-nft-multi"):  # fmt: skip
            path = tmp_path / name
            path.write_text("#!/bin/sh\n")
            path.chmod(0o755)
        found = image.find_programs(search_path=str(tmp_path))
        assert found["usr/bin/docker-init"] == str(tmp_path / "docker-init")

    def test_image_runs_the_init_script_under_docker_init_with_a_docker_volume(self):
        changes = image.image_changes()
        assert (
            'ENTRYPOINT ["/usr/bin/docker-init", "--", "/usr/local/bin/magnum-node-init"]'
            in changes
        )
        assert 'VOLUME ["/var/lib/docker"]' in changes

    def test_init_script_remounts_read_only_mounts_and_execs_dockerd_from_path(self):
        assert "remount,rw" in image.INIT_SCRIPT
        assert "mount --make-rshared /" in image.INIT_SCRIPT
        assert image.INIT_SCRIPT.rstrip().endswith('exec dockerd "$@"')
