"""Find the driver for a cluster template among the enabled ``magnum.drivers`` entry points.

Only the drivers named in ``[drivers] enabled_drivers`` are loaded; the
others (the test-only ``fake`` driver by default) do not exist for this
process.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from oslo_config import cfg
from stevedore import driver as stevedore_driver
from stevedore import exception as stevedore_exception

from magnum.common import exception
from magnum.drivers import base

NAMESPACE = "magnum.drivers"
CONF = cfg.CONF
LOG = logging.getLogger(__name__)


@functools.cache
def _load(name: str) -> base.ClusterDriver | None:
    # One instance per driver for the process: drivers keep clients between calls.
    try:
        return stevedore_driver.DriverManager(NAMESPACE, name, invoke_on_load=True).driver
    except stevedore_exception.NoMatches:
        LOG.error("[drivers] enabled_drivers names %r, which is not installed; ignored", name)
        return None


def enabled_names() -> tuple[str, ...]:
    return tuple(CONF.drivers.enabled_drivers)


def drivers() -> dict[str, base.ClusterDriver]:
    """The enabled drivers by entry-point name."""
    loaded = {name: _load(name) for name in enabled_names()}
    return {name: found for name, found in loaded.items() if found is not None}


def declarations() -> list[dict[str, Any]]:
    """What the enabled drivers serve, as plain data (one entry per cluster type).

    A conductor publishes this with its start-up heartbeat
    (``objects.MagnumService.cluster_types``); the API reads it from there.
    """
    return [
        {
            "driver": name,
            "server_type": provided.server_type,
            "os": provided.os,
            "coe": provided.coe,
            "network_drivers": list(driver.network_drivers.get(provided.coe, ())),
            "volume_drivers": list(driver.volume_drivers.get(provided.coe, ())),
            "upgrade": base.UPGRADE in driver.capabilities,
        }
        for name, driver in drivers().items()
        for provided in driver.provides
    ]


def get_driver(server_type: str, os: str | None, coe: str) -> base.ClusterDriver:
    os = (os or "").lower()
    for driver in drivers().values():
        for provided in driver.provides:
            if (provided.server_type, provided.coe) == (server_type, coe) and provided.os in (
                "*",
                os,
            ):
                return driver
    raise exception.ClusterTypeNotSupported(server_type=server_type, os=os, coe=coe)


def get_driver_for(cluster_template: Any) -> base.ClusterDriver:
    if getattr(cluster_template, "driver", None):
        found = drivers().get(cluster_template.driver)
        if found is None:
            raise exception.InvalidParameterValue(
                err=f"Driver {cluster_template.driver} is not enabled."
            )
        return found
    return get_driver(
        cluster_template.server_type, cluster_template.cluster_distro, cluster_template.coe
    )
