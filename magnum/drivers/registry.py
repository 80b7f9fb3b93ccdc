"""Find the driver for a cluster template among the ``magnum.drivers`` entry points."""

from __future__ import annotations

import functools
from typing import Any

from stevedore import extension

from magnum.common import exception
from magnum.drivers import base

NAMESPACE = "magnum.drivers"


@functools.cache
def _extensions() -> extension.ExtensionManager:
    return extension.ExtensionManager(NAMESPACE, invoke_on_load=True)


def drivers() -> dict[str, base.ClusterDriver]:
    return {ext.name: ext.obj for ext in _extensions()}


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
