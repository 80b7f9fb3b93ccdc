"""Node container arguments and the security mode of local bays (no Docker needed)."""

from __future__ import annotations

import pytest

from magnum.drivers.local import layout, nodes

UUID = "1b27faa2-5d19-45d5-a115-d30fb0ca82b8"
# This project's VMs: every capability but CAP_SYS_RESOURCE (bit 24).
VM_STATUS = "Name:\tpython\nCapBnd:\t000001fffeffffff\nCapAmb:\t0000000000000000\n"
FULL_STATUS = "CapBnd:\t000001ffffffffff\n"


@pytest.fixture
def master():
    return layout.NodeSpec(UUID, "default-master", "master", 0)


class TestCapabilities:
    def test_missing_capability_of_the_vm_is_found(self):
        assert nodes.missing_capabilities(VM_STATUS) == ["SYS_RESOURCE"]

    def test_full_bounding_set_misses_nothing(self):
        assert nodes.missing_capabilities(FULL_STATUS) == []

    def test_status_without_capbnd_misses_nothing(self):
        assert nodes.missing_capabilities("Name:\tx\n") == []

    def test_this_process_can_be_read(self):
        assert isinstance(nodes.missing_capabilities(), list)

    @pytest.mark.parametrize(
        ("setting", "missing", "mode"),
        [
            ("auto", ["SYS_RESOURCE"], "caps"),
            ("auto", [], "privileged"),
            ("privileged", ["SYS_RESOURCE"], "privileged"),
            ("caps", [], "caps"),
        ],
    )
    def test_prediction(self, setting, missing, mode):
        assert nodes.predict_security(setting, missing) == mode

    def test_auto_predicts_then_learns_what_a_start_used(self, config):
        security = nodes.NodeSecurity()
        assert security.mode() == nodes.predict_security("auto", nodes.missing_capabilities())
        security.learn("caps")  # a --privileged start was refused
        assert security.mode() == "caps"

    def test_an_explicit_setting_is_not_overridden(self, config):
        config.config(node_security="privileged", group="local")
        security = nodes.NodeSecurity()
        security.learn("caps")
        assert security.mode() == "privileged"


class TestRunKwargs:
    def kwargs(self, spec, security, missing=()):
        return nodes.run_kwargs(spec, "img:1", "magnum-net", "/state", security, list(missing))

    def test_identity_network_and_labels(self, master):
        kwargs = self.kwargs(master, "caps")
        assert kwargs["name"] == kwargs["hostname"] == master.name
        assert kwargs["image"] == "img:1"
        assert kwargs["network"] == "magnum-net"
        assert kwargs["labels"] == master.labels
        assert kwargs["detach"] is True

    def test_socket_dir_and_docker_volume_are_mounted(self, master):
        volumes = self.kwargs(master, "caps")["volumes"]
        assert volumes[master.socket_dir("/state")]["bind"] == "/run/magnum"
        assert volumes[master.volume] == {"bind": "/var/lib/docker", "mode": "rw"}

    def test_dockerd_listens_on_the_shared_socket_with_overlay2(self, master):
        command = self.kwargs(master, "caps")["command"]
        assert "--host=unix:///run/magnum/docker.sock" in command
        assert "--storage-driver=overlay2" in command
        assert "--dns=127.0.0.1" in command

    def test_no_registry_so_swarm_prefers_local_images(self, master):
        kwargs = self.kwargs(master, "caps")
        assert kwargs["environment"]["DOCKER_SERVICE_PREFER_OFFLINE_IMAGE"] == "1"
        assert kwargs["dns"] == ["127.0.0.1"]

    def test_privileged_mode(self, master):
        kwargs = self.kwargs(master, "privileged", ["SYS_RESOURCE"])
        assert kwargs["privileged"] is True
        assert "cap_add" not in kwargs

    def test_caps_mode_drops_what_the_host_lacks(self, master):
        kwargs = self.kwargs(master, "caps", ["SYS_RESOURCE"])
        assert "privileged" not in kwargs
        assert kwargs["cap_add"] == ["ALL"]
        assert kwargs["cap_drop"] == ["SYS_RESOURCE"]
        assert "seccomp=unconfined" in kwargs["security_opt"]
        assert "apparmor=unconfined" in kwargs["security_opt"]
        assert kwargs["device_cgroup_rules"] == ["a *:* rwm"]

    def test_caps_mode_on_a_full_host_drops_nothing(self, master):
        assert self.kwargs(master, "caps")["cap_drop"] is None
