"""The per-bay node network: an ``--internal`` bridge with its own /24.

Docker's default address pools hand every new network the next /16 (and
later /20) of 172.18-31 and 192.168, so bays that come and go would walk
through them. Each bay instead gets an explicit /24 from ``[local]
subnet_pool`` that no existing network uses. Two conductors may pick the same
free /24 at once; the engine refuses the second (overlapping pools), which
then moves on to the next free one.
"""

from __future__ import annotations

import contextlib
import ipaddress
from collections.abc import Iterable

import docker
import docker.errors
from docker.types import IPAMConfig, IPAMPool

from magnum.common import exception
from magnum.drivers.local import engine, layout

SUBNET_PREFIX = 24
_ATTEMPTS = 8

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def used_subnets(network_summaries: Iterable[dict]) -> list[Network]:
    used = []
    for summary in network_summaries:
        for pool in (summary.get("IPAM") or {}).get("Config") or []:
            try:
                used.append(ipaddress.ip_network(pool.get("Subnet", ""), strict=False))
            except ValueError:
                continue
    return used


def pick_subnet(pool: str, used: Iterable[Network]) -> ipaddress.IPv4Network:
    """The first /24 of ``pool`` that overlaps none of ``used``."""
    try:
        pool_net = ipaddress.ip_network(pool, strict=False)
    except ValueError as e:
        raise exception.DriverError(reason=f"[local] subnet_pool {pool!r} is invalid: {e}") from e
    if not isinstance(pool_net, ipaddress.IPv4Network) or pool_net.prefixlen > SUBNET_PREFIX:
        raise exception.DriverError(
            reason=f"[local] subnet_pool {pool} must be an IPv4 network of /{SUBNET_PREFIX} "
            "or larger."
        )
    taken = [net for net in used if net.version == 4]
    for candidate in pool_net.subnets(new_prefix=SUBNET_PREFIX):
        if not any(candidate.overlaps(net) for net in taken):
            return candidate
    raise exception.DriverError(
        reason=f"No free /{SUBNET_PREFIX} is left in [local] subnet_pool {pool} for a new bay."
    )


def find_network(host: docker.DockerClient, cluster_uuid: str) -> str | None:
    with engine.backend_errors("Listing the networks of the bay"):
        found = host.api.networks(filters=layout.cluster_filter(cluster_uuid))
    return found[0]["Name"] if found else None


def ensure_network(host: docker.DockerClient, cluster_uuid: str, pool: str) -> str:
    """The bay's network, created with a free subnet if it does not exist yet."""
    existing = find_network(host, cluster_uuid)
    if existing:
        return existing
    name = layout.network_name(cluster_uuid)
    refused: list[Network] = []
    for _ in range(_ATTEMPTS):
        with engine.backend_errors(f"Creating the bay network {name}"):
            subnet = pick_subnet(pool, [*used_subnets(host.api.networks()), *refused])
            try:
                host.api.create_network(
                    name,
                    driver="bridge",
                    internal=True,
                    ipam=IPAMConfig(pool_configs=[IPAMPool(subnet=str(subnet))]),
                    labels={layout.LABEL_CLUSTER: cluster_uuid},
                    check_duplicate=True,
                )
                return name
            except docker.errors.APIError as e:
                if "overlap" not in engine.describe(e).lower():
                    raise
            refused.append(subnet)  # taken meanwhile by another bay
    raise exception.DriverError(
        reason=f"Creating the bay network {name}: every subnet tried overlapped another network."
    )


def remove_networks(host: docker.DockerClient, cluster_uuid: str) -> None:
    with engine.backend_errors("Removing the bay network"):
        for summary in host.api.networks(filters=layout.cluster_filter(cluster_uuid)):
            with contextlib.suppress(docker.errors.NotFound):
                host.api.remove_network(summary["Id"])
