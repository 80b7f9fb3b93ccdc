"""Subnet allocation of local bay networks (no Docker needed)."""

from __future__ import annotations

import ipaddress

import pytest

from magnum.common import exception
from magnum.drivers.local import network


def nets(*cidrs: str) -> list:
    return [ipaddress.ip_network(c) for c in cidrs]


def test_first_free_slash24_of_the_pool():
    assert str(network.pick_subnet("10.210.0.0/16", [])) == "10.210.0.0/24"


def test_used_subnets_are_skipped():
    used = nets("10.210.0.0/24", "10.210.1.0/24", "172.17.0.0/16")
    assert str(network.pick_subnet("10.210.0.0/16", used)) == "10.210.2.0/24"


def test_a_larger_network_overlapping_the_pool_is_avoided():
    used = nets("10.210.0.0/20")
    assert str(network.pick_subnet("10.210.0.0/16", used)) == "10.210.16.0/24"


def test_ipv6_networks_do_not_block_ipv4_subnets():
    assert str(network.pick_subnet("10.210.0.0/23", nets("fd00::/64"))) == "10.210.0.0/24"


def test_exhausted_pool_is_a_clear_driver_error():
    with pytest.raises(exception.DriverError, match="No free /24"):
        network.pick_subnet("10.210.0.0/23", nets("10.210.0.0/24", "10.210.1.0/24"))


@pytest.mark.parametrize("pool", ["nonsense", "10.210.0.0/25", "fd00::/48"])
def test_unusable_pool_is_reported(pool):
    with pytest.raises(exception.DriverError, match="subnet_pool"):
        network.pick_subnet(pool, [])


def test_used_subnets_read_from_network_listing():
    listing = [
        {"Name": "bridge", "IPAM": {"Config": [{"Subnet": "172.17.0.0/16", "Gateway": "x"}]}},
        {"Name": "host", "IPAM": {"Config": []}},
        {"Name": "none", "IPAM": {"Config": None}},
        {"Name": "odd", "IPAM": {"Config": [{"Subnet": "not-a-net"}, {}]}},
        {"Name": "bay", "IPAM": {"Config": [{"Subnet": "10.210.3.0/24"}]}},
    ]
    assert network.used_subnets(listing) == nets("172.17.0.0/16", "10.210.3.0/24")
