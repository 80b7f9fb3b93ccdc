"""Rules for /v1/clusters/{cluster_ident}/nodegroups (spec 8.2).

Object-level checks compare against the nodegroup's cluster (its owner).
"""

from magnum.common.policies import base

COLLECTION = "/v1/clusters/{cluster_ident}/nodegroups"
MEMBER = COLLECTION + "/{nodegroup_ident}"
ADMIN = "rule:context_is_admin"

RULES = (
    ("get", "rule:admin_or_project_reader", "Show a nodegroup.", "GET", MEMBER),
    ("get_all", "rule:admin_or_project_reader", "List a cluster's nodegroups.", "GET", COLLECTION),
    ("get_one_all_projects", ADMIN, "Show a nodegroup of any project.", "GET", MEMBER),
    ("get_all_all_projects", ADMIN, "List nodegroups of any project.", "GET", COLLECTION),
    ("create", "rule:admin_or_project_member", "Add a nodegroup.", "POST", COLLECTION),
    (
        "create_all_projects",
        ADMIN,
        "Add a nodegroup to any project's cluster.",
        "POST",
        COLLECTION,
    ),
    ("update", "rule:admin_or_project_member", "Resize or relabel a nodegroup.", "PATCH", MEMBER),
    ("update_all_projects", ADMIN, "Update a nodegroup of any project.", "PATCH", MEMBER),
    ("delete", "rule:admin_or_project_member", "Delete a nodegroup.", "DELETE", MEMBER),
    ("delete_all_projects", ADMIN, "Delete a nodegroup of any project.", "DELETE", MEMBER),
)

rules = [base.route_rule("nodegroup", *row) for row in RULES]


def list_rules():
    return rules
