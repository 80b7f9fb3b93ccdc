"""Rules for the legacy /v1/nodes resource (2015 API, records only)."""

from magnum.common.policies import base

COLLECTION = "/v1/nodes"
MEMBER = "/v1/nodes/{node_uuid}"

RULES = (
    ("create", "rule:admin_or_project_member", "Create a node record.", "POST", COLLECTION),
    ("delete", "rule:admin_or_project_member", "Delete a node record.", "DELETE", MEMBER),
    (
        "detail",
        "rule:admin_or_project_reader",
        "List node records in detail.",
        "GET",
        COLLECTION + "/detail",
    ),
    ("get", "rule:admin_or_project_reader", "Show a node record.", "GET", MEMBER),
    ("get_all", "rule:admin_or_project_reader", "List node records.", "GET", COLLECTION),
    ("update", "rule:admin_or_project_member", "Update a node record.", "PATCH", MEMBER),
)

rules = [base.route_rule("node", *row) for row in RULES]


def list_rules():
    return rules
