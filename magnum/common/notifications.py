"""Cluster notifications through oslo.messaging's Notifier (CADF-style payloads).

``[oslo_messaging_notifications] driver`` (an oslo.messaging option) picks
where they go: nothing is configured by default, so the notifier is a no-op;
a deployment that sets ``messagingv2`` gets them on its broker. Event types
are ``magnum.cluster.<action>`` with outcome ``pending`` (start, info),
``success`` (end, info) or ``failure`` (error, error), as upstream emits.

A notifier that fails never fails the operation: the error is logged.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import uuid
from collections.abc import Iterator
from typing import Any

import oslo_messaging as messaging
from oslo_config import cfg

LOG = logging.getLogger(__name__)

PUBLISHER = "magnum"
CLUSTER_TYPE_URI = "service/magnum/cluster"
USER_TYPE_URI = "service/security/account/user"
CADF_EVENT_TYPE_URI = "http://schemas.dmtf.org/cloud/audit/1.0/event"

# Resize and upgrade are updates of the cluster (upstream's action names).
ACTIONS = {
    "create": "create",
    "update": "update",
    "resize": "update",
    "upgrade": "update",
    "delete": "delete",
}

_NOTIFIER: messaging.Notifier | None = None


def get_notifier() -> messaging.Notifier:
    global _NOTIFIER
    if _NOTIFIER is None:
        transport = messaging.get_notification_transport(cfg.CONF)
        # Notifier registers [oslo_messaging_notifications]; no driver there
        # means no notifications, said explicitly so is_enabled() is False.
        configured = messaging.Notifier(transport, publisher_id=PUBLISHER)
        drivers = set(cfg.CONF.oslo_messaging_notifications.driver) - {"noop"}
        _NOTIFIER = (
            configured
            if drivers
            else messaging.Notifier(transport, publisher_id=PUBLISHER, driver="noop")
        )
    return _NOTIFIER


def reset() -> None:
    """Forget the notifier (tests; a process that re-reads its config)."""
    global _NOTIFIER
    _NOTIFIER = None


def payload(
    context: Any, cluster: Any, action: str, outcome: str, reason: str | None = None
) -> dict[str, Any]:
    """A CADF event: who (initiator) did what (action) to which cluster (target)."""
    event: dict[str, Any] = {
        "typeURI": CADF_EVENT_TYPE_URI,
        "id": str(uuid.uuid4()),
        "eventType": "activity",
        "eventTime": datetime.datetime.now(datetime.UTC).isoformat(),
        "action": action,
        "outcome": outcome,
        "initiator": {
            "typeURI": USER_TYPE_URI,
            "id": getattr(context, "user_id", None),
            "name": getattr(context, "user_name", None),
            "project_id": getattr(context, "project_id", None),
            "request_id": getattr(context, "request_id", None),
        },
        "target": {
            "typeURI": CLUSTER_TYPE_URI,
            "id": cluster.uuid,
            "name": getattr(cluster, "name", None),
            "project_id": getattr(cluster, "project_id", None),
        },
        "observer": {"typeURI": CLUSTER_TYPE_URI, "id": cfg.CONF.host},
    }
    if reason is not None:
        event["reason"] = {"reasonType": "failure", "reasonCode": reason}
    return event


def notify(
    context: Any, cluster: Any, operation: str, outcome: str, reason: str | None = None
) -> None:
    action = ACTIONS.get(operation, operation)
    try:
        notifier = get_notifier()
        if not notifier.is_enabled():
            return
        body = payload(context, cluster, action, outcome, reason)
        send = notifier.error if outcome == "failure" else notifier.info
        send(
            context.to_dict() if hasattr(context, "to_dict") else {},
            f"magnum.cluster.{action}",
            body,
        )
    except Exception as err:  # a broken notifier must not break the operation
        LOG.warning(
            "Cluster %s: %s notification (%s) not sent: %s", cluster.uuid, action, outcome, err
        )


class Outcome:
    """What the ``cluster_operation`` block reports: success unless ``fail`` is called."""

    def __init__(self) -> None:
        self.reason: str | None = None
        self.running = False

    def still_running(self) -> None:
        """The driver goes on in the background: no end event from this block."""
        self.running = True

    def fail(self, reason: str) -> None:
        self.reason = reason


@contextlib.contextmanager
def cluster_operation(context: Any, cluster: Any, operation: str) -> Iterator[Outcome]:
    """Notify start on entry, then end (success) or error (failure, with the reason).

    An exception out of the block is a failure too and propagates unchanged.
    """
    notify(context, cluster, operation, "pending")
    outcome = Outcome()
    try:
        yield outcome
    except Exception as err:
        notify(context, cluster, operation, "failure", str(err) or type(err).__name__)
        raise
    if outcome.reason is not None:
        notify(context, cluster, operation, "failure", outcome.reason)
    elif not outcome.running:
        notify(context, cluster, operation, "success")
