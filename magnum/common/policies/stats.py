"""Rules for /v1/stats (spec 8.2)."""

from oslo_policy import policy

from magnum.common.policies import base

rules = [
    policy.DocumentedRuleDefault(
        name="stats:get_all",
        check_str="rule:admin_or_project_reader",
        description="Count the clusters and nodes of a project (admins: of any or all).",
        operations=[{"path": "/v1/stats", "method": "GET"}],
        deprecated_rule=base.owner_fallback("stats:get_all"),
    )
]


def list_rules():
    return rules
