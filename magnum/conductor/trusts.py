"""A bay's Keystone trust: made at create when its driver asks, gone with the bay.

``ensure`` runs inside the create flow, before the driver, with the
creator's context (its token came over RPC); ``release`` runs when the bay's
rows are removed. Both are no-ops for bays without a trust, so drivers that
never ask (local, most fake bays) never touch Keystone.
"""

from __future__ import annotations

import logging
import types
from typing import Any

from magnum.common import exception
from magnum.common.clients import keystone

LOG = logging.getLogger(__name__)


def ensure(task: Any) -> None:
    """Give the task's bay a trustee user and trust if its driver needs one."""
    cluster = task.cluster
    if cluster.trust_id or not task.driver.needs_trust(cluster):
        return
    trustee = keystone.create_trust(task.context, cluster)
    cluster.trustee_user_id = trustee.user_id
    cluster.trustee_username = trustee.username
    cluster.trustee_password = trustee.password
    cluster.trust_id = trustee.trust_id
    cluster.save()


def release(cluster: Any) -> None:
    """Delete the bay's trust and trustee user (KeystoneFailure if Keystone fails)."""
    if cluster.trust_id or cluster.trustee_user_id:
        keystone.delete_trust(cluster)


def rotate(task: Any) -> None:
    """Replace the bay's trustee user and trust with new ones, then delete the old.

    The new pair exists before the old goes, so the bay is never without
    credentials; if Keystone refuses the new one, nothing changed. An old pair
    Keystone cannot delete is logged and left (the bay already uses the new).
    """
    cluster = task.cluster
    if not (cluster.trust_id or cluster.trustee_user_id):
        raise exception.InvalidParameterValue(
            err=f"Cluster {cluster.uuid} has no trust to rotate: its driver does not use "
            "Keystone credentials."
        )
    old = types.SimpleNamespace(
        uuid=cluster.uuid, trust_id=cluster.trust_id, trustee_user_id=cluster.trustee_user_id
    )
    generation = _generation(cluster.trustee_username) + 1
    trustee = keystone.create_trust(task.context, cluster, generation=generation)
    cluster.trustee_user_id = trustee.user_id
    cluster.trustee_username = trustee.username
    cluster.trustee_password = trustee.password
    cluster.trust_id = trustee.trust_id
    cluster.save()
    try:
        keystone.delete_trust(old)
    except exception.KeystoneFailure as err:
        LOG.warning("Cluster %s: the replaced trust stays: %s", cluster.uuid, err.format_message())


def _generation(username: str | None) -> int:
    tail = (username or "").rsplit("_", 1)[-1]
    return int(tail) if tail.isdigit() and (username or "").count("_") >= 2 else 0
