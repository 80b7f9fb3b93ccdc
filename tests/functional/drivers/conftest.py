"""Fixtures of the driver functional tier: a real Docker engine, started if needed."""

from tests.fixtures.docker import docker_host  # noqa: F401 - pytest finds fixtures by name
