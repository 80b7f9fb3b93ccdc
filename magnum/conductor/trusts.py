"""A bay's Keystone trust: made at create when its driver asks, gone with the bay.

``ensure`` runs inside the create flow, before the driver, with the
creator's context (its token came over RPC); ``release`` runs when the bay's
rows are removed. Both are no-ops for bays without a trust, so drivers that
never ask (local, most fake bays) never touch Keystone.
"""

from __future__ import annotations

import logging
from typing import Any

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
