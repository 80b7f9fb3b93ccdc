from magnum.common.policies import base

rules = [
    base.route_rule(
        "magnum-service",
        "get_all",
        base.ADMIN_ONLY,
        "List magnum services and their heartbeat state.",
        "GET",
        "/v1/mservices",
    )
]


def list_rules():
    return rules
