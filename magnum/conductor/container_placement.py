"""Which node of a bay runs a new container, and how its image gets there.

The policy: the node named by the container's ``host`` hint (it must be a
node of the bay, and ready), else the ready node holding the fewest magnum
containers of the bay, ties going to the first by name. "Ready" is the
node's status as the bay's driver lists it (``ready`` in the swarm, or a
``running`` node container when the swarm cannot be asked).

The image must be on that node: if it is not, the bay's driver copies it
there from where it keeps images (``LocalDriver.ensure_image`` loads it from
the host engine, local bays having no registry), or else the node pulls it.
An image found nowhere is a ``DriverError`` saying so.
"""

from __future__ import annotations

import collections
from typing import Any

from magnum import objects
from magnum.coe import docker as coe_docker
from magnum.common import exception
from magnum.conductor import task_manager
from magnum.drivers import base

# NodeView statuses of a node that can take a new container.
READY_NODES = frozenset({"ready", "running"})


def place(context: Any, task: Any, container: Any) -> str:
    """The name of the node of ``task.cluster`` that gets ``container``."""
    admin = task_manager._all_projects(context)
    nodes = task.driver.list_nodes(admin, task.cluster)
    ready = sorted(n.name for n in nodes if n.status in READY_NODES)
    if container.host:
        if container.host not in {n.name for n in nodes}:
            raise exception.InvalidParameterValue(
                err=f"Node {container.host} is not a node of bay {task.cluster.uuid}."
            )
        if container.host not in ready:
            raise exception.DriverError(reason=f"Node {container.host} is not ready.")
        return container.host
    if not ready:
        raise exception.DriverError(reason=f"No node of bay {task.cluster.uuid} is ready.")
    siblings = objects.Container.list(admin, filters={"cluster_id": task.cluster.uuid})
    load = collections.Counter(c.host for c in siblings if c.host and c.uuid != container.uuid)
    return min(ready, key=lambda name: (load[name], name))


def ensure_image(context: Any, task: Any, client: Any, image: str, node: str) -> None:
    """Make ``image`` present on ``node`` (whose Docker client is ``client``)."""
    if coe_docker.has_image(client, image):
        return
    if base.IMAGE_COPY in task.driver.capabilities:
        try:
            task.driver.ensure_image(context, task.cluster, image, nodes=[node])
        except exception.ResourceNotFound as err:
            if err.kwargs.get("resource") != "Image":
                raise
            raise exception.DriverError(
                reason=f"Image {image} is neither on node {node} nor on the Docker "
                "engine of the bay's host; build or load it there first."
            ) from err
        return
    try:
        coe_docker.pull(client, image)
    except exception.MagnumException as err:
        raise exception.DriverError(
            reason=f"Image {image} is not on node {node} and pulling it failed: "
            f"{err.format_message() if err.safe else type(err).__name__}"
        ) from err
