"""Rules for /v1/federations (spec 8.2)."""

from magnum.common.policies import base

COLLECTION = "/v1/federations"
MEMBER = "/v1/federations/{federation_ident}"

RULES = (
    (
        "create",
        "rule:admin_or_project_member_deny_cluster_user",
        "Create a federation.",
        "POST",
        COLLECTION,
    ),
    (
        "delete",
        "rule:admin_or_project_member_deny_cluster_user",
        "Delete a federation.",
        "DELETE",
        MEMBER,
    ),
    (
        "detail",
        "rule:admin_or_project_reader_deny_cluster_user",
        "List federations with all their fields.",
        "GET",
        COLLECTION + "/detail",
    ),
    (
        "get",
        "rule:admin_or_project_reader_deny_cluster_user",
        "Show a federation.",
        "GET",
        MEMBER,
    ),
    (
        "get_all",
        "rule:admin_or_project_reader_deny_cluster_user",
        "List federations.",
        "GET",
        COLLECTION,
    ),
    (
        "update",
        "rule:admin_or_project_member_deny_cluster_user",
        "Join or leave clusters, or change properties.",
        "PATCH",
        MEMBER,
    ),
)

rules = [base.route_rule("federation", *row) for row in RULES]


def list_rules():
    return rules
