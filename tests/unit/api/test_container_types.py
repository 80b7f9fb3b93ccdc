"""Input checks of /v1/containers that need no service."""

from __future__ import annotations

import pytest

from magnum.api.controllers.v1 import container
from magnum.api.types import container as types
from magnum.common import exception


@pytest.mark.parametrize(
    ("text", "size"),
    [("512m", 512 * 1024**2), ("1G", 1024**3), ("7000000", 7000000), ("64K", 65536)],
)
def test_memory_sizes(text, size) -> None:
    assert types.memory_bytes(text) == size


@pytest.mark.parametrize("text", ["12x", "m", "1.5g", "-1m", "", "1 gb"])
def test_bad_memory_sizes(text) -> None:
    with pytest.raises(ValueError):
        types.MemoryType.validate(text)


def test_memory_below_dockers_minimum() -> None:
    with pytest.raises(ValueError, match="at least 6m"):
        types.MemoryType.validate("5m")
    assert types.MemoryType.validate("6M") == "6m"


@pytest.mark.parametrize("image", ["busybox", "registry:5000/a/b:1.0", "x@sha256:abc"])
def test_images(image) -> None:
    assert types.ImageType.validate(image) == image


@pytest.mark.parametrize("image", ["", "with space", "-leading", "a" * 256, 3])
def test_bad_images(image) -> None:
    with pytest.raises(ValueError):
        types.ImageType.validate(image)


def test_since_and_tail() -> None:
    assert container.parse_since(None) is None
    assert container.parse_since("1700000000") == 1700000000.0
    assert container.parse_since("2023-11-14T22:13:20Z") == 1700000000.0
    assert container.parse_tail("all") is None
    assert container.parse_tail("0") == 0
    for bad in ("yesterday", "0", "-5"):
        with pytest.raises(exception.InvalidParameterValue):
            container.parse_since(bad)
    for bad in ("-1", "x"):
        with pytest.raises(exception.InvalidParameterValue):
            container.parse_tail(bad)
    with pytest.raises(exception.InvalidParameterValue):
        container.parse_bool("force", "maybe")
    assert container.parse_bool("force", "True") is True
    assert container.parse_bool("force", None) is False
