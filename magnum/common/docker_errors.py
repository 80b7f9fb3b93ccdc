"""One-line, secret-free descriptions of Docker SDK failures.

Both the local driver (the host engine and node engines) and ``coe/docker``
(containers on a bay) report Docker failures to users through these.
"""

from __future__ import annotations

import docker.errors
import requests


def os_error_text(error: BaseException) -> str | None:
    """The strerror buried in a requests/urllib3 connection failure, if any."""
    pending: list[BaseException] = [error]
    visited: set[int] = set()
    while pending:
        current = pending.pop()
        if id(current) in visited:
            continue
        visited.add(id(current))
        if isinstance(current, OSError) and current.strerror:
            return current.strerror
        linked = [*current.args, current.__cause__, current.__context__]
        linked.append(getattr(current, "reason", None))
        pending.extend(e for e in linked if isinstance(e, BaseException))
    return None


def describe(error: BaseException) -> str:
    """A one-line account of a Docker SDK failure, without request details."""
    if isinstance(error, docker.errors.APIError):
        detail = error.explanation or str(error)
        if isinstance(detail, bytes):
            detail = detail.decode(errors="replace")
        return str(detail).strip()
    if isinstance(error, requests.exceptions.ConnectionError):
        return f"the Docker API cannot be reached ({os_error_text(error) or 'connection failed'})"
    if isinstance(error, requests.exceptions.Timeout):
        return "the Docker API did not answer before the timeout"
    return str(error).strip() or type(error).__name__
