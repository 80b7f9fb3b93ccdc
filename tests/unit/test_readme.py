"""README.rst explains every dependency ("Dependencies and why")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def requirement_names(filename: str) -> list[str]:
    names = []
    for line in (REPO_ROOT / filename).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names.append(re.split(r"[<>=!~;\[ ]", line, maxsplit=1)[0])
    return names


@pytest.mark.parametrize(
    "filename", ["requirements.txt", "test-requirements.txt", "demo-requirements.txt"]
)
def test_readme_explains_every_requirement(filename: str) -> None:
    readme = (REPO_ROOT / "README.rst").read_text()
    section = readme.split("Dependencies and why", 1)[1]
    missing = [name for name in requirement_names(filename) if f"``{name}``" not in section]
    assert not missing, f"add these {filename} entries to README.rst: {missing}"
