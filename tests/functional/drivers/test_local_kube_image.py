"""The Kubernetes node image on the real Docker engine.

The image is baked under a tag of its own from a freshly built node image and
the binaries tools/build-kubernetes.sh cached (the test fails, rather than
skips, when they are missing: install.sh builds them). One node is started
from it in the mode this host allows, then the test checks what the research
note's three traps need: /dev/kmsg exists, the CNI plugins are in place, and
a container asking for oom_score_adj -998 (as kubelet does for every pod
sandbox) runs inside the node, from the pause image loaded into its dockerd.

Not exercised here: kubelet and the control plane themselves (the bay
strategy's tests run them), and any node image pulled from a registry.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import uuid

import docker
import pytest
from oslo_config import fixture as config_fixture

from magnum import conf
from magnum.drivers.local import image, kube_image, layout, network, nodes
from tests.fixtures.docker import remove_labelled

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


def test_kube_node_image_passes_the_three_traps(docker_host: docker.DockerClient, kube_conf):
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
        finally:
            client.close()
    finally:
        remove_labelled(docker_host, f"{layout.LABEL_CLUSTER}={cluster}")
        network.remove_networks(docker_host, cluster)
        for t in tags:
            with contextlib.suppress(docker.errors.ImageNotFound):
                docker_host.api.remove_image(t, force=True)
