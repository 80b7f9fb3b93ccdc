"""Wire shape of containers (/v1/containers, the Liberty/Mitaka API).

The bay a container runs on is ``bay_uuid`` on the wire and ``cluster_id``
in the object (``RENAMES``). ``host`` is a placement hint at create time
(the name of one of the bay's nodes) and afterwards the node the container
was placed on.
"""

from __future__ import annotations

import re
from typing import Any

from wsme import types as wtypes

from magnum.api.types import common

STR255 = wtypes.StringType(min_length=1, max_length=255)

# Internal (object) name -> wire name.
RENAMES = {"cluster_id": "bay_uuid"}

# Docker refuses a memory limit below 6 MiB; say so before it gets there.
MIN_MEMORY_BYTES = 6 * 1024 * 1024
_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
_MEMORY = re.compile(r"^(\d+)([bkmg]?)$", re.IGNORECASE)
# A Docker image reference: [registry[:port]/]name[:tag][@digest], no spaces.
_IMAGE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/:@+-]*$")


def memory_bytes(value: str) -> int:
    """Bytes of a memory size such as ``512m``; ValueError when malformed."""
    match = _MEMORY.match(value.strip())
    if not match:
        raise ValueError(
            f"Invalid memory {value!r}: use <number><optional unit>, where unit is b, k, m or g."
        )
    return int(match.group(1)) * _UNITS[match.group(2).lower()]


class MemoryType(wtypes.UserType):
    """A Docker memory limit: ``<number>[b|k|m|g]``, at least 6m."""

    basetype = wtypes.text
    name = "memory"

    @staticmethod
    def validate(value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError(f"Invalid memory {value!r}: it must be a string such as '512m'.")
        if memory_bytes(value) < MIN_MEMORY_BYTES:
            raise ValueError(f"Invalid memory {value!r}: Docker needs at least 6m.")
        return value.strip().lower()

    @staticmethod
    def frombasetype(value: Any) -> Any:
        return value


class ImageType(wtypes.UserType):
    """A Docker image reference (``repo[:tag]``), 1..255 characters."""

    basetype = wtypes.text
    name = "image"

    @staticmethod
    def validate(value: Any) -> str:
        if not isinstance(value, str) or not 0 < len(value) <= 255 or not _IMAGE.match(value):
            raise ValueError(f"Invalid image {value!r}: expected repository[:tag] or a digest.")
        return value

    @staticmethod
    def frombasetype(value: Any) -> Any:
        return value


class Container(wtypes.Base):
    uuid = wtypes.wsattr(wtypes.text, readonly=True)
    name = wtypes.wsattr(STR255)
    image = wtypes.wsattr(ImageType(), mandatory=True)
    command = wtypes.wsattr(wtypes.text)
    bay_uuid = wtypes.wsattr(STR255, mandatory=True)
    memory = wtypes.wsattr(MemoryType())
    environment = wtypes.wsattr({wtypes.text: wtypes.text})
    host = wtypes.wsattr(STR255)
    status = wtypes.wsattr(wtypes.text, readonly=True)
    status_reason = wtypes.wsattr(wtypes.text, readonly=True)
    project_id = wtypes.wsattr(wtypes.text, readonly=True)
    user_id = wtypes.wsattr(wtypes.text, readonly=True)
    links = wtypes.wsattr([common.Link], readonly=True)
    created_at = wtypes.wsattr(wtypes.text, readonly=True)
    updated_at = wtypes.wsattr(wtypes.text, readonly=True)


class ContainerCollection(wtypes.Base):
    containers = [Container]
    next = wtypes.text


class ContainerOutput(wtypes.Base):
    """The body of ``logs`` and ``execute``.

    ``exit_code`` is set by ``execute`` once the command ended (null when its
    output was cut before it finished); ``truncated`` says the output hit
    ``[docker] max_output_bytes``.
    """

    output = wtypes.text
    exit_code = int
    truncated = bool


class ExecuteRequest(wtypes.Base):
    command = wtypes.wsattr(wtypes.text)
