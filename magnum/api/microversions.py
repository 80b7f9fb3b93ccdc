"""API microversions: the table, negotiation, and the headers on every response.

Add a version by appending one line to ``VERSIONS`` and branching on
``request.version`` inside the method that changes (never by redefining a
method); ``doc/source/contributor/microversions.rst`` has the checklist.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from typing import Any

import webob

from magnum.common import exception


@dataclasses.dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int

    @classmethod
    def parse(cls, text: str) -> Version:
        match = re.fullmatch(r"(\d+)\.(\d+)", text.strip())
        if not match:
            raise ValueError(text)
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"


VERSIONS: dict[Version, str] = {
    Version(1, 1): "Baseline: v1 with strict input validation.",
    Version(1, 2): "Bay/cluster create, update and delete are asynchronous (202 + uuid).",
    Version(1, 3): "rollback=True on bay/cluster PATCH.",
    Version(1, 4): "GET /v1/stats.",
    Version(1, 5): "PATCH /v1/certificates/{cluster} rotates the CA.",
    Version(1, 6): "/v1/quotas.",
    Version(1, 7): "POST /v1/clusters/{id}/actions/resize.",
    Version(1, 8): "POST /v1/clusters/{id}/actions/upgrade.",
    Version(1, 9): "Nodegroups.",
    Version(1, 10): "node_count = 0 allowed.",
    Version(1, 11): "Bay and baymodel routes removed.",
    Version(1, 12): "PATCH /v1/credentials/{cluster} rotates the cluster's credentials.",
    Version(1, 13): "Clusters expose cluster_id instead of stack_id.",
    Version(1, 14): "Nodegroup node_labels and node_taints.",
}
MIN_VERSION = min(VERSIONS)
MAX_VERSION = max(VERSIONS)

HEADER = "OpenStack-API-Version"
LEGACY_HEADER = "X-OpenStack-Magnum-API-Version"
SERVICE_TYPE = "container-infrastructure-management"
SERVICE_ALIASES = ("container-infra", "container-infrastructure", SERVICE_TYPE)
ENVIRON_KEY = "magnum.api_version"
HELP_LINK = "http://docs.openstack.org/api-guide/compute/microversions.html"


def _resolve(text: str, header: str) -> Version:
    if text.strip().lower() == "latest":
        return MAX_VERSION
    try:
        version = Version.parse(text)
    except ValueError as err:
        raise exception.InvalidMicroversion(
            header=header, value=text, reason="A version is MAJOR.MINOR or 'latest'."
        ) from err
    if not MIN_VERSION <= version <= MAX_VERSION:
        raise exception.MicroversionUnsupported(version=version, min=MIN_VERSION, max=MAX_VERSION)
    return version


def negotiate(headers: Any) -> Version:
    """The version a request asks for; MIN_VERSION when it names none."""
    value = headers.get(HEADER)
    if value is not None:
        for entry in value.split(","):
            parts = entry.strip().split(None, 1)
            if len(parts) == 2 and parts[0].lower() in SERVICE_ALIASES:
                return _resolve(parts[1], HEADER)
        raise exception.InvalidMicroversion(
            header=HEADER,
            value=value,
            reason=f"Invalid service type; use one of {', '.join(SERVICE_ALIASES)}.",
        )
    legacy = headers.get(LEGACY_HEADER)
    if legacy is not None:
        return _resolve(legacy, LEGACY_HEADER)
    return MIN_VERSION


def response_headers(version: Version | None) -> list[tuple[str, str]]:
    headers = [
        ("OpenStack-API-Minimum-Version", f"{SERVICE_TYPE} {MIN_VERSION}"),
        ("OpenStack-API-Maximum-Version", f"{SERVICE_TYPE} {MAX_VERSION}"),
        ("X-OpenStack-Magnum-API-Minimum-Version", str(MIN_VERSION)),
        ("X-OpenStack-Magnum-API-Maximum-Version", str(MAX_VERSION)),
        ("Vary", f"{HEADER}, {LEGACY_HEADER}"),
    ]
    if version is not None:
        headers += [(HEADER, f"{SERVICE_TYPE} {version}"), (LEGACY_HEADER, str(version))]
    return headers


def require(version: Version, minimum: str, method: str, maximum: str | None = None) -> None:
    """406 unless ``minimum <= version [<= maximum]``; call at the top of a method."""
    too_new = maximum is not None and version > Version.parse(maximum)
    if version < Version.parse(minimum) or too_new:
        raise exception.MethodNotSupportedForVersion(version=version, method=method)


class MicroversionMiddleware:
    """Negotiate the version of every request and label every response."""

    def __init__(self, app: Callable, render_error: Callable) -> None:
        self.app = app
        self.render_error = render_error

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        request = webob.Request(environ)
        try:
            version = negotiate(request.headers)
        except exception.NotAcceptable as err:
            extra = {"min_version": str(MIN_VERSION), "max_version": str(MAX_VERSION)}
            if isinstance(err, exception.MicroversionUnsupported):
                extra.update(
                    title="Requested microversion is unsupported",
                    links=[{"rel": "help", "href": HELP_LINK}],
                )
            response = self.render_error(err, environ, extra=extra)
            response.headers.extend(response_headers(None))
            return response(environ, start_response)
        environ[ENVIRON_KEY] = version

        def add_headers(status: str, headers: list, exc_info: Any = None) -> Any:
            headers.extend(response_headers(version))
            return start_response(status, headers, exc_info)

        return self.app(environ, add_headers)
