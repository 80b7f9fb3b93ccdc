"""Rules for /v1/quotas (spec 8.2): admins manage, project readers read their own."""

from magnum.common.policies import base

COLLECTION = "/v1/quotas"
MEMBER = "/v1/quotas/{project_id}/{resource}"
ADMIN = "rule:context_is_admin"

RULES = (
    ("create", ADMIN, "Set a project's quota.", "POST", COLLECTION),
    ("delete", ADMIN, "Remove a project's quota.", "DELETE", MEMBER),
    ("get_all", ADMIN, "List quotas.", "GET", COLLECTION),
    ("update", ADMIN, "Change a project's quota.", "PATCH", MEMBER),
    ("get", "rule:admin_or_project_reader", "Show a project's quota.", "GET", MEMBER),
)

rules = [base.route_rule("quota", *row) for row in RULES]


def list_rules():
    return rules
