"""[cluster] node limits: 400 (InvalidParameterValue) above them, nothing else."""

from __future__ import annotations

import pytest

import magnum.conf
from magnum.api.controllers.v1 import cluster as cluster_api
from magnum.api.controllers.v1 import nodegroup as nodegroup_api
from magnum.common import exception


@pytest.fixture
def limits():
    conf = magnum.conf.CONF
    conf.set_override("max_nodes_per_nodegroup", 5, "cluster")
    conf.set_override("max_nodes_per_cluster", 8, "cluster")
    yield
    conf.clear_override("max_nodes_per_nodegroup", "cluster")
    conf.clear_override("max_nodes_per_cluster", "cluster")


def test_a_nodegroup_at_the_limit_passes_and_above_is_400(limits):
    cluster_api.check_node_limit(5)
    with pytest.raises(exception.InvalidParameterValue) as err:
        cluster_api.check_node_limit(6)
    assert err.value.code == 400 and "limit of 5" in err.value.format_message()


def test_a_cluster_above_its_total_is_400(limits):
    cluster_api.check_cluster_limit(8)
    with pytest.raises(exception.InvalidParameterValue):
        cluster_api.check_cluster_limit(9)


def test_nodegroup_changes_check_the_limit_on_count_and_max(limits):
    nodegroup_api.check_counts("ng", 5, 1, 5)
    with pytest.raises(exception.InvalidParameterValue):
        nodegroup_api.check_counts("ng", 6, 1, None)
    with pytest.raises(exception.InvalidParameterValue):
        nodegroup_api.check_counts("ng", 2, 1, 5000)
