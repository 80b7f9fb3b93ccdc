"""A bay's Heat stack: the client, and Heat's view mapped onto the bay's state.

Heat acts for the bay's owner long after the request that created the bay,
so every call authenticates with the bay's trust (the trustee user made by
``conductor/trusts.py``). The periodic sync lists the stacks of all
in-progress bays with ONE ``stacks.list`` call per pass; only a stack that
just reached a final state costs one more call for its outputs (COMPLETE) or
its failed resources (FAILED).
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Iterable, Mapping
from typing import Any

from heatclient import client as heat_client
from heatclient import exc as heat_exc
from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3

from magnum.common import states
from magnum.common.clients import keystone
from magnum.drivers import base

LOG = logging.getLogger(__name__)

# Heat's stack statuses are the bay's own (magnum always used them), except
# the few a bay never shows: a rollback ends the operation as FAILED.
_AS_BAY_STATUS = {
    "ROLLBACK_IN_PROGRESS": None,  # keep the bay's IN_PROGRESS status
    "ROLLBACK_COMPLETE": "FAILED",
    "ROLLBACK_FAILED": "FAILED",
}
# Heat unreachable: warn at most this often (seconds), the bay state stays.
WARN_INTERVAL = 300.0
_last_warning = float("-inf")


def trust_session(cluster: Any, auth_url: str | None = None) -> ks_session.Session:
    """A session acting through the bay's trust (needs trust_id and trustee_*)."""
    auth = v3.Password(
        auth_url=auth_url or keystone.identity_url(),
        user_id=cluster.trustee_user_id,
        password=cluster.trustee_password,
        trust_id=cluster.trust_id,
    )
    return ks_session.Session(auth=auth)


def client(session: ks_session.Session, endpoint: str | None = None) -> Any:
    """python-heatclient on ``session``; the endpoint comes from the catalog."""
    kwargs: dict[str, Any] = {"service_type": "orchestration", "interface": "public"}
    if endpoint:
        kwargs["endpoint_override"] = endpoint
    return heat_client.Client("1", session=session, **kwargs)


@dataclasses.dataclass(frozen=True)
class StackView:
    """The part of a stack the bay's state is built from."""

    id: str
    name: str
    status: str  # Heat's stack_status, e.g. CREATE_IN_PROGRESS
    reason: str | None


def bay_status(
    stack: StackView, operation: str, started_at: float | None, timeout_s: float | None, now: float
) -> tuple[str, str | None, bool]:
    """(bay status, reason, timed_out) for one stack of an ``operation`` in progress.

    ``operation`` is CREATE, UPDATE or DELETE (what the bay is doing). A bay
    past its timeout is FAILED "timed out" even while Heat still works on it;
    the caller then cancels the stack operation.
    """
    action, _, result = stack.status.partition("_")
    mapped = _AS_BAY_STATUS.get(stack.status, stack.status)
    if mapped is None or result == "IN_PROGRESS":
        if timeout_s and started_at is not None and now - started_at > timeout_s:
            minutes = round(timeout_s / 60)
            return (
                f"{operation}_FAILED",
                f"Stack {operation.lower()} timed out after {minutes} minutes.",
                True,
            )
        return f"{operation}_IN_PROGRESS", stack.reason, False
    if mapped == "FAILED" or result == "FAILED":
        return f"{operation}_FAILED", stack.reason, False
    return f"{operation}_COMPLETE", stack.reason, False


def list_stacks(heat: Any, names: Iterable[str]) -> dict[str, StackView] | None:
    """The stacks named ``names``, by name, in ONE stacks.list; None if Heat is down."""
    global _last_warning
    wanted = set(names)
    if not wanted:
        return {}
    try:
        found = heat.stacks.list(filters={"stack_name": sorted(wanted)})
        views = {
            s.stack_name: StackView(s.id, s.stack_name, s.stack_status, s.stack_status_reason)
            for s in found
            if s.stack_name in wanted
        }
    except (heat_exc.BaseException, ks_exc.ClientException) as err:
        now = time.monotonic()
        if now - _last_warning > WARN_INTERVAL:
            _last_warning = now
            LOG.warning(
                "Heat is unreachable (%s); bay states stay as they are until it answers again.",
                type(err).__name__,
            )
        return None
    return views


def outputs(heat: Any, stack_id: str) -> dict[str, Any]:
    """The stack's outputs as {key: value}."""
    stack = heat.stacks.get(stack_id)
    return {o["output_key"]: o.get("output_value") for o in (stack.outputs or [])}


def faults(heat: Any, stack_id: str) -> dict[str, str]:
    """{resource name: reason} of every failed resource, nested stacks included."""
    failed = heat.resources.list(stack_id, nested_depth=2, filters={"status": "FAILED"})
    return {r.resource_name: r.resource_status_reason for r in failed}


def status_of(
    view: StackView | None,
    stack_outputs: Mapping[str, Any] | None,
    status: str,
    reason: str | None,
    operation: str,
) -> base.ClusterStatus:
    """A ClusterStatus from the stack's state and (when COMPLETE) its outputs."""
    if view is None:
        # A stack that disappears while the bay is being deleted is the delete done.
        return (
            base.ClusterStatus(status=states.DELETE_COMPLETE, gone=True)
            if operation == "DELETE"
            else base.ClusterStatus(
                status=f"{operation}_FAILED", reason="The bay's Heat stack disappeared."
            )
        )
    out = stack_outputs or {}
    return base.ClusterStatus(
        status=status,
        reason=reason,
        api_address=out.get("api_address"),
        master_addresses=out.get("kube_masters") or out.get("swarm_masters"),
        node_addresses=out.get("kube_minions") or out.get("swarm_nodes"),
    )


def cancel(heat: Any, stack_id: str) -> bool:
    """Stop the stack's running operation (a bay past its timeout); False if Heat refused.

    ``cancel_without_rollback`` stops creates and updates alike and leaves
    what was built for the delete to clean up.
    """
    try:
        heat.actions.cancel_without_rollback(stack_id)
    except (heat_exc.BaseException, ks_exc.ClientException) as err:
        LOG.warning("Could not cancel stack %s: %s", stack_id, type(err).__name__)
        return False
    return True
