"""The Kubernetes node image: the node image plus the cached Kubernetes binaries.

Built on first use (like the node image itself) with ``docker build`` FROM
``[local] node_image``, so no registry is needed. The binaries come from
``<kubernetes_cache_dir>/<version>/``, where ``tools/build-kubernetes.sh``
puts them once per machine; the conductor never compiles anything.

What the image adds for kubelet on these hosts (see the local-kubernetes
research note):

- ``/dev/kmsg`` (kubelet exits without it) and ``/etc/machine-id`` are made
  by the init wrapper before the node's dockerd starts;
- the CNI plugins really are in ``/opt/cni/bin``;
- the node's dockerd runs every container through ``runc-clamp``, which
  rewrites a negative ``oomScoreAdj`` in the bundle to 0 before it execs
  runc: kubelet asks for -998 on sandboxes, and lowering it needs
  CAP_SYS_RESOURCE, which these hosts cannot grant even to root;
- the static ``pause`` binary, imported into each node's dockerd as the
  sandbox image kubelet 1.20 asks for (see :func:`pause_rootfs`).
"""

from __future__ import annotations

import io
import json
import os
import tarfile
import tempfile
from typing import IO

import docker
from oslo_concurrency import lockutils

from magnum import conf
from magnum.common import exception
from magnum.drivers.local import engine, image, nodes

CONF = conf.CONF

SERVER_BINARIES = (
    "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubelet",
    "kube-proxy", "etcd",
)  # fmt: skip
PAUSE_IMAGE = "k8s.gcr.io/pause:3.2"
CLAMP_PATH = "usr/local/bin/runc-clamp"
KUBE_INIT_PATH = "usr/local/bin/magnum-kube-node-init"
CNI_BIN_DIR = "opt/cni/bin"
IMAGE_LABEL = "magnum.local.kube-node-image"

# An OCI runtime wrapper: find the bundle (--bundle or -b), clamp a negative
# oomScoreAdj to 0, then hand everything to the real runc unchanged.
CLAMP_SCRIPT = """#!/bin/sh
bundle=
prev=
for arg in "$@"; do
  case "$prev" in --bundle|-b) bundle="$arg" ;; esac
  case "$arg" in --bundle=*) bundle="${arg#--bundle=}" ;; esac
  prev="$arg"
done
if [ -n "$bundle" ] && [ -f "$bundle/config.json" ]; then
  sed -i -e 's/"oomScoreAdj": *-[0-9]*/"oomScoreAdj":0/g' "$bundle/config.json"
fi
exec "${MAGNUM_RUNC:-/usr/bin/runc}" "$@"
"""

KUBE_INIT_SCRIPT = f"""#!/bin/sh
set -eu
[ -e /dev/kmsg ] || mknod /dev/kmsg c 1 11
[ -s /etc/machine-id ] || tr -d '-' < /proc/sys/kernel/random/uuid > /etc/machine-id
mkdir -p /etc/kubernetes /var/lib/kubelet /var/lib/etcd /etc/cni/net.d
exec /{image.INIT_PATH} "$@"
"""


def binaries_dir(version: str | None = None) -> str:
    return os.path.join(CONF.local.kubernetes_cache_dir, version or CONF.local.kubernetes_version)


def check_binaries(directory: str) -> None:
    """Raise a clear error naming the build script unless ``directory`` is complete."""
    missing = [
        name
        for name in (*SERVER_BINARIES, "pause")
        if not os.access(os.path.join(directory, "bin", name), os.X_OK)
    ]
    if not os.path.isdir(os.path.join(directory, "cni")):
        missing.append("cni/")
    if missing or not os.path.exists(os.path.join(directory, "complete")):
        raise exception.DriverError(
            reason="Cannot build the local Kubernetes node image: the Kubernetes binaries "
            f"are not in {directory} (missing {', '.join(missing) or 'the complete stamp'}); "
            "run tools/build-kubernetes.sh once on this machine."
        )


def dockerd_args() -> list[str]:
    """The node dockerd's arguments, with every container started through runc-clamp."""
    return [*nodes.dockerd_args(), f"--add-runtime=clamp=/{CLAMP_PATH}", "--default-runtime=clamp"]


def dockerfile(base: str) -> str:
    lines = [
        f"FROM {base}",
        "COPY bin/ /usr/local/bin/",
        f"COPY cni/ /{CNI_BIN_DIR}/",
        f"COPY runc-clamp /{CLAMP_PATH}",
        f"COPY magnum-kube-node-init /{KUBE_INIT_PATH}",
        "ENTRYPOINT " + json.dumps(["/usr/bin/docker-init", "--", f"/{KUBE_INIT_PATH}"]),
        "CMD " + json.dumps(dockerd_args()),
        f"LABEL {IMAGE_LABEL}={CONF.local.kubernetes_version}",
    ]
    return "\n".join(lines) + "\n"


def _add_text(tar: tarfile.TarFile, name: str, content: str, mode: int) -> None:
    data = content.encode()
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), mode
    tar.addfile(info, io.BytesIO(data))


def write_context(out: IO[bytes], directory: str, base: str) -> None:
    """The build context: Dockerfile, the binaries, the CNI plugins, the scripts."""
    with tarfile.open(fileobj=out, mode="w|") as tar:
        _add_text(tar, "Dockerfile", dockerfile(base), 0o644)
        _add_text(tar, "runc-clamp", CLAMP_SCRIPT, 0o755)
        _add_text(tar, "magnum-kube-node-init", KUBE_INIT_SCRIPT, 0o755)
        for name in (*SERVER_BINARIES, "pause"):
            tar.add(os.path.join(directory, "bin", name), arcname=f"bin/{name}")
        tar.add(os.path.join(directory, "cni"), arcname="cni")


def pause_rootfs() -> bytes:
    """A root file system holding only ``/pause``, to import as PAUSE_IMAGE."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        tar.add(os.path.join(binaries_dir(), "bin", "pause"), arcname="pause")
    return buffer.getvalue()


def build_kube_node_image(tag: str) -> None:
    directory = binaries_dir()
    check_binaries(directory)
    host = engine.host_client(timeout=engine.IMAGE_IO_TIMEOUT)
    try:
        image.ensure_node_image(host, CONF.local.node_image)
        with tempfile.TemporaryFile() as context:
            write_context(context, directory, CONF.local.node_image)
            context.seek(0)
            with engine.backend_errors(f"Building the local Kubernetes node image {tag}"):
                for _ in host.api.build(
                    fileobj=context, custom_context=True, tag=tag, rm=True, decode=True
                ):
                    pass
    finally:
        host.close()


def ensure_kube_node_image(host: docker.DockerClient, tag: str | None = None) -> str:
    """Build the Kubernetes node image unless the engine has it; its tag."""
    tag = tag or CONF.local.kubernetes_node_image
    if image.has_image(host, tag):
        return tag
    lock_dir = os.path.join(CONF.state_path, "locks")
    os.makedirs(lock_dir, exist_ok=True)
    with lockutils.lock("magnum-local-kube-node-image", external=True, lock_path=lock_dir):
        if not image.has_image(host, tag):
            build_kube_node_image(tag)
    if not image.has_image(host, tag):
        raise exception.DriverError(
            reason=f"Cannot build the local Kubernetes node image: the engine does not "
            f"list {tag} after building it."
        )
    return tag


def load_pause_image(client: docker.DockerClient) -> None:
    """Import the sandbox image into a node's dockerd unless it has it."""
    if image.has_image(client, PAUSE_IMAGE):
        return
    repository, tag = PAUSE_IMAGE.rsplit(":", 1)
    with engine.backend_errors("Loading the pod sandbox image into a node"):
        client.api.import_image_from_data(
            pause_rootfs(),
            repository=repository,
            tag=tag,
            changes=['ENTRYPOINT ["/pause"]'],
        )
