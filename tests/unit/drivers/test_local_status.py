"""What the local driver reports, derived from node containers (no Docker needed)."""

from __future__ import annotations

import types

from magnum.common import states
from magnum.drivers.local import layout, status

UUID = "1b27faa2-5d19-45d5-a115-d30fb0ca82b8"


def node(nodegroup, role, index, state="running", address=None):
    spec = layout.NodeSpec(UUID, nodegroup, role, index)
    return layout.NodeContainer(spec, f"id{index}", state, address or f"10.210.0.{10 + index}")


def bay():
    return [
        node("default-worker", "worker", 1, address="10.210.0.4"),
        node("default-master", "master", 0, address="10.210.0.2"),
        node("default-worker", "worker", 0, address="10.210.0.3"),
    ]


def nodegroups(**counts):
    ngs = [
        types.SimpleNamespace(name=name.replace("_", "-"), node_count=n)
        for name, n in counts.items()
    ]
    return types.SimpleNamespace(uuid=UUID, nodegroups=ngs)


class TestClusterStatus:
    def test_addresses_counts_and_api_of_the_first_master(self):
        result = status.cluster_status(states.CREATE_COMPLETE, bay(), "/s", "20.10.24")
        assert result.status == states.CREATE_COMPLETE
        assert result.api_address == f"unix:///s/{UUID}/default-master-0/docker.sock"
        assert result.master_addresses == ["10.210.0.2"]
        assert result.node_addresses == ["10.210.0.3", "10.210.0.4"]
        assert result.node_counts == {"default-master": 1, "default-worker": 2}
        assert result.coe_version == result.container_version == "20.10.24"
        assert not result.gone

    def test_stopped_nodes_are_not_counted_nor_addressed(self):
        nodes = [*bay(), node("default-worker", "worker", 2, state="exited")]
        result = status.cluster_status(states.UPDATE_COMPLETE, nodes, "/s")
        assert result.node_counts == {"default-master": 1, "default-worker": 2}
        assert "10.210.0.12" not in result.node_addresses

    def test_no_running_master_means_no_api_address(self):
        nodes = [node("default-master", "master", 0, state="exited")]
        assert status.cluster_status(states.CREATE_COMPLETE, nodes, "/s").api_address is None


class TestSyncReport:
    def test_no_container_means_gone(self):
        result = status.sync_report([], {"default-master": 1}, "/s")
        assert result.gone
        assert result.status == states.DELETE_COMPLETE

    def test_all_expected_nodes_running_is_complete(self):
        expected = status.expected_counts(nodegroups(default_master=1, default_worker=2))
        result = status.sync_report(bay(), expected, "/s")
        assert result.status == states.CREATE_COMPLETE
        assert result.reason is None
        assert result.node_counts == {"default-master": 1, "default-worker": 2}

    def test_short_nodegroup_is_in_progress_with_a_reason(self):
        expected = status.expected_counts(nodegroups(default_master=1, default_worker=3))
        result = status.sync_report(bay(), expected, "/s")
        assert result.status == states.CREATE_IN_PROGRESS
        assert result.reason == "nodegroup default-worker has 2 of 3 nodes running."

    def test_stopped_container_is_named_in_the_reason(self):
        nodes = [*bay(), node("default-worker", "worker", 2, state="exited")]
        result = status.sync_report(nodes, None, "/s")
        assert result.status == states.CREATE_IN_PROGRESS
        assert f"magnum-{UUID[:8]}-default-worker-2 is exited" in result.reason

    def test_bay_without_nodegroups_attribute_only_checks_running(self):
        assert status.expected_counts(types.SimpleNamespace(uuid=UUID)) is None
        assert status.sync_report(bay(), None, "/s").status == states.CREATE_COMPLETE


class TestNodeViews:
    def test_swarm_state_and_labels_win_when_the_manager_answers(self):
        name = f"magnum-{UUID[:8]}-default-worker-0"
        entries = {name: {"Status": {"State": "down"}, "Spec": {"Labels": {"disk": "ssd"}}}}
        views = {v.name: v for v in status.node_views(bay(), entries)}
        assert views[name].status == "down"
        assert views[name].labels["disk"] == "ssd"
        assert views[name].labels["magnum.nodegroup"] == "default-worker"
        assert views[f"magnum-{UUID[:8]}-default-worker-1"].status == "not in swarm"

    def test_container_state_without_a_manager(self):
        nodes = [*bay(), node("default-worker", "worker", 2, state="exited")]
        views = status.node_views(nodes, None)
        assert [v.status for v in views] == ["running", "running", "running", "exited"]
        assert [v.role for v in views] == ["master", "worker", "worker", "worker"]
        assert views[0].address == "10.210.0.2"
