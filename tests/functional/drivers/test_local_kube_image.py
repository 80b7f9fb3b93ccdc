"""The Kubernetes node image on the real Docker engine.

The image is baked under a tag of its own from a freshly built node image and
the binaries tools/build-kubernetes.sh cached (the test fails, rather than
skips, when they are missing: install.sh builds them). One node is started
from it in the mode this host allows, then the test checks what the research
note's three traps need: /dev/kmsg exists, the CNI plugins are in place, and
a container asking for oom_score_adj -998 (as kubelet does for every pod
sandbox) runs inside the node, from the pause image loaded into its dockerd.

A second test runs a one-node Kubernetes in such a node by hand (etcd,
kube-apiserver, kubelet through dockershim and the CNI bridge) and drives it
with the host's kubectl: the node turns Ready, a busybox pod copied into the
node runs and its logs are readable. It stands in for the bay strategy,
which does not exist yet: a static token and the apiserver's self-signed
serving certificate replace the bay CA, and there is no controller-manager,
scheduler, kube-proxy or second node.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import secrets
import shutil
import subprocess
import tarfile
import tempfile
import time
import uuid

import docker
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from oslo_config import fixture as config_fixture

from magnum import conf
from magnum.drivers.local import image, kube_image, layout, network, nodes
from tests.fixtures.docker import remove_labelled
from tests.fixtures.images import BUSYBOX_IMAGE, ensure_busybox_image

CONF = conf.CONF


@pytest.fixture
def kube_conf():
    state_path = tempfile.mkdtemp(prefix="mgk-", dir="/tmp")
    fixture = config_fixture.Config(CONF)
    fixture.setUp()
    suffix = uuid.uuid4().hex[:8]
    fixture.config(state_path=state_path)
    fixture.config(
        node_image=f"magnum/local-node-test:{suffix}",
        kubernetes_node_image=f"magnum/local-kube-node-test:{suffix}",
        group="local",
    )
    yield fixture
    fixture.cleanUp()
    shutil.rmtree(state_path, ignore_errors=True)


@contextlib.contextmanager
def kube_node(docker_host: docker.DockerClient):
    """One node of the Kubernetes node image: (container, its dockerd client, missing caps)."""
    cluster = str(uuid.uuid4())
    spec = layout.NodeSpec(cluster, "default-master", layout.MASTER, 0)
    tags = (CONF.local.kubernetes_node_image, CONF.local.node_image)
    try:
        tag = kube_image.ensure_kube_node_image(docker_host)
        assert image.has_image(docker_host, tag)
        net = network.ensure_network(docker_host, cluster, CONF.local.subnet_pool)
        missing = nodes.missing_capabilities()
        security = nodes.predict_security(CONF.local.node_security, missing)
        kwargs = nodes.run_kwargs(spec, tag, net, CONF.local.state_dir, security, missing)
        kwargs["command"] = kube_image.dockerd_args()
        os.makedirs(spec.socket_dir(CONF.local.state_dir), mode=0o700, exist_ok=True)
        docker_host.volumes.create(spec.volume, labels=spec.labels)
        container = docker_host.containers.run(**kwargs)
        client = nodes.wait_for_api(docker_host, spec, CONF.local.state_dir, 60)
        try:
            yield container, client, missing
        finally:
            client.close()
    finally:
        remove_labelled(docker_host, f"{layout.LABEL_CLUSTER}={cluster}")
        network.remove_networks(docker_host, cluster)
        for t in tags:
            with contextlib.suppress(docker.errors.ImageNotFound):
                docker_host.api.remove_image(t, force=True)


def test_kube_node_image_passes_the_three_traps(docker_host: docker.DockerClient, kube_conf):
    with kube_node(docker_host) as (container, client, missing):
        version = container.exec_run(["kubelet", "--version"]).output.decode()
        assert f"v{CONF.local.kubernetes_version}" in version
        assert container.exec_run(["test", "-c", "/dev/kmsg"]).exit_code == 0
        assert container.exec_run(["test", "-x", "/opt/cni/bin/bridge"]).exit_code == 0
        assert container.exec_run(["test", "-s", "/etc/machine-id"]).exit_code == 0
        kube_image.load_pause_image(client)
        sandbox = client.containers.run(
            kube_image.PAUSE_IMAGE, detach=True, oom_score_adj=-998, name="sandbox"
        )
        sandbox.reload()
        assert sandbox.status == "running"
        # The control: plain runc refuses the same request on this host.
        if "SYS_RESOURCE" in missing:
            with pytest.raises(docker.errors.APIError):
                client.containers.run(
                    kube_image.PAUSE_IMAGE, detach=True, oom_score_adj=-998, runtime="runc"
                )


KUBECONFIG = """apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://%s:6443", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: %s}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
"""
BRIDGE = json.dumps({
    "cniVersion": "0.4.0", "name": "bay",
    "plugins": [{"type": "bridge", "bridge": "cni0", "isGateway": True, "ipMasq": True,
                 "ipam": {"type": "host-local", "subnet": "10.244.0.0/24"}}],
})  # fmt: skip


def _put(container, path: str, content: str) -> None:
    data = content.encode()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        info = tarfile.TarInfo(os.path.basename(path))
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    container.put_archive(os.path.dirname(path), buffer.getvalue())


def _kubectl(kubeconfig: str, *args: str, check: bool = True) -> str:
    result = subprocess.run(
        ["kubectl", f"--kubeconfig={kubeconfig}", *args],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    if check:
        assert result.returncode == 0, result.stderr
    return result.stdout


def _until(what: str, predicate, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(1)


def test_one_node_kubernetes_runs_a_pod(docker_host: docker.DockerClient, kube_conf, tmp_path):
    token = secrets.token_hex(16)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    sa_key = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    with kube_node(docker_host) as (container, client, _):
        container.reload()
        address = next(iter(container.attrs["NetworkSettings"]["Networks"].values()))["IPAddress"]
        _put(container, "/etc/kubernetes/sa.key", sa_key)
        _put(container, "/etc/kubernetes/tokens.csv", f"{token},admin,admin,system:masters\n")
        _put(container, "/etc/kubernetes/kubelet.conf", KUBECONFIG % ("127.0.0.1", token))
        _put(container, "/etc/cni/net.d/10-bay.conflist", BRIDGE)
        daemons = [
            "etcd --data-dir=/var/lib/etcd --listen-client-urls=http://127.0.0.1:2379"
            " --advertise-client-urls=http://127.0.0.1:2379",
            "kube-apiserver --etcd-servers=http://127.0.0.1:2379 --secure-port=6443"
            " --token-auth-file=/etc/kubernetes/tokens.csv --authorization-mode=Node,RBAC"
            " --service-account-key-file=/etc/kubernetes/sa.key"
            " --service-account-signing-key-file=/etc/kubernetes/sa.key"
            " --service-account-issuer=https://kubernetes.default.svc"
            " --service-cluster-ip-range=10.96.0.0/16 --cert-dir=/var/lib/apiserver",
            "kubelet --kubeconfig=/etc/kubernetes/kubelet.conf --container-runtime=docker"
            " --network-plugin=cni --cni-bin-dir=/opt/cni/bin --cgroup-driver=cgroupfs"
            " --cgroups-per-qos=false --enforce-node-allocatable= --fail-swap-on=false",
        ]
        for daemon in daemons:
            name = daemon.split()[0]
            container.exec_run(["sh", "-c", f"{daemon} > /tmp/{name}.log 2>&1"], detach=True)
        kube_image.load_pause_image(client)
        ensure_busybox_image(docker_host)
        client.images.load(b"".join(docker_host.api.get_image(BUSYBOX_IMAGE)))
        kubeconfig = str(tmp_path / "kubeconfig")
        with open(kubeconfig, "w") as f:
            f.write(KUBECONFIG % (address, token))
        node = container.name
        _until(
            "the node to be Ready",
            lambda: "True" in _kubectl(
                kubeconfig, "get", "node", node, "-o",
                "jsonpath={.status.conditions[?(@.type=='Ready')].status}", check=False,
            ),
        )  # fmt: skip
        # No controller-manager: the service account a pod needs is made by hand.
        _kubectl(kubeconfig, "create", "serviceaccount", "default")
        pod = {
            "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "hello"},
            "spec": {"nodeName": node, "automountServiceAccountToken": False,
                     "containers": [{"name": "hello", "image": BUSYBOX_IMAGE,
                                     "imagePullPolicy": "Never",
                                     "command": ["sh", "-c", "echo hello-from-pod; sleep 300"]}]},
        }  # fmt: skip
        manifest = tmp_path / "pod.json"
        manifest.write_text(json.dumps(pod))
        _kubectl(kubeconfig, "apply", "-f", str(manifest))
        _until(
            "the pod to run",
            lambda: (
                _kubectl(kubeconfig, "get", "pod", "hello", "-o", "jsonpath={.status.phase}")
                == "Running"
            ),
        )
        assert "hello-from-pod" in _kubectl(kubeconfig, "logs", "hello")
