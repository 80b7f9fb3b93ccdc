"""Rules for /v1/credentials (spec 8.2): only the owning project's members rotate."""

from magnum.common.policies import base

rules = [
    base.route_rule(
        "credential",
        "rotate",
        "rule:project_member_deny_cluster_user",
        "Rotate the Keystone credentials (trust) of a cluster.",
        "PATCH",
        "/v1/credentials/{cluster_ident}",
    )
]


def list_rules():
    return rules
