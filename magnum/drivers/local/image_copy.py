"""Copy images from the host engine into the nodes of a bay.

Local bays have no registry: an image a container or a swarm service needs
must already be in the node that runs it. The image is saved once from the
host into a temporary file, then loaded into every node that lacks it, in
parallel, each node reading the file on its own.
"""

from __future__ import annotations

import concurrent.futures
import tempfile
from collections.abc import Sequence

import docker
import docker.errors

from magnum.common import exception
from magnum.drivers.local import engine, layout

_CHUNK = 1024 * 1024


def host_image_id(host: docker.DockerClient, image: str) -> str:
    with engine.backend_errors(f"Looking up image {image} on the host engine"):
        try:
            return host.api.inspect_image(image)["Id"]
        except docker.errors.ImageNotFound as e:
            raise exception.ResourceNotFound(resource="Image", ident=image) from e


def _node_has(client: docker.DockerClient, image: str, image_id: str) -> bool:
    try:
        return client.api.inspect_image(image)["Id"] == image_id
    except docker.errors.ImageNotFound:
        return False


def copy_image(
    host: docker.DockerClient,
    image: str,
    targets: Sequence[layout.NodeSpec],
    state_dir: str,
    max_parallel: int,
) -> list[str]:
    """Load ``image`` into every target node lacking it; the names loaded into."""
    image_id = host_image_id(host, image)
    clients = {
        spec.name: engine.node_client(spec.socket_path(state_dir), engine.IMAGE_IO_TIMEOUT)
        for spec in targets
    }
    try:
        with engine.backend_errors(f"Checking image {image} on the nodes"):
            lacking = [name for name, c in clients.items() if not _node_has(c, image, image_id)]
        if not lacking:
            return []
        with tempfile.NamedTemporaryFile(prefix="magnum-image-") as saved:
            export = engine.host_client(timeout=engine.IMAGE_IO_TIMEOUT)
            try:
                with engine.backend_errors(f"Saving image {image} from the host engine"):
                    for chunk in export.api.get_image(image, chunk_size=_CHUNK):
                        saved.write(chunk)
            finally:
                export.close()
            saved.flush()

            def load(name: str) -> None:
                with (
                    open(saved.name, "rb") as data,
                    engine.backend_errors(f"Loading image {image} into node {name}"),
                ):
                    clients[name].images.load(data)

            workers = max(1, min(max_parallel, len(lacking)))
            with concurrent.futures.ThreadPoolExecutor(workers) as pool:
                for future in [pool.submit(load, name) for name in lacking]:
                    future.result()
        return lacking
    finally:
        for client in clients.values():
            client.close()
