"""The committed configuration and policy samples match what the code generates.

Both samples are generated from the option and policy definitions; when one
of those changes, regenerate the sample in the same change (the failure message
gives the command).
"""

from __future__ import annotations

import difflib
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
BIN_DIR = Path(sys.executable).parent

SAMPLES = [
    pytest.param(
        "oslo-config-generator",
        "etc/magnum/magnum-config-generator.conf",
        "etc/magnum/magnum.conf.sample",
        "tox -e genconfig",
        id="magnum.conf.sample",
    ),
    pytest.param(
        "oslopolicy-sample-generator",
        "etc/magnum/magnum-policy-generator.conf",
        "etc/magnum/policy.yaml.sample",
        "tox -e genpolicy",
        id="policy.yaml.sample",
    ),
]


@pytest.mark.parametrize(("tool", "generator_conf", "sample", "tox_env"), SAMPLES)
def test_committed_sample_is_current(
    tool: str, generator_conf: str, sample: str, tox_env: str, tmp_path: Path
) -> None:
    fresh = tmp_path / Path(sample).name
    command = [str(BIN_DIR / tool), "--config-file", generator_conf]
    result = subprocess.run(
        [*command, "--output-file", str(fresh)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"{tool} failed:\n{result.stderr}"

    committed = (REPO_ROOT / sample).read_text().splitlines(keepends=True)
    generated = fresh.read_text().splitlines(keepends=True)
    if committed != generated:
        diff = "".join(
            difflib.unified_diff(committed, generated, f"{sample} (committed)", "generated")
        )
        pytest.fail(
            f"{sample} is stale. Regenerate it with `{tox_env}` (or "
            f"`{' '.join([tool, '--config-file', generator_conf])}` from the repo root) "
            f"and commit the result.\n{diff[:6000]}",
            pytrace=False,
        )
