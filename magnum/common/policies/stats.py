"""Rules for /v1/stats (spec 8.2)."""

from magnum.common.policies import base

rules = [
    base.route_rule(
        "stats",
        "get_all",
        "rule:admin_or_project_reader",
        "Count the clusters and nodes of a project (admins: of any or all).",
        "GET",
        "/v1/stats",
    )
]


def list_rules():
    return rules
