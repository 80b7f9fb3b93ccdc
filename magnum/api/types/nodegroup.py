"""Wire shape of nodegroups (spec 3.3), and the checks of node_labels/node_taints (1.14)."""

from __future__ import annotations

from typing import Any

from wsme import types as wtypes

from magnum.api.types import common

STR255 = wtypes.StringType(min_length=1, max_length=255)

# node_labels keys in these namespaces belong to Kubernetes; only the kubelet's
# own prefixes and a few well-known labels may be set by users.
RESERVED_LABEL_DOMAINS = ("kubernetes.io", "k8s.io")
ALLOWED_LABEL_PREFIXES = ("kubelet.kubernetes.io", "node.kubernetes.io")
ALLOWED_LABELS = frozenset(
    {
        "beta.kubernetes.io/arch",
        "beta.kubernetes.io/instance-type",
        "beta.kubernetes.io/os",
        "failure-domain.beta.kubernetes.io/region",
        "failure-domain.beta.kubernetes.io/zone",
        "kubernetes.io/arch",
        "kubernetes.io/hostname",
        "kubernetes.io/os",
        "node.kubernetes.io/instance-type",
        "topology.kubernetes.io/region",
        "topology.kubernetes.io/zone",
    }
)
TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")


def check_node_label(key: str) -> None:
    """ValueError for a key in a Kubernetes namespace users may not set."""
    prefix = key.split("/", 1)[0] if "/" in key else ""
    if key in ALLOWED_LABELS or not prefix:
        return
    if any(prefix == p or prefix.endswith("." + p) for p in ALLOWED_LABEL_PREFIXES):
        return
    if any(prefix == d or prefix.endswith("." + d) for d in RESERVED_LABEL_DOMAINS):
        raise ValueError(
            f"Node label {key!r} is in a namespace reserved for Kubernetes; allowed are "
            f"{', '.join(ALLOWED_LABEL_PREFIXES)} and well-known labels such as "
            "kubernetes.io/hostname."
        )


class NodeLabelsType(wtypes.UserType):
    """A dict of str to str; keys outside the reserved Kubernetes namespaces."""

    basetype = wtypes.text
    name = "node_labels"

    @staticmethod
    def validate(value: Any) -> dict[str, str]:
        value = common.LabelsType.validate(value)
        for key, item in value.items():
            if not isinstance(item, str):
                raise ValueError(f"Node label {key!r} must map to a string.")
            check_node_label(key)
        return value

    @staticmethod
    def frombasetype(value: Any) -> Any:
        return value


class NodeTaintsType(wtypes.UserType):
    """A list of ``{key, value?, effect}`` with effect in TAINT_EFFECTS."""

    basetype = wtypes.text
    name = "node_taints"

    @staticmethod
    def validate(value: Any) -> list[dict[str, str]]:
        if isinstance(value, str):
            value = common.decode_literal(value, "node_taints")
        if not isinstance(value, list):
            raise ValueError("node_taints must be a list of {key, value, effect} objects.")
        for taint in value:
            if not isinstance(taint, dict) or not isinstance(taint.get("key"), str):
                raise ValueError(f"Taint {taint!r} needs a string key.")
            unknown = set(taint) - {"key", "value", "effect"}
            if unknown:
                raise ValueError(f"Taint {taint!r} has unknown fields {sorted(unknown)}.")
            if taint.get("effect") not in TAINT_EFFECTS:
                raise ValueError(
                    f"Taint {taint['key']!r} has effect {taint.get('effect')!r}; "
                    f"it must be one of {', '.join(TAINT_EFFECTS)}."
                )
            if "value" in taint and not isinstance(taint["value"], str):
                raise ValueError(f"Taint {taint['key']!r} value must be a string.")
        return value

    @staticmethod
    def frombasetype(value: Any) -> Any:
        return value


class NodeGroup(wtypes.Base):
    id = wtypes.wsattr(int, readonly=True)
    uuid = wtypes.wsattr(wtypes.text, readonly=True)
    name = wtypes.wsattr(common.SafeString(min_length=1, max_length=255))
    cluster_id = wtypes.wsattr(wtypes.text, readonly=True)
    project_id = wtypes.wsattr(wtypes.text, readonly=True)
    docker_volume_size = wtypes.wsattr(common.IntegerType(minimum=1))
    labels = wtypes.wsattr(common.LabelsType())
    merge_labels = wtypes.wsattr(common.BooleanType(), default=False)
    flavor_id = wtypes.wsattr(STR255)
    image_id = wtypes.wsattr(STR255)
    node_addresses = wtypes.wsattr([wtypes.text], readonly=True)
    node_count = wtypes.wsattr(common.IntegerType(minimum=0), default=1)
    role = wtypes.wsattr(STR255, default="worker")
    min_node_count = wtypes.wsattr(common.IntegerType(minimum=0), default=0)
    max_node_count = wtypes.wsattr(common.IntegerType(minimum=0))
    is_default = wtypes.wsattr(common.BooleanType(), readonly=True)
    stack_id = wtypes.wsattr(wtypes.text, readonly=True)
    status = wtypes.wsattr(wtypes.text, readonly=True)
    status_reason = wtypes.wsattr(wtypes.text, readonly=True)
    version = wtypes.wsattr(wtypes.text, readonly=True)
    node_labels = wtypes.wsattr(NodeLabelsType())
    node_taints = wtypes.wsattr(NodeTaintsType())
    labels_overridden = wtypes.wsattr(common.JsonType(), readonly=True)
    labels_added = wtypes.wsattr(common.JsonType(), readonly=True)
    labels_skipped = wtypes.wsattr(common.JsonType(), readonly=True)
    links = wtypes.wsattr([common.Link], readonly=True)
    created_at = wtypes.wsattr(wtypes.text, readonly=True)
    updated_at = wtypes.wsattr(wtypes.text, readonly=True)


class NodeGroupCollection(wtypes.Base):
    nodegroups = [NodeGroup]
    next = wtypes.text
