"""The node image, built on first use from the host's own Docker binaries.

No registry is needed: the root file system is busybox (for the shell tools
the init script uses) plus this host's ``dockerd``, ``containerd``, its runc
shim, ``runc``, ``docker-proxy``, ``tini-static`` as ``docker-init`` and
``xtables-nft-multi`` with its modules, plus every shared library ``ldd``
finds for them. It is written as a tar stream and imported through the
Engine API (``docker import``), which takes a few seconds and about 160 MB.

A build holds an inter-process lock under ``state_path``, so conductors and
tests that race for a missing image build it once.
"""

from __future__ import annotations

import glob
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable
from typing import IO

import docker
import docker.errors
from docker.utils import parse_repository_tag
from oslo_concurrency import lockutils

from magnum import conf
from magnum.common import exception
from magnum.drivers.local import engine, nodes

CONF = conf.CONF

SEARCH_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
PACKAGES = "docker.io, busybox-static, iptables and tini"
INIT_PATH = "usr/local/bin/magnum-node-init"
IMAGE_LABEL = "magnum.local.node-image"

# Where each program goes in the image, and the host names to look for.
PROGRAMS = {
    "bin/busybox": ("busybox",),
    "usr/bin/dockerd": ("dockerd",),
    "usr/bin/containerd": ("containerd",),
    "usr/bin/containerd-shim-runc-v2": ("containerd-shim-runc-v2",),
    "usr/bin/runc": ("runc",),
    "usr/bin/docker-proxy": ("docker-proxy",),
    "usr/bin/docker-init": ("tini-static", "docker-init"),
    "usr/sbin/xtables-nft-multi": ("xtables-nft-multi",),
}
XTABLES_DIRS = ("/usr/lib/*/xtables", "/usr/lib64/xtables", "/usr/lib/xtables")
IPTABLES_NAMES = (
    "iptables", "iptables-save", "iptables-restore",
    "ip6tables", "ip6tables-save", "ip6tables-restore",
)  # fmt: skip
# Merged-/usr hosts keep /lib* as links into /usr; the loader path needs them.
LIB_LINKS = ("lib", "lib32", "lib64", "libx32")

# PID 2 under docker-init. Outside --privileged, /sys, /proc/sys and the
# cgroup mounts are read-only and the inner dockerd needs them writable.
INIT_SCRIPT = """#!/bin/sh
set -eu
awk '($5 == "/sys" || $5 == "/proc/sys" || $5 ~ "^/sys/fs/cgroup") && $6 ~ /^ro/ {print $5}' \\
    /proc/self/mountinfo | while read -r point; do
  mount -o remount,rw,bind "$point" 2>/dev/null || mount -o remount,rw "$point"
done
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  # cgroup v2: move ourselves out of the root so controllers can be delegated.
  mkdir -p /sys/fs/cgroup/init
  xargs -rn1 < /sys/fs/cgroup/cgroup.procs > /sys/fs/cgroup/init/cgroup.procs 2>/dev/null || :
  sed -e 's/ / +/g' -e 's/^/+/' < /sys/fs/cgroup/cgroup.controllers \\
    > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || :
fi
mount --make-rshared / 2>/dev/null || :
mkdir -p /run/magnum
exec dockerd "$@"
"""

ETC_FILES = {
    "etc/passwd": "root:x:0:0:root:/root:/bin/sh\n",
    # No "docker" group: dockerd then leaves its socket to root alone, rather
    # than to whatever group shares that gid on the host.
    "etc/group": "root:x:0:\n",
    "etc/nsswitch.conf": "hosts: files dns\n",
    "usr/lib/os-release": 'NAME="magnum local bay node"\nPRETTY_NAME="magnum local bay node"\n',
}


def _build_error(reason: str) -> exception.DriverError:
    return exception.DriverError(reason=f"Cannot build the local bay node image: {reason}")


def find_programs(search_path: str = SEARCH_PATH) -> dict[str, str]:
    """Host path of every program the image needs, by its path in the image."""
    found = {}
    for target, names in PROGRAMS.items():
        for name in names:
            path = shutil.which(name, path=search_path)
            if path:
                found[target] = os.path.realpath(path)
                break
        else:
            raise _build_error(
                f"{names[0]} is not installed on this host (install the packages {PACKAGES})."
            )
    return found


def find_xtables_modules() -> list[str]:
    for pattern in XTABLES_DIRS:
        for directory in sorted(glob.glob(pattern)):
            modules = sorted(glob.glob(os.path.join(directory, "*.so")))
            if modules:
                return modules
    raise _build_error(f"no xtables modules found (install the packages {PACKAGES}).")


def shared_libraries(files: Iterable[str]) -> set[str]:
    """Every shared library (and the loader) the given ELF files need."""
    try:
        result = subprocess.run(
            ["ldd", *files], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        raise _build_error(f"running ldd failed: {e}") from e
    libraries = set()
    for raw in result.stdout.splitlines():
        if not raw[:1].isspace():
            continue  # "<file>:" headers when ldd is given several files
        line = raw.strip()
        if "=> not found" in line:
            raise _build_error(f"a library of the host's Docker binaries is missing: {line}")
        target = line.split("=>", 1)[1].strip() if "=>" in line else line
        path = target.split(" ", 1)[0]
        if path.startswith("/"):
            libraries.add(path)
    return libraries


def busybox_applets(busybox: str) -> list[str]:
    try:
        result = subprocess.run(
            [busybox, "--list"], capture_output=True, text=True, timeout=30, check=True
        )
    except (OSError, subprocess.SubprocessError) as e:
        raise _build_error(f"listing the busybox applets failed: {e}") from e
    return [name for name in result.stdout.split() if "/" not in name]


class _RootfsWriter:
    """Adds entries to a tar stream, creating parent directories first."""

    def __init__(self, tar: tarfile.TarFile) -> None:
        self.tar = tar
        self.known: set[str] = set()

    def _info(self, path: str, kind: bytes, mode: int) -> tarfile.TarInfo:
        info = tarfile.TarInfo(path)
        info.type, info.mode, info.uid, info.gid = kind, mode, 0, 0
        info.uname = info.gname = "root"
        return info

    def directory(self, path: str, mode: int = 0o755) -> None:
        path = path.strip("/")
        if not path or path in self.known:
            return
        self.directory(os.path.dirname(path))
        self.known.add(path)
        self.tar.addfile(self._info(path, tarfile.DIRTYPE, mode))

    def symlink(self, path: str, target: str) -> None:
        if path in self.known:
            return
        self.directory(os.path.dirname(path))
        self.known.add(path)
        info = self._info(path, tarfile.SYMTYPE, 0o777)
        info.linkname = target
        self.tar.addfile(info)

    def text(self, path: str, content: str, mode: int = 0o644) -> None:
        self.directory(os.path.dirname(path))
        data = content.encode()
        info = self._info(path, tarfile.REGTYPE, mode)
        info.size = len(data)
        self.known.add(path)
        self.tar.addfile(info, io.BytesIO(data))

    def copy(self, path: str, source: str) -> None:
        """Copy ``source`` (symlinks followed) to ``path`` in the image."""
        path = path.strip("/")
        if path in self.known:
            return
        self.directory(os.path.dirname(path))
        real = os.path.realpath(source)
        info = self._info(path, tarfile.REGTYPE, os.stat(real).st_mode & 0o7777)
        info.size = os.path.getsize(real)
        self.known.add(path)
        with open(real, "rb") as f:
            self.tar.addfile(info, f)


def _image_path(host_path: str) -> str:
    """Where a shared object goes: under its real directory, keeping its name.

    Links to a directory (/lib -> usr/lib) are recreated in the image; links
    to a file (libxt_MASQUERADE.so -> libxt_NAT.so) become copies, because
    the name is what the loader and iptables look for.
    """
    real_dir = os.path.realpath(os.path.dirname(host_path))
    return os.path.join(real_dir, os.path.basename(host_path))


def write_rootfs(out: IO[bytes]) -> None:
    """Write the node's root file system to ``out`` as an uncompressed tar."""
    programs = find_programs(CONF.local.host_binaries_path)
    modules = find_xtables_modules()
    libraries = shared_libraries([*programs.values(), *modules])
    applets = busybox_applets(programs["bin/busybox"])
    with tarfile.open(fileobj=out, mode="w|") as tar:
        rootfs = _RootfsWriter(tar)
        for directory in ("proc", "sys", "dev", "run", "root", "var/lib/docker", "usr/lib"):
            rootfs.directory(directory)
        rootfs.directory("tmp", 0o1777)
        rootfs.symlink("var/run", "../run")
        for name in LIB_LINKS:
            host_path = f"/{name}"
            if os.path.islink(host_path):
                rootfs.symlink(name, os.readlink(host_path).lstrip("/"))
        for target, source in programs.items():
            rootfs.copy(target, source)
        for applet in applets:
            rootfs.symlink(f"bin/{applet}", "busybox")
        for name in IPTABLES_NAMES:
            rootfs.symlink(f"usr/sbin/{name}", "xtables-nft-multi")
        for shared in [*modules, *sorted(libraries)]:
            rootfs.copy(_image_path(shared), shared)
        for path, content in ETC_FILES.items():
            rootfs.text(path, content)
        rootfs.text(INIT_PATH, INIT_SCRIPT, 0o755)


def image_changes() -> list[str]:
    return [
        "ENTRYPOINT " + json.dumps(["/usr/bin/docker-init", "--", f"/{INIT_PATH}"]),
        "CMD " + json.dumps(nodes.dockerd_args()),
        'VOLUME ["/var/lib/docker"]',
        f"ENV PATH={SEARCH_PATH}",
        f"LABEL {IMAGE_LABEL}=slim",
    ]


def build_node_image(tag: str) -> None:
    repository, version = parse_repository_tag(tag)
    host = engine.host_client(timeout=engine.IMAGE_IO_TIMEOUT)
    try:
        with tempfile.TemporaryFile() as rootfs:
            write_rootfs(rootfs)
            rootfs.seek(0)
            with engine.backend_errors(f"Importing the local bay node image {tag}"):
                host.api.import_image(
                    src=rootfs, repository=repository, tag=version, changes=image_changes()
                )
    finally:
        host.close()


def has_image(host: docker.DockerClient, tag: str) -> bool:
    with engine.backend_errors(f"Looking up the node image {tag}"):
        try:
            host.api.inspect_image(tag)
        except docker.errors.ImageNotFound:
            return False
    return True


def ensure_node_image(host: docker.DockerClient, tag: str) -> None:
    """Build the node image ``tag`` unless the engine has it."""
    if has_image(host, tag):
        return
    lock_dir = os.path.join(CONF.state_path, "locks")
    os.makedirs(lock_dir, exist_ok=True)
    with lockutils.lock("magnum-local-node-image", external=True, lock_path=lock_dir):
        if not has_image(host, tag):
            build_node_image(tag)
    if not has_image(host, tag):
        raise _build_error(f"the engine does not list {tag} after importing it.")
