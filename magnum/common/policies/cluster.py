"""Rules for /v1/clusters; the legacy bay:* names default to the same checks."""

import functools

from magnum.common.policies import base, legacy

ADMIN = "rule:context_is_admin"

COLLECTION = "/v1/clusters"
MEMBER = "/v1/clusters/{cluster_ident}"


_rule = functools.partial(base.route_rule, "cluster")


rules = [
    _rule(
        "create",
        "rule:admin_or_project_member_deny_cluster_user",
        "Create a cluster.",
        "POST",
        COLLECTION,
    ),
    _rule(
        "delete",
        "rule:admin_or_project_member_deny_cluster_user",
        "Delete a cluster.",
        "DELETE",
        MEMBER,
    ),
    _rule(
        "delete_all_projects",
        "rule:context_is_admin",
        "Delete a cluster of any project.",
        "DELETE",
        MEMBER,
    ),
    _rule(
        "detail",
        "rule:admin_or_project_reader_deny_cluster_user",
        "List clusters with all their fields.",
        "GET",
        COLLECTION + "/detail",
    ),
    _rule(
        "detail_all_projects",
        "rule:context_is_admin",
        "List clusters of every project with all their fields.",
        "GET",
        COLLECTION + "/detail",
    ),
    _rule(
        "get", "rule:admin_or_project_reader_deny_cluster_user", "Show a cluster.", "GET", MEMBER
    ),
    _rule(
        "get_one_all_projects",
        "rule:context_is_admin",
        "Show a cluster of any project.",
        "GET",
        MEMBER,
    ),
    _rule(
        "get_all",
        "rule:admin_or_project_reader_deny_cluster_user",
        "List clusters.",
        "GET",
        COLLECTION,
    ),
    _rule(
        "get_all_all_projects",
        "rule:context_is_admin",
        "List clusters of every project.",
        "GET",
        COLLECTION,
    ),
    _rule(
        "update",
        "rule:admin_or_project_member_deny_cluster_user",
        "Update a cluster.",
        "PATCH",
        MEMBER,
    ),
    _rule(
        "update_all_projects",
        "rule:context_is_admin",
        "Update a cluster of any project.",
        "PATCH",
        MEMBER,
    ),
    _rule(
        "update_health_status",
        "rule:admin_or_project_member_user_or_cluster_user",
        "Report a cluster's health.",
        "PATCH",
        MEMBER,
    ),
    _rule(
        "resize",
        "rule:admin_or_project_member_deny_cluster_user",
        "Resize a cluster.",
        "POST",
        MEMBER + "/actions/resize",
    ),
    _rule(
        "resize_all_projects",
        "rule:context_is_admin",
        "Resize a cluster of any project.",
        "POST",
        MEMBER + "/actions/resize",
    ),
    _rule(
        "upgrade",
        "rule:admin_or_project_member_deny_cluster_user",
        "Upgrade a cluster.",
        "POST",
        MEMBER + "/actions/upgrade",
    ),
    _rule(
        "upgrade_all_projects",
        "rule:context_is_admin",
        "Upgrade a cluster of any project.",
        "POST",
        MEMBER + "/actions/upgrade",
    ),
]


def list_rules():
    return rules + legacy.aliases("bay", "cluster", rules, "/v1/bays")
