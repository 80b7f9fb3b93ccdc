from oslo_policy import policy

rules = [
    policy.DocumentedRuleDefault(
        name="magnum-service:get_all",
        check_str="rule:context_is_admin",
        description="List magnum services and their heartbeat state.",
        operations=[{"path": "/v1/mservices", "method": "GET"}],
    ),
]


def list_rules():
    return rules
