"""Rules for /v1/credentials (spec 8.2): only the owning project's members rotate."""

from oslo_policy import policy

from magnum.common.policies import base

rules = [
    policy.DocumentedRuleDefault(
        name="credential:rotate",
        check_str="rule:project_member_deny_cluster_user",
        description="Rotate the Keystone credentials (trust) of a cluster.",
        operations=[{"path": "/v1/credentials/{cluster_ident}", "method": "PATCH"}],
        deprecated_rule=base.owner_fallback("credential:rotate"),
    )
]


def list_rules():
    return rules
