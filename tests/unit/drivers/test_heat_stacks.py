"""Heat stack states mapped onto bay states (no services: pure functions)."""

from __future__ import annotations

import pytest
from heatclient import exc as heat_exc

from magnum.drivers.heat import stacks


def view(status: str, reason: str | None = "r") -> stacks.StackView:
    return stacks.StackView("id", "bay", status, reason)


@pytest.mark.parametrize(
    ("heat_status", "operation", "expected"),
    [
        ("CREATE_IN_PROGRESS", "CREATE", "CREATE_IN_PROGRESS"),
        ("CREATE_COMPLETE", "CREATE", "CREATE_COMPLETE"),
        ("CREATE_FAILED", "CREATE", "CREATE_FAILED"),
        ("UPDATE_COMPLETE", "UPDATE", "UPDATE_COMPLETE"),
        ("ROLLBACK_IN_PROGRESS", "UPDATE", "UPDATE_IN_PROGRESS"),
        ("ROLLBACK_COMPLETE", "UPDATE", "UPDATE_FAILED"),
        ("DELETE_FAILED", "DELETE", "DELETE_FAILED"),
    ],
)
def test_heat_status_to_bay_status(heat_status, operation, expected):
    status, reason, timed_out = stacks.bay_status(view(heat_status), operation, 0, 600, 10)
    assert (status, reason, timed_out) == (expected, "r", False)


def test_in_progress_past_timeout_is_failed_timed_out():
    status, reason, timed_out = stacks.bay_status(view("CREATE_IN_PROGRESS"), "CREATE", 0, 60, 61)
    assert (status, timed_out) == ("CREATE_FAILED", True)
    assert reason == "Stack create timed out after 1 minutes."


def test_finished_stack_is_not_timed_out_late():
    assert stacks.bay_status(view("CREATE_COMPLETE"), "CREATE", 0, 60, 999)[2] is False


def test_vanished_stack_finishes_a_delete_and_fails_anything_else():
    assert stacks.status_of(None, None, "", None, "DELETE").gone
    failed = stacks.status_of(None, None, "", None, "UPDATE")
    assert (failed.status, failed.gone) == ("UPDATE_FAILED", False)


class _Stacks:
    calls = 0

    def list(self, filters):
        _Stacks.calls += 1
        raise heat_exc.CommunicationError("down")


def test_unreachable_heat_is_none_and_warned_once(caplog):
    heat = type("H", (), {"stacks": _Stacks()})()
    stacks._last_warning = float("-inf")
    assert stacks.list_stacks(heat, ["a", "b"]) is None
    assert stacks.list_stacks(heat, ["a"]) is None
    assert _Stacks.calls == 2
    assert len([r for r in caplog.records if "unreachable" in r.message]) == 1
