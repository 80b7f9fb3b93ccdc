"""Names, labels, paths and resize plans of local bays (no Docker needed)."""

from __future__ import annotations

import pytest

from magnum.common import exception
from magnum.drivers.local import layout

UUID = "1b27faa2-5d19-45d5-a115-d30fb0ca82b8"


def spec(nodegroup: str = "default-worker", role: str = "worker", index: int = 0):
    return layout.NodeSpec(UUID, nodegroup, role, index)


def summary(nodegroup="default-worker", role="worker", index=0, state="running", ip="10.0.0.3"):
    node = spec(nodegroup, role, index)
    return {
        "Id": f"id-{node.name}",
        "Names": [f"/{node.name}"],
        "State": state,
        "Labels": node.labels,
        "NetworkSettings": {"Networks": {layout.network_name(UUID): {"IPAddress": ip}}},
    }


class TestNames:
    def test_node_name_volume_and_hostname_parts(self):
        node = spec("default-master", "master", 2)
        assert node.name == "magnum-1b27faa2-default-master-2"
        assert node.volume == "magnum-1b27faa2-default-master-2-docker"

    def test_socket_path_is_short_and_under_the_bay_dir(self):
        node = spec("default-worker", "worker", 3)
        assert node.socket_path("/s") == f"/s/{UUID}/default-worker-3/docker.sock"
        assert node.api_address("/s") == f"unix:///s/{UUID}/default-worker-3/docker.sock"

    def test_labels_name_cluster_nodegroup_role_and_index(self):
        assert spec("gpu", "worker", 1).labels == {
            "magnum.cluster": UUID,
            "magnum.nodegroup": "gpu",
            "magnum.role": "worker",
            "magnum.node.index": "1",
        }

    @pytest.mark.parametrize("name", ["default-worker", "gpu", "a-1"])
    def test_slug_keeps_clean_names(self, name):
        assert layout.slug(name) == name

    def test_slug_makes_names_hostname_safe_and_keeps_them_apart(self):
        first, second = layout.slug("Big_Nodes"), layout.slug("big.nodes")
        assert first != second
        for slug in (first, second):
            assert slug.startswith("big-nodes-")
            assert all(c.isalnum() or c == "-" for c in slug)

    def test_slug_of_a_long_name_fits_a_hostname(self):
        name = spec("x" * 200, "worker", 999).name
        assert len(name) <= 63

    def test_masters_sort_first_then_nodegroup_and_index(self):
        nodes = [spec("b", "worker", 1), spec("a", "worker", 0), spec("z", "master", 1)]
        nodes.append(spec("z", "master", 0))
        assert [n.name[16:] for n in sorted(nodes)] == ["z-0", "z-1", "a-0", "b-1"]


class TestListing:
    def test_summary_becomes_a_node_container(self):
        node = layout.NodeContainer.from_summary(summary(index=4, state="exited"))
        assert node.spec == spec(index=4)
        assert (node.state, node.running, node.address) == ("exited", False, "10.0.0.3")

    def test_container_without_node_labels_is_ignored(self):
        assert layout.NodeContainer.from_summary({"Labels": {"magnum.cluster": UUID}}) is None
        broken = summary()
        broken["Labels"]["magnum.node.index"] = "x"
        assert layout.NodeContainer.from_summary(broken) is None

    def test_address_missing_until_the_container_has_one(self):
        raw = summary()
        raw["NetworkSettings"] = {"Networks": {}}
        assert layout.NodeContainer.from_summary(raw).address is None

    def test_listing_is_grouped_by_bay_and_sorted(self):
        other = summary()
        other["Labels"] = dict(other["Labels"], **{"magnum.cluster": "other"})
        bays = layout.parse_listing(
            [summary(index=1), summary("m", "master", 0), other, summary(index=0)]
        )
        assert sorted(bays) == [UUID, "other"]
        assert [n.spec.name[16:] for n in bays[UUID]] == [
            "m-0",
            "default-worker-0",
            "default-worker-1",
        ]


class TestSocketPaths:
    def test_short_state_dir_passes(self):
        layout.check_socket_paths("/var/lib/magnum/local", [spec(index=99)])

    def test_too_long_path_names_the_option_to_change(self):
        with pytest.raises(exception.DriverError, match=r"\[local\] state_dir"):
            layout.check_socket_paths("/" + "d" * 80, [spec()])


class TestPlanResize:
    @pytest.mark.parametrize(
        ("present", "count", "first", "remove", "add"),
        [
            ([], 3, (), [], [0, 1, 2]),  # create
            ([0, 1, 2], 3, (), [], []),  # nothing to do
            ([0, 1, 2], 2, (), [2], []),  # shrink: highest index first
            ([0, 1, 2, 3], 2, (1,), [1, 3], []),  # named first, then the highest
            ([0, 1, 2], 2, (1,), [1], []),  # exactly the named node
            ([0, 2], 4, (), [], [1, 3]),  # grow fills the gaps first
            ([0, 1, 2], 3, (1,), [1], [1]),  # a dead node is replaced at its index
            ([0, 1], 0, (), [1, 0], []),  # a worker nodegroup may go to zero
            ([0, 1], 2, (7,), [], []),  # names of nodes already gone are ignored
        ],
    )
    def test_plan(self, present, count, first, remove, add):
        assert layout.plan_resize(present, count, first) == (remove, add)
