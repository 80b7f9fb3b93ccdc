"""magnum.coe.docker without a Docker engine: status mapping, bounded output, clients."""

from __future__ import annotations

import threading
import time

import docker.errors
import pytest
import requests

from magnum.coe import docker as coe_docker
from magnum.common import exception


class Stream:
    """Like the SDK's CancellableStream: iterable chunks, closable from another thread."""

    def __init__(self, chunks, block_after: bool = False) -> None:
        self.chunks = list(chunks)
        self.block_after = block_after
        self.closed = threading.Event()
        self.read = 0

    def __iter__(self):
        for chunk in self.chunks:
            if self.closed.is_set():
                return
            self.read += 1
            yield chunk
        if self.block_after:
            self.closed.wait(30)  # a command that never ends, until closed

    def close(self) -> None:
        self.closed.set()


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ({"Running": True, "Paused": True}, ("Paused", None)),
        ({"Running": True}, ("Running", None)),
        ({"Restarting": True}, ("Running", None)),
        ({"Status": "exited", "ExitCode": 137}, ("Stopped", "exited with code 137")),
        ({"Status": "created"}, ("Stopped", None)),
        ({"Status": "exited", "OOMKilled": True}, ("Error", "killed: out of memory")),
        ({"Status": "exited", "Error": "exec: nope"}, ("Error", "exec: nope")),
        ({"Dead": True}, ("Error", "Docker reports the container dead")),
    ],
)
def test_state_from_inspect(state, expected) -> None:
    found = coe_docker.state_from_inspect(state)
    assert (found.status, found.reason) == expected


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        ({"State": "running"}, ("Running", None)),
        ({"State": "paused"}, ("Paused", None)),
        (
            {"State": "exited", "Status": "Exited (143) 2 seconds ago"},
            ("Stopped", "exited with code 143"),
        ),
        ({"State": "created", "Status": "Created"}, ("Stopped", None)),
        ({"State": "dead"}, ("Error", "Docker reports the container dead")),
    ],
)
def test_state_from_summary(summary, expected) -> None:
    found = coe_docker.state_from_summary(summary)
    assert (found.status, found.reason) == expected
    assert coe_docker.state_from_summary({"State": "removing"}) is None


def test_read_bounded_cuts_at_the_limit_and_stops_reading() -> None:
    stream = Stream([b"a" * 600] * 1000)
    data, truncated, timed_out = coe_docker.read_bounded(stream, 1000, 5, "\n[cut]")
    assert data == b"a" * 1000 + b"\n[cut]"
    assert truncated and not timed_out
    assert stream.read == 2 and stream.closed.is_set()


def test_read_bounded_returns_small_output_whole() -> None:
    data, truncated, timed_out = coe_docker.read_bounded(Stream([b"hi\n", b"ho\n"]), 10, 5, "!")
    assert (data, truncated, timed_out) == (b"hi\nho\n", False, False)


def test_read_bounded_gives_up_at_the_deadline() -> None:
    began = time.monotonic()
    data, truncated, timed_out = coe_docker.read_bounded(
        Stream([b"started\n"], block_after=True), 1000, 0.3, "!"
    )
    assert time.monotonic() - began < 5
    assert data == b"started\n" and timed_out and not truncated


def test_errors_become_magnum_exceptions() -> None:
    response = requests.Response()
    response.status_code = 409
    conflict = pytest.raises(exception.Conflict, match="Pausing: is not running")
    with conflict, coe_docker.docker_errors("Pausing", "c1"):
        raise docker.errors.APIError("x", response=response, explanation="is not running")
    with pytest.raises(exception.ResourceNotFound), coe_docker.docker_errors("Starting", "c1"):
        raise docker.errors.NotFound("gone")
    failed = pytest.raises(exception.DriverError)
    with failed as caught, coe_docker.docker_errors("Starting", "c1"):
        raise requests.exceptions.ConnectionError("refused")
    assert coe_docker.is_unreachable(caught.value)
    assert "cannot be reached" in caught.value.format_message()
