"""The Kubernetes node image: its build context, scripts and error messages."""

from __future__ import annotations

import io
import json
import os
import subprocess
import tarfile
from pathlib import Path

import pytest

from magnum.common import exception
from magnum.drivers.local import image, kube_image


def _fake_cache(root: Path) -> Path:
    directory = root / "1.20.2"
    (directory / "bin").mkdir(parents=True)
    (directory / "cni").mkdir()
    (directory / "cni" / "bridge").write_text("#!/bin/sh\n")
    for name in (*kube_image.SERVER_BINARIES, "pause"):
        path = directory / "bin" / name
        path.write_text("#!/bin/sh\n")
        path.chmod(0o755)
    (directory / "complete").write_text("built in 1 s\n")
    return directory


class TestBinaries:
    def test_missing_cache_names_the_build_script(self, config, tmp_path):
        config.config(kubernetes_cache_dir=str(tmp_path), group="local")
        with pytest.raises(exception.DriverError, match="tools/build-kubernetes.sh"):
            kube_image.check_binaries(kube_image.binaries_dir())

    def test_a_build_without_its_stamp_is_not_used(self, config, tmp_path):
        directory = _fake_cache(tmp_path)
        (directory / "complete").unlink()
        with pytest.raises(exception.DriverError, match="complete stamp"):
            kube_image.check_binaries(str(directory))

    def test_complete_cache_passes(self, config, tmp_path):
        config.config(kubernetes_cache_dir=str(tmp_path), group="local")
        _fake_cache(tmp_path)
        kube_image.check_binaries(kube_image.binaries_dir())


class TestContext:
    def test_context_holds_dockerfile_binaries_cni_and_scripts(self, config, tmp_path):
        directory = _fake_cache(tmp_path)
        out = io.BytesIO()
        kube_image.write_context(out, str(directory), "magnum/local-node:slim")
        with tarfile.open(fileobj=io.BytesIO(out.getvalue())) as tar:
            names = tar.getnames()
        assert {"Dockerfile", "runc-clamp", "magnum-kube-node-init", "bin/kubelet"} <= set(names)
        assert "cni/bridge" in names

    def test_dockerfile_starts_from_the_node_image_and_clamps_every_container(self, config):
        text = kube_image.dockerfile("magnum/local-node:slim")
        assert text.startswith("FROM magnum/local-node:slim\n")
        cmd = json.loads(text.split("CMD ", 1)[1].splitlines()[0])
        assert "--default-runtime=clamp" in cmd
        assert f"--add-runtime=clamp=/{kube_image.CLAMP_PATH}" in cmd

    def test_init_wrapper_makes_kmsg_then_runs_the_node_init(self):
        assert "mknod /dev/kmsg c 1 11" in kube_image.KUBE_INIT_SCRIPT
        assert kube_image.KUBE_INIT_SCRIPT.rstrip().endswith(f'exec /{image.INIT_PATH} "$@"')

    def test_version_is_part_of_the_default_tag(self, config):
        config.config(kubernetes_version="1.99.0", group="local")
        assert kube_image.CONF.local.kubernetes_node_image == "magnum/local-kube-node:v1.99.0"


class TestClamp:
    """Runs the real wrapper script with sh; only runc is replaced (by `true`)."""

    def _run(self, tmp_path: Path, *args: str) -> dict:
        script = tmp_path / "runc-clamp"
        script.write_text(kube_image.CLAMP_SCRIPT)
        script.chmod(0o755)
        env = {**os.environ, "MAGNUM_RUNC": "true"}
        subprocess.run([str(script), *args], check=True, env=env, timeout=30)
        return json.loads((tmp_path / "bundle" / "config.json").read_text())

    def _bundle(self, tmp_path: Path, score: int) -> Path:
        bundle = tmp_path / "bundle"
        bundle.mkdir()
        (bundle / "config.json").write_text(json.dumps({"process": {"oomScoreAdj": score}}))
        return bundle

    @pytest.mark.parametrize("style", ["--bundle", "-b", "--bundle="])
    def test_negative_score_becomes_zero(self, tmp_path, style):
        bundle = self._bundle(tmp_path, -998)
        args = [f"--bundle={bundle}"] if style == "--bundle=" else [style, str(bundle)]
        spec = self._run(tmp_path, "create", *args, "c1")
        assert spec["process"]["oomScoreAdj"] == 0

    def test_positive_score_is_kept(self, tmp_path):
        bundle = self._bundle(tmp_path, 500)
        spec = self._run(tmp_path, "create", "-b", str(bundle), "c1")
        assert spec["process"]["oomScoreAdj"] == 500
